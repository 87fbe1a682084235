import PathCore
import VPCTopology

/// Elastic Load Balancing (`aws elbv2 describe-*`), endpoint services and zone IDs (R5.12, R19.3,
/// R19.4).
///
/// describe-target-health, describe-target-group-attributes, describe-load-balancer-attributes and
/// describe-listeners answer for one target group or load balancer without always naming it: their
/// files are named after its ARN's resource, `/` as `.` (`describe-target-health.targetgroup.orders.0123abcd.json`),
/// as the collector writes them.
extension SnapshotBuilder {
    /// `name/id` of a load balancer or target group ARN (`…:loadbalancer/net/NAME/ID`,
    /// `…:targetgroup/NAME/ID`): the part that also names a node's interface (`ELB net/NAME/ID`).
    static func elbKey(_ arn: String) -> String {
        arn.split(separator: "/").suffix(2).joined(separator: "/")
    }

    /// The `name/id` of the ELB resource a file name carries, and whether it is a target group.
    static func elbResource(inFileName file: String) -> (key: String, targetGroup: Bool)? {
        let name = (file.split(separator: "/").last.map(String.init) ?? file)
        let parts = name.split(separator: ".").map(String.init)
        guard let at = parts.firstIndex(where: { $0 == "targetgroup" || $0 == "loadbalancer" }), parts.count >= at + 4 else { return nil }
        let last = parts.last == "json" ? parts.count - 1 : parts.count
        guard last - at >= 3 else { return nil }
        return ("\(parts[last - 2])/\(parts[last - 1])", parts[at] == "targetgroup")
    }

    /// Load balancers, before the interfaces that are their nodes (`ELB net/NAME/ID`).
    mutating func buildLoadBalancers() {
        for record in records["LoadBalancers"] ?? [] {
            guard let arn = record.string("LoadBalancerArn"), let name = record.string("LoadBalancerName") else { continue }
            guard let vpc = record.string("VpcId").flatMap({ vpcByID[$0] }) else {
                warn(record, "load balancer \(name) is in VPC \(record.string("VpcId") ?? "?"), missing from the snapshot; ignored")
                continue
            }
            let kind: LoadBalancer.Kind
            switch record.string("Type")?.lowercased() {
            case "network": kind = .network
            case "gateway": kind = .gateway
            case let other:
                warn(record, "load balancer type \(other ?? "missing") is not modelled (Network and Gateway Load Balancers are); ignored", field: "Type")
                continue
            }
            let scheme: LoadBalancer.Scheme = record.string("Scheme")?.lowercased() == "internet-facing" ? .internetFacing : .internal
            // ELB's short form, as node interfaces name it: `net/NAME/ID` (the ARN's type word is
            // not trusted: moto writes `app` for every load balancer).
            let key = Self.elbKey(arn)
            var balancer = LoadBalancer(label: ResourceLabel(id: "\(Self.elbKindPrefix(kind))/\(key)", name: name), kind: kind, scheme: scheme, vpc: vpc)
            let groups = (record["SecurityGroups"]?.items ?? []).compactMap(\.string)
            balancer.hasSecurityGroups = !groups.isEmpty
            if let enforce = record.string("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic") {
                balancer.enforcesInboundRulesOnPrivateLink = enforce.lowercased() != "off"
            }
            for attribute in elbAttributes[key] ?? [] where attribute.string("Key") == "load_balancing.cross_zone.enabled" {
                balancer.crossZone = attribute.string("Value")?.lowercased() == "true"
            }
            // describe-listeners answers per load balancer: known when its file, or a listener naming it, is there.
            balancer.listenersKnown = listenedLoadBalancers.contains(key) || (records["Listeners"] ?? []).contains { $0.string("LoadBalancerArn") == arn }
            loadBalancerByKey[key] = LoadBalancerIndex(topology.loadBalancers.count)
            loadBalancerByARN[arn] = LoadBalancerIndex(topology.loadBalancers.count)
            recordByID[arn] = record
            topology.loadBalancers.append(balancer)
        }
    }

    /// The load balancer an interface described as `ELB net/NAME/ID` or `ELB gwy/NAME/ID` belongs
    /// to; one missing from describe-load-balancers is added as known by its node alone.
    mutating func loadBalancer(describedBy description: String, record: Record, subnet: SubnetIndex) -> LoadBalancerIndex {
        let name = String(description.dropFirst("ELB ".count))
        let key = Self.elbKey(name)
        if let index = loadBalancerByKey[key] { return index }
        warn(record, "interface of load balancer \(name), missing from describe-load-balancers: its listeners and targets are unknown")
        let index = LoadBalancerIndex(topology.loadBalancers.count)
        var balancer = LoadBalancer(
            label: ResourceLabel(id: name, name: name.split(separator: "/").dropFirst().first.map(String.init)),
            kind: name.hasPrefix("gwy/") ? .gateway : .network, vpc: topology[subnet].vpc)
        balancer.listenersKnown = false
        loadBalancerByKey[key] = index
        topology.loadBalancers.append(balancer)
        return index
    }

    /// Nodes the interfaces did not give (no describe-network-interfaces, or an emulator that makes
    /// none), from the load balancer's `AvailabilityZones`; then target groups, listeners and
    /// endpoint services.
    mutating func completeLoadBalancers() {
        for record in records["LoadBalancers"] ?? [] {
            guard let arn = record.string("LoadBalancerArn"), let index = loadBalancerByARN[arn] else { continue }
            let groups = (record["SecurityGroups"]?.items ?? []).compactMap { $0.string.flatMap { groupByID[$0] } }
            for (z, zone) in (record["AvailabilityZones"]?.items ?? []).enumerated() {
                guard let subnetID = zone["SubnetId"]?.string, let subnet = subnetByID[subnetID] else {
                    warn(record, "subnet \(zone["SubnetId"]?.string ?? "?") is missing from the snapshot; the node there is ignored", field: "AvailabilityZones[\(z)]")
                    continue
                }
                if topology[index].nodes.contains(where: { topology[$0].subnet == subnet }) { continue }
                var node = NetworkInterface(label: ResourceLabel(id: "\(topology[index].label.name ?? arn)/\(subnetID)"), subnet: subnet, owner: .loadBalancer(index))
                node.sourceDestCheck = false
                node.securityGroups = groups
                for address in zone["LoadBalancerAddresses"]?.items ?? [] {
                    guard let text = address["PrivateIPv4Address"]?.string ?? (address["AllocationId"] == nil ? address["IpAddress"]?.string : nil),
                        case .v4(let ip)? = IPAddress(text)
                    else { continue }
                    var binding = NetworkInterface.IPv4Binding(privateAddress: ip)
                    if let text = address["IpAddress"]?.string, text != address["PrivateIPv4Address"]?.string, case .v4(let publicIP)? = IPAddress(text) {
                        binding.publicAddress = publicIP
                    }
                    node.ipv4.append(binding)
                }
                if node.ipv4.isEmpty {
                    warn(record, "the node's address in subnet \(subnetID) is not in the snapshot (describe-network-interfaces lists it as 'ELB \(Self.elbKindPrefix(topology[index].kind))/…'); traffic through it carries insufficient data", field: "AvailabilityZones[\(z)]")
                }
                topology.loadBalancers[index.rawValue].nodes.append(InterfaceIndex(topology.interfaces.count))
                topology.interfaces.append(node)
            }
        }
        buildTargetGroups()
        buildListeners()
        buildEndpointServices()
    }

    static func elbKindPrefix(_ kind: LoadBalancer.Kind) -> String { kind == .network ? "net" : "gwy" }

    /// Target groups with their targets (describe-target-health) and attributes, each on the load
    /// balancers it names.
    mutating func buildTargetGroups() {
        for record in records["TargetGroups"] ?? [] {
            guard let arn = record.string("TargetGroupArn") else { continue }
            let key = Self.elbKey(arn)
            let targetType: LoadBalancer.TargetType
            switch record.string("TargetType")?.lowercased() ?? "instance" {
            case "instance": targetType = .instance
            case "ip": targetType = .ip
            case let other:
                warn(record, "target type \(other) is not modelled; target group ignored", field: "TargetType")
                continue
            }
            let port = integer(record["Port"], in: 1...65535, record, field: "Port").value.map(UInt16.init) ?? 6081
            var group = LoadBalancer.TargetGroup(label: ResourceLabel(id: arn, name: record.string("TargetGroupName")), targetType: targetType, port: port)
            for attribute in elbAttributes[key] ?? [] {
                let value = attribute.string("Value")?.lowercased()
                switch attribute.string("Key") {
                case "preserve_client_ip.enabled": group.preserveClientIP = value == "true"
                // `use_load_balancer_configuration` leaves the load balancer's setting.
                case "load_balancing.cross_zone.enabled" where value == "true" || value == "false": group.crossZone = value == "true"
                default: break
                }
            }
            if let health = targetHealth[key] {
                group.targets = health.compactMap { target(from: $0, type: targetType) }
            } else {
                group.targetsKnown = false
                warn(record, "describe-target-health for target group \(record.string("TargetGroupName") ?? arn) is not in the snapshot: its targets are unknown")
            }
            for lbARN in (record["LoadBalancerArns"]?.items ?? []).compactMap(\.string) {
                guard let lb = loadBalancerByARN[lbARN] else { continue }
                targetGroupIndexes[arn, default: [:]][lb] = topology[lb].targetGroups.count
                topology.loadBalancers[lb.rawValue].targetGroups.append(group)
            }
            targetGroupsByARN[arn] = group
        }
    }

    /// One `TargetHealthDescriptions` entry as a target.
    mutating func target(from record: Record, type: LoadBalancer.TargetType) -> LoadBalancer.Target? {
        guard let id = record["Target"]?["Id"]?.string else { return nil }
        var target: LoadBalancer.Target
        switch type {
        case .instance:
            guard let instance = instanceByID[id] else {
                warn(record, "target \(id) is missing from describe-instances; ignored")
                return nil
            }
            target = LoadBalancer.Target(kind: .instance(instance))
        case .ip:
            guard let address = IPAddress(id) else {
                warn(record, "target \(id) is not an IP address; ignored", field: "Target.Id")
                return nil
            }
            target = LoadBalancer.Target(kind: .ip(address))
        }
        target.port = integer(record["Target"]?["Port"], in: 1...65535, record, field: "Target.Port").value.map(UInt16.init)
        if let state = record["TargetHealth"]?["State"]?.string {
            // `unhealthy.draining` drains: no new connections.
            let word = state.lowercased() == "unhealthy.draining" ? "draining" : state.lowercased()
            if let health = LoadBalancer.Target.Health(rawValue: word) { target.health = health } else {
                warn(record, "target health '\(state)' is not one packet-path knows; taken as unhealthy", field: "TargetHealth.State")
                target.health = .unhealthy
            }
        }
        return target
    }

    /// Listeners, each forwarding to a target group of its load balancer (R19.3).
    mutating func buildListeners() {
        for record in records["Listeners"] ?? [] {
            guard let lbARN = record.string("LoadBalancerArn"), let lb = loadBalancerByARN[lbARN] else { continue }
            guard let text = record.string("Protocol"), let listenerProtocol = LoadBalancer.ListenerProtocol(rawValue: text.lowercased().replacingOccurrences(of: "_", with: "-")) else {
                if topology[lb].kind == .network { warn(record, "listener protocol \(record.string("Protocol") ?? "missing") is not modelled; listener ignored", field: "Protocol") }
                continue
            }
            guard let port = integer(record["Port"], in: 1...65535, record, field: "Port").value else { continue }
            let action = (record["DefaultActions"]?.items ?? []).first { $0["Type"]?.string?.lowercased() == "forward" }
            let groupARN = action?["TargetGroupArn"]?.string ?? action?["ForwardConfig"]?["TargetGroups"]?.items.first?["TargetGroupArn"]?.string
            guard let groupARN, let group = targetGroupsByARN[groupARN] else {
                warn(record, "the listener's target group is missing from describe-target-groups; listener ignored", field: "DefaultActions")
                continue
            }
            let index: Int
            if let existing = targetGroupIndexes[groupARN]?[lb] {
                index = existing
            } else {
                index = topology[lb].targetGroups.count
                topology.loadBalancers[lb.rawValue].targetGroups.append(group)
                targetGroupIndexes[groupARN, default: [:]][lb] = index
            }
            topology.loadBalancers[lb.rawValue].listeners.append(LoadBalancer.Listener(listenerProtocol: listenerProtocol, port: UInt16(port), targetGroup: index))
        }
    }

    /// Endpoint services (describe-vpc-endpoint-service-configurations), their allowed principals,
    /// and the provider's view of connections, checked against the consumers' endpoints (R19.4).
    mutating func buildEndpointServices() {
        var serviceByID: [String: EndpointServiceIndex] = [:]
        for record in records["ServiceConfigurations"] ?? [] {
            guard let id = record.string("ServiceId"), let name = record.string("ServiceName") else { continue }
            var service = EndpointService(label: ResourceLabel(id: id, name: record.name), serviceName: name)
            let arns = ((record["NetworkLoadBalancerArns"]?.items ?? []) + (record["GatewayLoadBalancerArns"]?.items ?? [])).compactMap(\.string)
            service.loadBalancers = arns.compactMap { arn in
                if let lb = loadBalancerByARN[arn] { return lb }
                warn(record, "load balancer \(arn) is missing from describe-load-balancers; the service cannot reach it")
                return nil
            }
            service.acceptanceRequired = flag(record["AcceptanceRequired"], default: true, record, field: "AcceptanceRequired")
            service.privateDNSName = record.string("PrivateDnsName")
            service.privateDNSVerified = record["PrivateDnsNameConfiguration"]?["State"]?.string?.lowercased() == "verified"
            serviceByID[id] = EndpointServiceIndex(topology.endpointServices.count)
            topology.endpointServices.append(service)
        }
        for record in records["AllowedPrincipals"] ?? [] {
            guard let principal = record.string("Principal") else { continue }
            guard let id = record.string("ServiceId") ?? record.file.range(of: "vpce-svc-").map({ String(record.file[$0.lowerBound...].prefix { $0 != "." }) }),
                let service = serviceByID[id]
            else { continue }
            topology.endpointServices[service.rawValue].allowedPrincipals.append(principal)
        }
        for record in records["VpcEndpointConnections"] ?? [] {
            guard let id = record.string("VpcEndpointId"), let endpoint = endpointByID[id], let state = record.string("VpcEndpointState") else { continue }
            if ResourceState(state.lowercased()) != topology[endpoint].state {
                warn(record, "the provider sees endpoint \(id) as \(state), describe-vpc-endpoints as \(topology[endpoint].state); the endpoint's own state is used")
            }
        }
    }

    /// Each account's zone names and IDs (describe-availability-zones, R5.12).
    mutating func buildAvailabilityZones() {
        for record in records["AvailabilityZones"] ?? [] {
            guard let name = record.string("ZoneName"), let id = record.string("ZoneId") else { continue }
            // Without the ACCOUNT/REGION layout, the zones are the account of the VPCs, if one.
            let accounts = Set(topology.vpcs.map(\.account))
            guard let account = record.account ?? (accounts.count == 1 ? accounts.first : nil) else {
                warn(record, "zone IDs of an unknown account (several accounts' VPCs, no ACCOUNT/REGION folders); ignored")
                continue
            }
            topology.zoneIDs[account, default: [:]][name] = id
        }
    }
}
