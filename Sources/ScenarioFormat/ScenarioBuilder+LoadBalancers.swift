import PathCore
import VPCTopology
import Yams

/// Accounts, load balancers and endpoint services (R5.12, R19.3, R19.4).
extension ScenarioBuilder {
    /// An account: its 12-digit ID and its Availability Zone names' IDs (R5.12).
    mutating func readAccount(_ name: String, _ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "availability-zones"]) else { return }
        guard let idField = fields["id"], let id = reader.string(idField.value, path: idField.path) else {
            reader.error("an account needs 'id', its 12-digit account ID", at: node, path: path)
            return
        }
        if id.count != 12 || !id.allSatisfy({ $0.isASCII && $0.isNumber }) {
            reader.error("an account ID has 12 digits", at: idField.value, path: idField.path)
        }
        accountIDs[name] = id
        guard let zones = fields["availability-zones"], let entries = reader.mapping(zones.value, path: zones.path) else { return }
        for entry in entries {
            guard let zoneID = reader.string(entry.value, path: entry.path) else { continue }
            topology.zoneIDs[id, default: [:]][entry.key] = zoneID
        }
    }

    mutating func readLoadBalancer(_ name: String, _ node: Node, _ path: String) {
        let allowed = [
            "id", "type", "scheme", "vpc", "nodes", "security-groups", "cross-zone", "enforce-inbound-rules-on-privatelink", "listeners",
            "target-groups", "dns-names",
        ]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        guard let vpcField = fields["vpc"], let vpc: VPCIndex = lookupIndex(vpcField.value, path: vpcField.path, .vpc),
            let nodesField = fields["nodes"], let nodes = reader.mapping(nodesField.value, path: nodesField.path)
        else {
            reader.error("a load balancer needs 'vpc' and 'nodes': a mapping from subnet name to the node's private IP (R19.3)", at: node, path: path)
            return
        }
        var kind = LoadBalancer.Kind.network
        if let f = fields["type"] {
            guard let value: LoadBalancer.Kind = reader.choice(f.value, path: f.path, key: "type") else { return }
            kind = value
        }
        var scheme = LoadBalancer.Scheme.internal
        if let f = fields["scheme"] {
            guard let value: LoadBalancer.Scheme = reader.choice(f.value, path: f.path, key: "scheme") else { return }
            scheme = value
        }
        let index = LoadBalancerIndex(topology.loadBalancers.count)
        // ELB's own naming: `net/NAME/ID` and `gwy/NAME/ID`, as in its interfaces' descriptions.
        let hash = ResourceID.make(prefix: kind.rawValue, name: name).split(separator: "-").last.map { String($0.suffix(16)) } ?? ""
        let id = fields["id"].flatMap { reader.string($0.value, path: $0.path) } ?? "\(kind == .network ? "net" : "gwy")/\(name)/\(hash)"
        var balancer = LoadBalancer(label: ResourceLabel(id: id, name: name), kind: kind, scheme: scheme, vpc: vpc)
        balancer.dnsNames = stringList(fields["dns-names"]?.value, path: path + ".dns-names").map(\.0)
        if let f = fields["cross-zone"] { balancer.crossZone = reader.bool(f.value, path: f.path) ?? false }
        if let f = fields["enforce-inbound-rules-on-privatelink"] {
            balancer.enforcesInboundRulesOnPrivateLink = reader.bool(f.value, path: f.path) ?? true
        }
        // R19.3: a load balancer created without security groups has none; that is not deny-all.
        var groups: [SecurityGroupIndex] = []
        if let f = fields["security-groups"] {
            if kind == .gateway { reader.error("Gateway Load Balancers have no security groups", at: f.value, path: f.path) }
            groups = securityGroups(f.value, path: f.path, vpc: vpc)
            balancer.hasSecurityGroups = !groups.isEmpty
        }
        register(name, id: balancer.label.id, kind: .loadBalancer, index: index.rawValue, path: path)
        for (subnet, entry) in zonalSubnets(nodes, vpc: vpc, what: "a load balancer has one node per Availability Zone (R19.3)") {
            var interface = NetworkInterface(
                label: ResourceLabel(id: ResourceID.make(prefix: "eni", name: "\(name)/\(entry.key)"), name: "\(name)/\(entry.key)"),
                subnet: subnet, owner: .loadBalancer(index))
            if case .mapping = entry.value {
                guard let address = reader.fields(entry.value, path: entry.path, allowed: ["id", "private-ip", "public-ip"]) else { continue }
                if let id = address["id"].flatMap({ reader.string($0.value, path: $0.path) }) { interface.label.id = id }
                readAddresses(address, into: &interface, path: entry.path)
            } else if let address = reader.ipv4(entry.value, path: entry.path) {
                interface.ipv4 = [NetworkInterface.IPv4Binding(privateAddress: address)]
            }
            if interface.ipv4.isEmpty {
                reader.error("a load balancer node needs its private IP", path: entry.path)
                continue
            }
            if scheme == .internetFacing && kind == .network && interface.ipv4[0].publicAddress == nil {
                reader.error("an internet-facing load balancer's node needs 'public-ip' (R19.3)", path: entry.path)
            }
            if scheme == .internal && interface.ipv4[0].publicAddress != nil {
                reader.error("an internal load balancer has no public IP", path: entry.path + ".public-ip")
            }
            interface.securityGroups = groups
            interface.sourceDestCheck = false
            balancer.nodes.append(addInterface(interface, name: nil, path: entry.path))
        }
        readTargetGroups(fields["target-groups"], into: &balancer, path: path + ".target-groups")
        if let f = fields["listeners"] {
            if kind == .gateway { reader.error("a Gateway Load Balancer has no listeners to configure here: it takes all traffic (R19.5)", at: f.value, path: f.path) }
            for item in reader.sequence(f.value, path: f.path) {
                if let listener = readListener(item.value, item.path, groups: balancer.targetGroups) { balancer.listeners.append(listener) }
            }
        }
        topology.loadBalancers.append(balancer)
    }

    mutating func readTargetGroups(_ field: (value: Node, path: String)?, into balancer: inout LoadBalancer, path: String) {
        guard let field, let groups = reader.mapping(field.value, path: field.path) else { return }
        for entry in groups {
            guard let fields = reader.fields(entry.value, path: entry.path, allowed: ["port", "target-type", "preserve-client-ip", "cross-zone", "targets"])
            else { continue }
            var targetType = LoadBalancer.TargetType.instance
            if let f = fields["target-type"] {
                guard let value: LoadBalancer.TargetType = reader.choice(f.value, path: f.path, key: "target-type") else { continue }
                targetType = value
            }
            let port = fields["port"].flatMap { reader.integer($0.value, path: $0.path, in: 1...65535) }.map(UInt16.init)
            if balancer.kind == .network && port == nil { reader.error("a target group needs 'port'", at: entry.value, path: entry.path) }
            var group = LoadBalancer.TargetGroup(
                label: ResourceLabel(id: ResourceID.make(prefix: "tg", name: "\(balancer.label.name ?? "")/\(entry.key)"), name: entry.key),
                targetType: targetType, port: port ?? 6081)
            if let f = fields["preserve-client-ip"] { group.preserveClientIP = reader.bool(f.value, path: f.path) }
            if let f = fields["cross-zone"] { group.crossZone = reader.bool(f.value, path: f.path) }
            if let f = fields["targets"] {
                group.targets = reader.sequence(f.value, path: f.path).compactMap { readTarget($0.value, $0.path, type: targetType, vpc: balancer.vpc) }
            }
            balancer.targetGroups.append(group)
        }
    }

    /// A target: an instance's name, an IP address, or a mapping with `instance` or `ip`, and
    /// optionally `port` and `health`.
    func readTarget(_ node: Node, _ path: String, type: LoadBalancer.TargetType, vpc: VPCIndex) -> LoadBalancer.Target? {
        var named = node
        var namedPath = path
        var target = LoadBalancer.Target(kind: .ip(.v4(IPv4Address(0))))
        if case .mapping = node {
            guard let fields = reader.fields(node, path: path, allowed: ["instance", "ip", "port", "health"]) else { return nil }
            guard let f = fields[type == .instance ? "instance" : "ip"] else {
                reader.error("a target of a target group of type \(type.rawValue) needs '\(type == .instance ? "instance" : "ip")'", at: node, path: path)
                return nil
            }
            (named, namedPath) = f
            target.port = fields["port"].flatMap { reader.integer($0.value, path: $0.path, in: 1...65535) }.map(UInt16.init)
            if let f = fields["health"] {
                guard let health: LoadBalancer.Target.Health = reader.choice(f.value, path: f.path, key: "health") else { return nil }
                target.health = health
            }
        }
        switch type {
        case .instance:
            guard let instance: InstanceIndex = lookupIndex(named, path: namedPath, .instance) else { return nil }
            if let interface = topology[instance].interfaces.first, topology[topology[interface].subnet].vpc != vpc {
                reader.error("instance targets must be in the load balancer's VPC", at: named, path: namedPath)
            }
            target.kind = .instance(instance)
        case .ip:
            guard let address = reader.address(named, path: namedPath) else { return nil }
            target.kind = .ip(address)
        }
        return target
    }

    func readListener(_ node: Node, _ path: String, groups: [LoadBalancer.TargetGroup]) -> LoadBalancer.Listener? {
        guard let fields = reader.fields(node, path: path, allowed: ["protocol", "port", "target-group"]),
            let protocolField = fields["protocol"], let portField = fields["port"], let groupField = fields["target-group"]
        else {
            reader.error("a listener needs 'protocol', 'port' and 'target-group'", at: node, path: path)
            return nil
        }
        guard let listenerProtocol: LoadBalancer.ListenerProtocol = reader.choice(protocolField.value, path: protocolField.path, key: "protocol"),
            let port = reader.integer(portField.value, path: portField.path, in: 1...65535),
            let groupName = reader.string(groupField.value, path: groupField.path)
        else { return nil }
        guard let group = groups.firstIndex(where: { $0.label.name == groupName }) else {
            reader.error("'\(groupName)' names no target group of this load balancer", at: groupField.value, path: groupField.path)
            return nil
        }
        return LoadBalancer.Listener(listenerProtocol: listenerProtocol, port: UInt16(port), targetGroup: group)
    }

    mutating func readEndpointService(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "load-balancers", "acceptance-required", "allowed-principals", "private-dns-name", "private-dns-verified"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        let label = label(name, fields, prefix: "vpce-svc")
        let balancers: [LoadBalancerIndex] = stringList(fields["load-balancers"]?.value, path: path + ".load-balancers").compactMap {
            lookupIndex($0.1, path: $0.2, .loadBalancer)
        }
        guard !balancers.isEmpty else {
            reader.error("an endpoint service needs 'load-balancers': the Network or Gateway Load Balancers it publishes (R5.12)", at: node, path: path)
            return
        }
        if Set(balancers.map { topology[$0].kind }).count > 1 {
            reader.error("an endpoint service publishes Network Load Balancers or Gateway Load Balancers, not both", path: path + ".load-balancers")
        }
        let region = topology[topology[balancers[0]].vpc].region
        var service = EndpointService(label: label, serviceName: "com.amazonaws.vpce.\(region).\(label.id)")
        service.loadBalancers = balancers
        if let f = fields["acceptance-required"] { service.acceptanceRequired = reader.bool(f.value, path: f.path) ?? true }
        service.allowedPrincipals = stringList(fields["allowed-principals"]?.value, path: path + ".allowed-principals").map(\.0)
        service.privateDNSName = fields["private-dns-name"].flatMap { reader.string($0.value, path: $0.path) }
        if let f = fields["private-dns-verified"] { service.privateDNSVerified = reader.bool(f.value, path: f.path) ?? false }
        register(name, id: label.id, kind: .endpointService, index: topology.endpointServices.count, path: path)
        topology.endpointServices.append(service)
    }
}
