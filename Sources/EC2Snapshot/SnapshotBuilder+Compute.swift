import Foundation
import PathCore
import VPCTopology

/// Endpoints, NAT gateways, instances, Lambda functions and network interfaces (R16.4, R16.6,
/// R16.10–R16.12).
extension SnapshotBuilder {
    mutating func buildEndpoints() {
        for record in records["VpcEndpoints"] ?? [] {
            guard let label = record.label("VpcEndpointId"), let vpc = record.string("VpcId").flatMap({ vpcByID[$0] }) else {
                warn(record, "an endpoint without a known VPC; ignored")
                continue
            }
            let kind: VPCEndpoint.Kind
            switch record.string("VpcEndpointType")?.lowercased() {
            case "gateway": kind = .gateway
            case "interface": kind = .interface
            case "gatewayloadbalancer": kind = .gatewayLoadBalancer
            case let other:
                warn(record, "endpoint type \(other ?? "missing") is not modelled; ignored", field: "VpcEndpointType")
                continue
            }
            let index = EndpointIndex(topology.endpoints.count)
            // R5.5: real CLI output is lower case; compare case-insensitively.
            var endpoint = VPCEndpoint(
                label: label, kind: kind, vpc: vpc, serviceName: record.string("ServiceName") ?? "",
                state: ResourceState(record.string("State")?.lowercased() ?? "available"))
            endpoint.routeTables = (record["RouteTableIds"]?.items ?? []).compactMap { $0.string.flatMap { tableByID[$0] } }
            if kind == .interface {  // R16.4: PrivateDnsEnabled means nothing on gateway endpoints.
                endpoint.privateDNSEnabled = flag(record["PrivateDnsEnabled"], default: false, record, field: "PrivateDnsEnabled")
                endpoint.privateDNSOnlyForInboundResolver = flag(
                    record["DnsOptions"]?["PrivateDnsOnlyForInboundResolverEndpoint"], default: false, record,
                    field: "DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint")
                endpoint.dnsNames = (record["DnsEntries"]?.items ?? []).compactMap { $0["DnsName"]?.string }
                if endpoint.privateDNSEnabled, let service = AWSService(serviceName: endpoint.serviceName),
                    !endpoint.dnsNames.contains(service.defaultDNSName)
                {
                    endpoint.dnsNames.append(service.defaultDNSName)
                }
            }
            for id in (record["NetworkInterfaceIds"]?.items ?? []).compactMap(\.string) { endpointByInterfaceID[id] = index }
            endpointByID[label.id] = index
            topology.endpoints.append(endpoint)
        }
    }

    mutating func buildNATGateways() {
        for record in records["NatGateways"] ?? [] {
            guard let label = record.label("NatGatewayId"), let subnet = record.string("SubnetId").flatMap({ subnetByID[$0] }) else {
                warn(record, "a NAT gateway without a known subnet; ignored")
                continue
            }
            let connectivity: NATGateway.Connectivity = record.string("ConnectivityType")?.lowercased() == "private" ? .private : .public
            let index = NATGatewayIndex(topology.natGateways.count)
            topology.natGateways.append(
                NATGateway(label: label, subnet: subnet, connectivity: connectivity, state: ResourceState(record.string("State")?.lowercased() ?? "available")))
            natByID[label.id] = index
            for address in record["NatGatewayAddresses"]?.items ?? [] {
                if let id = address["NetworkInterfaceId"]?.string { natByInterfaceID[id] = index }
            }
        }
    }

    mutating func buildInstances() {
        for reservation in records["Reservations"] ?? [] {
            for (i, item) in (reservation["Instances"]?.items ?? []).enumerated() {
                let record = Record(file: reservation.file, path: "\(reservation.path).Instances[\(i)]", value: item, region: nil, account: nil)
                guard let label = record.label("InstanceId") else { continue }
                instanceByID[label.id] = InstanceIndex(topology.instances.count)
                topology.instances.append(Instance(label: label, state: ResourceState(item["State"]?["Name"]?.string?.lowercased() ?? "running")))
            }
        }
    }

    mutating func buildLambdaFunctions() {
        for record in records["Functions"] ?? [] {
            guard let name = record.string("FunctionName") else { continue }
            let region = record.string("FunctionArn")?.split(separator: ":").dropFirst(3).first.map(String.init) ?? record.region ?? topology.region
            lambdaByName[name] = LambdaIndex(topology.lambdaFunctions.count)
            topology.lambdaFunctions.append(
                LambdaFunction(label: ResourceLabel(id: name, name: name), region: region,
                               ipv6AllowedForDualStack: flag(record["VpcConfig"]?["Ipv6AllowedForDualStack"], default: false, record, field: "VpcConfig.Ipv6AllowedForDualStack")))
        }
    }

    /// The owner of an interface, from `InterfaceType` and `Description`/`RequesterId` together
    /// (R16.6, Q9: NAT ENIs say `nat_gateway`, some Lambda ENIs say `interface`).
    mutating func owner(of record: Record, id: String) -> NetworkInterface.Owner {
        let type = record.string("InterfaceType")?.lowercased() ?? "interface"
        let description = record.string("Description") ?? ""
        if let endpoint = endpointByInterfaceID[id] {
            return topology[endpoint].kind == .interface ? .interfaceEndpoint(endpoint) : .gatewayLoadBalancerEndpoint(endpoint)
        }
        if let nat = natByInterfaceID[id] { return .natGateway(nat) }
        if type == "vpc_endpoint" || type == "gateway_load_balancer_endpoint" || description.hasPrefix("VPC Endpoint Interface") {
            warn(record, "interface \(id) belongs to an endpoint missing from describe-vpc-endpoints")
            return .none
        }
        // A load balancer's node in one zone (R19.3): `ELB net/NAME/ID`, `ELB gwy/NAME/ID`.
        if type == "network_load_balancer" || type == "gateway_load_balancer" || description.hasPrefix("ELB net/") || description.hasPrefix("ELB gwy/"),
            let subnet = record.string("SubnetId").flatMap({ subnetByID[$0] })
        {
            return .loadBalancer(loadBalancer(describedBy: description, record: record, subnet: subnet))
        }
        if type == "nat_gateway" || type == "natgateway" || description.hasPrefix("Interface for NAT Gateway") {
            warn(record, "interface \(id) belongs to a NAT gateway missing from describe-nat-gateways; it cannot forward, and accepts no connections")
            return .managed("a NAT gateway missing from the snapshot")
        }
        // `Network Interface for Transit Gateway Attachment tgw-attach-…` (R19.1).
        if type == "transit_gateway" || description.hasPrefix("Network Interface for Transit Gateway Attachment") {
            let attachment = description.split(separator: " ").last.map(String.init).flatMap { $0.hasPrefix("tgw-attach-") ? $0 : nil }
            return .managed(attachment.map { "transit gateway attachment \($0)" } ?? "a transit gateway attachment")
        }
        if type == "lambda" || description.hasPrefix("AWS Lambda VPC ENI") {
            return .lambda(lambdaFunctions(using: record, description: description))
        }
        if let instance = record["Attachment"]?["InstanceId"]?.string {
            guard let index = instanceByID[instance] else {
                warn(record, "attached to instance \(instance), missing from describe-instances; read as a running instance")
                instanceByID[instance] = InstanceIndex(topology.instances.count)
                topology.instances.append(Instance(label: ResourceLabel(id: instance)))
                return .instance(instanceByID[instance]!)
            }
            return .instance(index)
        }
        return .none
    }

    /// The functions sharing a Hyperplane ENI (R6.1): those whose VpcConfig names its subnet and
    /// exactly its security groups, else the one its description names.
    mutating func lambdaFunctions(using record: Record, description: String) -> [LambdaIndex] {
        let subnet = record.string("SubnetId") ?? ""
        let groups = Set((record["Groups"]?.items ?? []).compactMap { $0["GroupId"]?.string })
        var matches: [LambdaIndex] = []
        for function in records["Functions"] ?? [] {
            guard let name = function.string("FunctionName"), let index = lambdaByName[name], let config = function["VpcConfig"] else { continue }
            let subnets = Set(config["SubnetIds"]?.items.compactMap(\.string) ?? [])
            let functionGroups = Set(config["SecurityGroupIds"]?.items.compactMap(\.string) ?? [])
            if subnets.contains(subnet) && functionGroups == groups { matches.append(index) }
        }
        if !matches.isEmpty { return matches }
        // `AWS Lambda VPC ENI-<function>-<uuid>`: the function name, when its configuration is absent.
        var name = String(description.dropFirst("AWS Lambda VPC ENI-".count))
        if let uuidStart = name.range(of: "-[0-9a-f]{8}-", options: .regularExpression)?.lowerBound { name = String(name[..<uuidStart]) }
        guard !name.isEmpty, description.hasPrefix("AWS Lambda VPC ENI-") else { return [] }
        if let index = lambdaByName[name] { return [index] }
        warn(record, "Hyperplane ENI of function \(name), whose configuration is not in the snapshot; read as that function's")
        lambdaByName[name] = LambdaIndex(topology.lambdaFunctions.count)
        topology.lambdaFunctions.append(LambdaFunction(label: ResourceLabel(id: name, name: name), region: topology.region))
        return [lambdaByName[name]!]
    }

    mutating func buildInterfaces() {
        for record in records["NetworkInterfaces"] ?? [] {
            guard let id = record.string("NetworkInterfaceId") else { continue }
            guard let subnet = record.string("SubnetId").flatMap({ subnetByID[$0] }) else {
                warn(record, "interface \(id) is in subnet \(record.string("SubnetId") ?? "?"), missing from the snapshot; ignored")
                continue
            }
            let owner = owner(of: record, id: id)
            var interface = NetworkInterface(label: ResourceLabel(id: id, name: record.name), subnet: subnet, owner: owner)
            // R7.2: the public IP pairs with one private IP; the top-level Association is the primary's.
            for (i, address) in (record["PrivateIpAddresses"]?.items ?? []).enumerated() {
                guard let text = address["PrivateIpAddress"]?.string, case .v4(let ip)? = IPAddress(text) else {
                    warn(record, "not an IPv4 address", field: "PrivateIpAddresses[\(i)]")
                    continue
                }
                var publicText = address["Association"]?["PublicIp"]?.string
                let primary = flag(address["Primary"], default: false, record, field: "PrivateIpAddresses[\(i)].Primary")
                if publicText == nil, primary { publicText = record["Association"]?["PublicIp"]?.string }
                var binding = NetworkInterface.IPv4Binding(privateAddress: ip)
                if let publicText, case .v4(let publicIP)? = IPAddress(publicText) { binding.publicAddress = publicIP }
                if primary { interface.ipv4.insert(binding, at: 0) } else { interface.ipv4.append(binding) }
            }
            if interface.ipv4.isEmpty, let text = record.string("PrivateIpAddress"), case .v4(let ip)? = IPAddress(text) {
                interface.ipv4 = [NetworkInterface.IPv4Binding(privateAddress: ip)]
            }
            interface.ipv6 = (record["Ipv6Addresses"]?.items ?? []).compactMap {
                if case .v6(let a)? = $0["Ipv6Address"]?.string.flatMap({ IPAddress($0) }) { return a } else { return nil }
            }
            interface.securityGroups = (record["Groups"]?.items ?? []).compactMap { group in
                guard let gid = group["GroupId"]?.string else { return nil }
                if groupByID[gid] == nil { warn(record, "security group \(gid) is missing from the snapshot; its rules are unknown", field: "Groups") }
                return groupByID[gid]
            }
            interface.sourceDestCheck = flag(record["SourceDestCheck"], default: true, record, field: "SourceDestCheck")
            let status = record.string("Status")?.lowercased() ?? "in-use"
            if case .none = owner { interface.isAttached = status == "in-use" }
            // An address outside every associated block of its subnet (a block whose state is not
            // `associated` was ignored above): the interface cannot use it.
            for address in interface.addresses where !topology[subnet].contains(address) {
                warn(record, "\(address) is not in an associated block of its subnet \(topology[subnet].label); address ignored")
                interface.ipv4.removeAll { .v4($0.privateAddress) == address }
                interface.ipv6.removeAll { .v6($0) == address }
            }
            let index = InterfaceIndex(topology.interfaces.count)
            interfaceByID[id] = index
            recordByID[id] = record
            topology.interfaces.append(interface)
            switch owner {
            case .instance(let i): topology.instances[i.rawValue].interfaces.append(index)
            case .lambda(let functions): for f in functions { topology.lambdaFunctions[f.rawValue].interfaces.append(index) }
            case .interfaceEndpoint(let e), .gatewayLoadBalancerEndpoint(let e): topology.endpoints[e.rawValue].interfaces.append(index)
            case .natGateway(let n): topology.natGateways[n.rawValue].interface = index
            case .loadBalancer(let b): topology.loadBalancers[b.rawValue].nodes.append(index)
            case .managed, .none: break
            }
        }
        // Instance interfaces in device order: the primary (device 0) first; an untagged interface
        // of a named instance is shown as `NAME/ethN`.
        var device: [InterfaceIndex: Int] = [:]
        for record in records["NetworkInterfaces"] ?? [] {
            if let id = record.string("NetworkInterfaceId"), let index = interfaceByID[id] {
                device[index] = integer(record["Attachment"]?["DeviceIndex"], in: 0...Int(Int32.max), record, field: "Attachment.DeviceIndex").value ?? 0
            }
        }
        for i in topology.instances.indices {
            topology.instances[i].interfaces.sort { (device[$0] ?? 0) < (device[$1] ?? 0) }
            guard let name = topology.instances[i].label.name else { continue }
            for interface in topology.instances[i].interfaces where topology[interface].label.name == nil {
                topology.interfaces[interface.rawValue].label.name = "\(name)/eth\(device[interface] ?? 0)"
            }
        }
    }

    /// NAT gateways whose interface is not in describe-network-interfaces get one from
    /// `NatGatewayAddresses` (R16.10).
    mutating func completeNATGateways() {
        for record in records["NatGateways"] ?? [] {
            guard let id = record.string("NatGatewayId"), let nat = natByID[id], topology[nat].interface == nil else { continue }
            let primary = (record["NatGatewayAddresses"]?.items ?? []).first { $0["IsPrimary"]?.bool != false }
            guard let primary, let privateText = primary["PrivateIp"]?.string, case .v4(let privateIP)? = IPAddress(privateText) else {
                warn(record, "NAT gateway \(id) has no address in the snapshot; packets through it are insufficient data")
                continue
            }
            var interface = NetworkInterface(
                label: ResourceLabel(id: primary["NetworkInterfaceId"]?.string ?? "eni-of-\(id)"), subnet: topology[nat].subnet, owner: .natGateway(nat))
            var binding = NetworkInterface.IPv4Binding(privateAddress: privateIP)
            if let publicText = primary["PublicIp"]?.string, case .v4(let p)? = IPAddress(publicText) { binding.publicAddress = p }
            interface.ipv4 = [binding]
            interface.sourceDestCheck = false
            recordByID[interface.label.id] = record
            topology.natGateways[nat.rawValue].interface = InterfaceIndex(topology.interfaces.count)
            topology.interfaces.append(interface)
        }
    }

    /// describe-addresses: Elastic IPs pair with a private IP of an interface (R7.2).
    mutating func applyElasticIPs() {
        for record in records["Addresses"] ?? [] {
            guard let eni = record.string("NetworkInterfaceId").flatMap({ interfaceByID[$0] }),
                  let privateText = record.string("PrivateIpAddress"), case .v4(let privateIP)? = IPAddress(privateText),
                  let publicText = record.string("PublicIp"), case .v4(let publicIP)? = IPAddress(publicText),
                  let at = topology.interfaces[eni.rawValue].ipv4.firstIndex(where: { $0.privateAddress == privateIP })
            else { continue }
            topology.interfaces[eni.rawValue].ipv4[at].publicAddress = publicIP
        }
    }
}
