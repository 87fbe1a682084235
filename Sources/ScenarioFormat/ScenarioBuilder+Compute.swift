import PathCore
import VPCTopology
import Yams

/// Instances, network interfaces, Lambda functions, NAT gateways and VPC endpoints.
extension ScenarioBuilder {
    static let addressKeys = ["private-ip", "public-ip", "secondary-private-ips", "ipv6-addresses"]

    /// The subnet a resource names in `subnet`.
    func subnetField(_ fields: [String: (value: Node, path: String)], node: Node, path: String, what: String) -> SubnetIndex? {
        guard let f = fields["subnet"] else {
            reader.error("\(what) needs 'subnet'", at: node, path: path)
            return nil
        }
        return lookupIndex(f.value, path: f.path, .subnet)
    }

    /// Reads the address keys of an interface-like resource into `interface`.
    func readAddresses(_ fields: [String: (value: Node, path: String)], into interface: inout NetworkInterface, path: String) {
        if let f = fields["private-ip"], let address = reader.ipv4(f.value, path: f.path) {
            let publicAddress = fields["public-ip"].flatMap { reader.ipv4($0.value, path: $0.path) }
            interface.ipv4.append(NetworkInterface.IPv4Binding(privateAddress: address, publicAddress: publicAddress))
        } else if fields["public-ip"] != nil && fields["private-ip"] == nil {
            reader.error("'public-ip' pairs with 'private-ip' (R7.2)", path: path + ".public-ip")
        }
        if let f = fields["secondary-private-ips"] {
            for item in reader.sequence(f.value, path: f.path) {
                if case .mapping = item.value {
                    guard let entry = reader.fields(item.value, path: item.path, allowed: ["ip", "public-ip"]),
                        let ip = entry["ip"], let address = reader.ipv4(ip.value, path: ip.path)
                    else { continue }
                    let publicAddress = entry["public-ip"].flatMap { reader.ipv4($0.value, path: $0.path) }
                    interface.ipv4.append(NetworkInterface.IPv4Binding(privateAddress: address, publicAddress: publicAddress))
                } else if let address = reader.ipv4(item.value, path: item.path) {
                    interface.ipv4.append(NetworkInterface.IPv4Binding(privateAddress: address))
                }
            }
        }
        if let f = fields["ipv6-addresses"] {
            interface.ipv6 = reader.sequence(f.value, path: f.path).compactMap { reader.ipv6($0.value, path: $0.path) }
        }
    }

    /// Appends an interface and registers its name; returns its index.
    mutating func addInterface(_ interface: NetworkInterface, name: String?, path: String) -> InterfaceIndex {
        let index = topology.interfaces.count
        topology.interfaces.append(interface)
        if let name { register(name, id: interface.label.id, kind: .interface, index: index, path: path) }
        paths[.interface, default: [:]][index] = path
        return InterfaceIndex(index)
    }

    mutating func readInstance(_ name: String, _ node: Node, _ path: String) {
        let allowed =
            ["id", "subnet", "security-groups", "source-dest-check", "state", "interface-id"] + Self.addressKeys
        guard let fields = reader.fields(node, path: path, allowed: allowed),
            let subnet = subnetField(fields, node: node, path: path, what: "an instance")
        else { return }
        let instanceIndex = InstanceIndex(topology.instances.count)
        var instance = Instance(label: label(name, fields, prefix: "i"))
        instance.state = fields["state"].flatMap { reader.string($0.value, path: $0.path) }.map { ResourceState($0) } ?? .running
        register(name, id: instance.label.id, kind: .instance, index: instanceIndex.rawValue, path: path)
        let interfaceID =
            fields["interface-id"].flatMap { reader.string($0.value, path: $0.path) }
            ?? ResourceID.make(prefix: "eni", name: name)
        var interface = NetworkInterface(label: ResourceLabel(id: interfaceID, name: "\(name)/eth0"), subnet: subnet, owner: .instance(instanceIndex))
        readAddresses(fields, into: &interface, path: path)
        if interface.ipv4.isEmpty && interface.ipv6.isEmpty {
            reader.error("an instance needs 'private-ip' or 'ipv6-addresses'", at: node, path: path)
        }
        interface.securityGroups = securityGroups(fields["security-groups"]?.value, path: path + ".security-groups", vpc: topology[subnet].vpc)
        if let f = fields["source-dest-check"] { interface.sourceDestCheck = reader.bool(f.value, path: f.path) ?? true }
        instance.interfaces = [addInterface(interface, name: nil, path: path)]
        names[interfaceID] = (.interface, instance.interfaces[0].rawValue, path)
        topology.instances.append(instance)
    }

    mutating func readStandaloneInterface(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "subnet", "security-groups", "source-dest-check", "instance", "managed-by"] + Self.addressKeys
        guard let fields = reader.fields(node, path: path, allowed: allowed),
            let subnet = subnetField(fields, node: node, path: path, what: "a network interface")
        else { return }
        var owner = NetworkInterface.Owner.none
        var instance: InstanceIndex?
        if let f = fields["instance"], let found: InstanceIndex = lookupIndex(f.value, path: f.path, .instance) {
            owner = .instance(found)
            instance = found
        }
        // An interface AWS manages (a transit gateway attachment's): in use, but no host.
        if let f = fields["managed-by"], let what = reader.string(f.value, path: f.path) {
            if instance != nil { reader.error("an interface is an instance's or 'managed-by' something, not both", at: f.value, path: f.path) }
            owner = .managed(what)
        }
        var interface = NetworkInterface(label: label(name, fields, prefix: "eni"), subnet: subnet, owner: owner)
        interface.isAttached = owner != .none
        readAddresses(fields, into: &interface, path: path)
        interface.securityGroups = securityGroups(fields["security-groups"]?.value, path: path + ".security-groups", vpc: topology[subnet].vpc)
        if let f = fields["source-dest-check"] { interface.sourceDestCheck = reader.bool(f.value, path: f.path) ?? true }
        let index = addInterface(interface, name: name, path: path)
        if let instance { topology.instances[instance.rawValue].interfaces.append(index) }
    }

    mutating func readNATGateway(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "subnet", "connectivity", "private-ip", "public-ip", "state"]
        guard var fields = reader.fields(node, path: path, allowed: allowed),
            let subnet = subnetField(fields, node: node, path: path, what: "a NAT gateway")
        else { return }
        // `private-ip: unknown`: a snapshot without the gateway's address (import writes it so);
        // what is routed to it is insufficient-data.
        let addressUnknown = fields["private-ip"]?.value.string == "unknown"
        if addressUnknown { fields["private-ip"] = nil }
        var connectivity = NATGateway.Connectivity.public
        if let f = fields["connectivity"] {
            guard let value: NATGateway.Connectivity = reader.choice(f.value, path: f.path, key: "connectivity") else { return }
            connectivity = value
        }
        let natIndex = NATGatewayIndex(topology.natGateways.count)
        var nat = NATGateway(label: label(name, fields, prefix: "nat"), subnet: subnet, connectivity: connectivity)
        nat.state = fields["state"].flatMap { reader.string($0.value, path: $0.path) }.map { ResourceState($0) } ?? .available
        var interface = NetworkInterface(
            label: ResourceLabel(id: ResourceID.make(prefix: "eni", name: name), name: "\(name)/eni"), subnet: subnet, owner: .natGateway(natIndex))
        interface.sourceDestCheck = false
        readAddresses(fields, into: &interface, path: path)
        if interface.ipv4.isEmpty && !addressUnknown { reader.error("a NAT gateway needs 'private-ip'", at: node, path: path) }
        if connectivity == .public && interface.ipv4.first?.publicAddress == nil && !addressUnknown {
            reader.error("a public NAT gateway needs 'public-ip' (its Elastic IP, R8.1)", at: node, path: path)
        }
        if connectivity == .private && interface.ipv4.first?.publicAddress != nil {
            reader.error("a private NAT gateway has no public IP (R8.3)", path: path + ".public-ip")
        }
        nat.interface = addInterface(interface, name: nil, path: path)
        register(name, id: nat.label.id, kind: .natGateway, index: natIndex.rawValue, path: path)
        topology.natGateways.append(nat)
    }

    mutating func readLambda(_ name: String, _ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["region", "vpc-config"]) else { return }
        let lambdaIndex = LambdaIndex(topology.lambdaFunctions.count)
        var function = LambdaFunction(
            label: ResourceLabel(id: name, name: name),
            region: fields["region"].flatMap { reader.string($0.value, path: $0.path) } ?? topology.region)
        register(name, id: name, kind: .lambda, index: lambdaIndex.rawValue, path: path)
        defer { topology.lambdaFunctions.append(function) }
        guard let config = fields["vpc-config"] else { return }  // outside any VPC (R6.6)
        let allowed = ["subnets", "security-groups", "ipv6-allowed-for-dual-stack"]
        guard let vpcConfig = reader.fields(config.value, path: config.path, allowed: allowed),
            let subnetsField = vpcConfig["subnets"], let subnets = reader.mapping(subnetsField.value, path: subnetsField.path)
        else {
            reader.error("'vpc-config' needs 'subnets': a mapping from subnet name to the Hyperplane ENI's IP", path: config.path)
            return
        }
        if let f = vpcConfig["ipv6-allowed-for-dual-stack"] { function.ipv6AllowedForDualStack = reader.bool(f.value, path: f.path) ?? false }
        for entry in subnets {
            guard let subnet = names[entry.key], subnet.kind == .subnet else {
                reader.error("'\(entry.key)' does not name a subnet", path: entry.path)
                continue
            }
            let subnetIndex = SubnetIndex(subnet.index)
            let groups = securityGroups(vpcConfig["security-groups"]?.value, path: config.path + ".security-groups", vpc: topology[subnetIndex].vpc)
            guard let address = reader.ipv4(entry.value, path: entry.path) else { continue }
            // R6.1: one Hyperplane ENI per (subnet, security-group set), shared by functions.
            let key = "\(subnetIndex.rawValue)/\(groups.map(\.rawValue).sorted())"
            if let shared = hyperplaneENIs[key] {
                if case .lambda(var functions) = topology.interfaces[shared.rawValue].owner {
                    functions.append(lambdaIndex)
                    topology.interfaces[shared.rawValue].owner = .lambda(functions)
                }
                if !topology[shared].owns(.v4(address)) {
                    reader.error(
                        "functions with the same subnet and security groups share one Hyperplane ENI (R6.1), already at \(topology[shared].ipv4.first!.privateAddress)",
                        at: entry.value, path: entry.path)
                }
                function.interfaces.append(shared)
                continue
            }
            var interface = NetworkInterface(
                label: ResourceLabel(id: ResourceID.make(prefix: "eni", name: "lambda/\(key)"), name: "\(name)/\(entry.key)"),
                subnet: subnetIndex, owner: .lambda([lambdaIndex]))
            interface.ipv4 = [NetworkInterface.IPv4Binding(privateAddress: address)]
            interface.securityGroups = groups
            let index = addInterface(interface, name: nil, path: entry.path)
            hyperplaneENIs[key] = index
            function.interfaces.append(index)
        }
    }

    /// Adds each gateway endpoint's `pl-… → vpce-…` route to its route tables (R4.2), after the
    /// written routes: a table holds one route per prefix list.
    mutating func addEndpointRoutes() {
        for pending in pendingEndpointRoutes {
            if topology[pending.table].routes.contains(where: { $0.destination == .prefixList(pending.list) }) {
                reader.error("a route table holds one endpoint route per service (R4.2)", at: pending.node, path: pending.path)
            }
            topology.routeTables[pending.table.rawValue].routes.append(
                Route(destination: .prefixList(pending.list), target: .gatewayEndpoint(pending.endpoint), origin: .createRoute))
        }
    }

    /// The subnets a `subnet: value` mapping names, each in `vpc` and in its own zone (endpoint
    /// ENIs, load balancer nodes); `rule` is the message for a second subnet in one zone.
    func zonalSubnets(_ entries: [YAMLReader.Entry], vpc: VPCIndex, what rule: String) -> [(SubnetIndex, YAMLReader.Entry)] {
        var zones: [String: String] = [:]
        var found: [(SubnetIndex, YAMLReader.Entry)] = []
        for entry in entries {
            guard let named = names[entry.key], named.kind == .subnet else {
                reader.error("'\(entry.key)' does not name a subnet", path: entry.path)
                continue
            }
            let subnet = SubnetIndex(named.index)
            if topology[subnet].vpc != vpc { reader.error("subnet \(entry.key) is in another VPC", path: entry.path) }
            let zone = topology[subnet].availabilityZone
            if let other = zones[zone] { reader.error("\(rule); \(zone) already has \(other)", path: entry.path) }
            zones[zone] = entry.key
            found.append((subnet, entry))
        }
        return found
    }

    mutating func readEndpoint(_ name: String, _ node: Node, _ path: String) {
        let allowed = [
            "id", "type", "service", "vpc", "state", "route-tables", "subnets", "security-groups", "private-dns",
            "private-dns-only-for-inbound-resolver", "dns-names", "targets",
        ]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        guard let vpcField = fields["vpc"], let vpc: VPCIndex = lookupIndex(vpcField.value, path: vpcField.path, .vpc),
            let serviceField = fields["service"], let serviceText = reader.string(serviceField.value, path: serviceField.path),
            let typeField = fields["type"]
        else {
            reader.error("an endpoint needs 'type', 'service' and 'vpc'", at: node, path: path)
            return
        }
        guard let kind: VPCEndpoint.Kind = reader.choice(typeField.value, path: typeField.path, key: "type") else { return }
        let region = topology[vpc].region
        // An endpoint service of the scenario by its name (R19.4), else an AWS service.
        let published = names[serviceText].flatMap { $0.kind == .endpointService ? topology.endpointServices[$0.index].serviceName : nil }
        let serviceName =
            published ?? (serviceText.hasPrefix("com.amazonaws.") ? serviceText : "com.amazonaws.\(region).\(AWSService.aliases[serviceText] ?? serviceText)")
        let endpointIndex = EndpointIndex(topology.endpoints.count)
        var endpoint = VPCEndpoint(label: label(name, fields, prefix: "vpce"), kind: kind, vpc: vpc, serviceName: serviceName)
        endpoint.state = fields["state"].flatMap { reader.string($0.value, path: $0.path) }.map { ResourceState($0) } ?? .available
        if let f = fields["targets"] {
            if kind == .gatewayLoadBalancer {
                endpoint.gatewayLoadBalancerTargets = reader.integer(f.value, path: f.path, in: 0...1_000_000)
            } else {
                reader.error("'targets' is for gateway-load-balancer endpoints: the targets of the load balancer behind it", at: f.value, path: f.path)
            }
        }
        register(name, id: endpoint.label.id, kind: .endpoint, index: endpointIndex.rawValue, path: path)
        defer { topology.endpoints.append(endpoint) }
        switch kind {
        case .gateway:
            // R4.2: the endpoint adds `pl-… → vpce-…` to each of its route tables.
            guard let list = topology.awsManagedPrefixList(for: serviceName) else {
                reader.error(
                    "no AWS-managed prefix list for \(serviceName): declare it under prefix-lists with 'aws-service' (R4.2)",
                    at: serviceField.value, path: serviceField.path)
                return
            }
            for (_, item, itemPath) in stringList(fields["route-tables"]?.value, path: path + ".route-tables") {
                guard let table: RouteTableIndex = lookupIndex(item, path: itemPath, .routeTable) else { continue }
                if topology[table].vpc != vpc { reader.error("route table \(topology[table].label) is in another VPC", at: item, path: itemPath) }
                endpoint.routeTables.append(table)
                pendingEndpointRoutes.append((table, list, endpointIndex, item, itemPath))
            }
        case .interface, .gatewayLoadBalancer:
            guard let subnetsField = fields["subnets"], let subnets = reader.mapping(subnetsField.value, path: subnetsField.path) else {
                reader.error("an \(kind.rawValue) endpoint needs 'subnets': a mapping from subnet name to the endpoint ENI's IP (R5.1)", at: node, path: path)
                return
            }
            for (subnet, entry) in zonalSubnets(subnets, vpc: vpc, what: "an endpoint has at most one subnet per Availability Zone (R5.1)") {
                guard let address = reader.ipv4(entry.value, path: entry.path) else { continue }
                let owner: NetworkInterface.Owner =
                    kind == .interface ? .interfaceEndpoint(endpointIndex) : .gatewayLoadBalancerEndpoint(endpointIndex)
                var interface = NetworkInterface(
                    label: ResourceLabel(id: ResourceID.make(prefix: "eni", name: "\(name)/\(entry.key)"), name: "\(name)/\(entry.key)"),
                    subnet: subnet, owner: owner)
                interface.ipv4 = [NetworkInterface.IPv4Binding(privateAddress: address)]
                // R12.5 edge: security groups do not apply to GWLB endpoints.
                interface.securityGroups =
                    kind == .interface ? securityGroups(fields["security-groups"]?.value, path: path + ".security-groups", vpc: vpc) : []
                endpoint.interfaces.append(addInterface(interface, name: nil, path: entry.path))
            }
            endpoint.privateDNSEnabled = fields["private-dns"].flatMap { reader.bool($0.value, path: $0.path) } ?? (kind == .interface)
            endpoint.privateDNSOnlyForInboundResolver =
                fields["private-dns-only-for-inbound-resolver"].flatMap { reader.bool($0.value, path: $0.path) } ?? false
            let service = AWSService(serviceName: serviceName)
            endpoint.dnsNames =
                stringList(fields["dns-names"]?.value, path: path + ".dns-names").map(\.0)
                + [endpoint.privateDNSEnabled ? service?.defaultDNSName : nil].compactMap { $0 }
        }
    }
}
