import PathCore
import VPCTopology
import Yams

/// Security groups and network ACLs.
extension ScenarioBuilder {
    mutating func declareSecurityGroup(_ name: String, _ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "vpc", "default", "ingress", "egress"]) else { return }
        guard let vpcField = fields["vpc"], let vpc: VPCIndex = lookupIndex(vpcField.value, path: vpcField.path, .vpc)
        else {
            if fields["vpc"] == nil { reader.error("a security group needs 'vpc'", at: node, path: path) }
            // Register anyway so references to it do not cascade into more errors.
            unresolvedGroups.insert(topology.securityGroups.count)
            register(name, id: name, kind: .securityGroup, index: topology.securityGroups.count, path: path)
            topology.securityGroups.append(SecurityGroup(label: ResourceLabel(id: name, name: name), vpc: VPCIndex(0)))
            return
        }
        let index = topology.securityGroups.count
        topology.securityGroups.append(SecurityGroup(label: label(name, fields, prefix: "sg"), vpc: vpc))
        register(name, id: topology.securityGroups[index].label.id, kind: .securityGroup, index: index, path: path)
        if let f = fields["default"], reader.bool(f.value, path: f.path) == true {
            if topology.vpcs[vpc.rawValue].defaultSecurityGroup != nil {
                reader.error("\(topology[vpc].label) already has a default security group", at: f.value, path: f.path)
            }
            topology.vpcs[vpc.rawValue].defaultSecurityGroup = SecurityGroupIndex(index)
        }
    }

    /// Reads rules once every group exists, since rules may reference any group (R9.4).
    mutating func readSecurityGroupRules(_ name: String, _ node: Node, _ path: String) {
        guard let found = names[name], found.kind == .securityGroup, found.path == path, case .mapping = node else { return }
        let index = found.index
        let vpc = topology.securityGroups[index].vpc
        // A group whose VPC did not resolve holds a placeholder VPC index (an error is already
        // reported): its rules are still read, for their own errors, but it gets no defaults.
        let vpcResolved = vpc.rawValue < topology.vpcs.count && !unresolvedGroups.contains(index)
        if let ingress = node["ingress"] {
            topology.securityGroups[index].ingress = rules(ingress, path: path + ".ingress", peerKey: "source")
        }
        if let egress = node["egress"] {
            topology.securityGroups[index].egress = rules(egress, path: path + ".egress", peerKey: "destination")
        } else if vpcResolved {
            // A new security group allows all outbound traffic (R9.1 edge cases).
            topology.securityGroups[index].egress = allowAll(vpc: vpc)
        }
    }

    /// Allow-all rules for IPv4 and, when the VPC has IPv6, IPv6.
    func allowAll(vpc: VPCIndex) -> [SecurityGroup.Rule] {
        var rules = [SecurityGroup.Rule(traffic: .all, peer: .cidr(IPPrefix("0.0.0.0/0")!))]
        if !topology[vpc].ipv6CIDRs.isEmpty { rules.append(SecurityGroup.Rule(traffic: .all, peer: .cidr(IPPrefix("::/0")!))) }
        return rules
    }

    func rules(_ node: Node, path: String, peerKey: String) -> [SecurityGroup.Rule] {
        var rules: [SecurityGroup.Rule] = []
        for item in reader.sequence(node, path: path) {
            let allowed = ["protocol", "ports", "icmp-type", "icmp-code", peerKey, "description"]
            guard let fields = reader.fields(item.value, path: item.path, allowed: allowed) else { continue }
            guard let traffic = trafficMatch(fields, node: item.value, path: item.path) else { continue }
            guard let peerField = fields[peerKey] else {
                reader.error("a rule needs '\(peerKey)' (a CIDR, a prefix list or a security group)", at: item.value, path: item.path)
                continue
            }
            for peer in reader.sequence(peerField.value, path: peerField.path) {
                guard let text = reader.string(peer.value, path: peer.path) else { continue }
                if text.contains("/") {
                    if let prefix = reader.prefix(peer.value, path: peer.path) {
                        rules.append(SecurityGroup.Rule(traffic: traffic, peer: .cidr(prefix)))
                    }
                } else if let found = lookup(peer.value, path: peer.path, as: [.prefixList, .securityGroup]) {
                    let peer: SecurityGroup.Peer =
                        found.kind == .prefixList
                        ? .prefixList(PrefixListIndex(found.index)) : .securityGroup(SecurityGroupIndex(found.index))
                    rules.append(SecurityGroup.Rule(traffic: traffic, peer: peer))
                }
            }
        }
        return rules
    }

    /// `protocol`, `ports`, `icmp-type`, `icmp-code` of a rule (R9.3, R10.2).
    func trafficMatch(_ fields: [String: (value: Node, path: String)], node: Node, path: String) -> TrafficMatch? {
        guard let protocolField = fields["protocol"] else {
            reader.error("a rule needs 'protocol' (tcp, udp, icmp, icmpv6, all or a number)", at: node, path: path)
            return nil
        }
        guard let number = reader.protocolNumber(protocolField.value, path: protocolField.path) else { return nil }
        var traffic = TrafficMatch(protocolNumber: number)
        if let ports = fields["ports"] {
            guard number?.hasPorts == true else {
                reader.error("'ports' applies to tcp and udp only", at: ports.value, path: ports.path)
                return nil
            }
            traffic.ports = reader.ports(ports.value, path: ports.path)
        } else if number?.hasPorts == true {
            reader.error("a \(number!) rule needs 'ports' (a port, a range like 1024-65535, or 'all')", at: node, path: path)
            return nil
        }
        for key in ["icmp-type", "icmp-code"] {
            guard let f = fields[key] else { continue }
            guard number?.isICMP == true else {
                reader.error("'\(key)' applies to icmp and icmpv6 only", at: f.value, path: f.path)
                return nil
            }
            let value = reader.integer(f.value, path: f.path, in: 0...255).map { UInt8($0) }
            if key == "icmp-type" { traffic.icmpType = value } else { traffic.icmpCode = value }
        }
        return traffic
    }

    /// The VPC's default security group, created on first use as AWS does (R9.6): inbound from
    /// its own members, all outbound.
    mutating func defaultSecurityGroup(for vpc: VPCIndex) -> SecurityGroupIndex {
        if let existing = topology[vpc].defaultSecurityGroup { return existing }
        let index = SecurityGroupIndex(topology.securityGroups.count)
        let name = topology[vpc].label.name ?? topology[vpc].label.id
        let group = SecurityGroup(
            label: ResourceLabel(id: ResourceID.make(prefix: "sg", name: name + "/default"), name: "\(name)-default"),
            vpc: vpc, ingress: [SecurityGroup.Rule(traffic: .all, peer: .securityGroup(index))], egress: allowAll(vpc: vpc))
        topology.securityGroups.append(group)
        topology.vpcs[vpc.rawValue].defaultSecurityGroup = index
        return index
    }

    /// The groups named in `node`, or the VPC default when absent; all must be in `vpc`.
    mutating func securityGroups(_ node: Node?, path: String, vpc: VPCIndex) -> [SecurityGroupIndex] {
        guard let node else { return [defaultSecurityGroup(for: vpc)] }
        return stringList(node, path: path).compactMap { _, item, itemPath in
            guard let group: SecurityGroupIndex = lookupIndex(item, path: itemPath, .securityGroup) else { return nil }
            if topology[group].vpc != vpc {
                reader.error("security group \(topology[group].label) belongs to another VPC", at: item, path: itemPath)
            }
            return group
        }
    }

    mutating func readNetworkACL(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "vpc", "default", "subnets", "ingress", "egress"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        guard let vpcField = fields["vpc"], let vpc: VPCIndex = lookupIndex(vpcField.value, path: vpcField.path, .vpc)
        else {
            if fields["vpc"] == nil { reader.error("a network ACL needs 'vpc'", at: node, path: path) }
            return
        }
        let isDefault = fields["default"].flatMap { reader.bool($0.value, path: $0.path) } ?? false
        let index = topology.networkACLs.count
        let ingress = fields["ingress"].map { entries($0.value, path: $0.path) } ?? []
        let egress = fields["egress"].map { entries($0.value, path: $0.path) } ?? []
        topology.networkACLs.append(
            NetworkACL(label: label(name, fields, prefix: "acl"), vpc: vpc, isDefault: isDefault, ingress: ingress, egress: egress))
        register(name, id: topology.networkACLs[index].label.id, kind: .networkACL, index: index, path: path)
        if isDefault { topology.vpcs[vpc.rawValue].defaultNetworkACL = NetworkACLIndex(index) }
        for (_, item, itemPath) in stringList(fields["subnets"]?.value, path: path + ".subnets") {
            guard let subnet: SubnetIndex = lookupIndex(item, path: itemPath, .subnet) else { continue }
            if let other = subnetACLs[subnet.rawValue] {
                reader.error("a subnet has exactly one network ACL (R10.1); it is already associated at \(other)", at: item, path: itemPath)
            }
            subnetACLs[subnet.rawValue] = itemPath
            topology.subnets[subnet.rawValue].networkACL = NetworkACLIndex(index)
        }
    }

    func entries(_ node: Node, path: String) -> [NetworkACL.Entry] {
        var entries: [NetworkACL.Entry] = []
        var numbers: [Int: String] = [:]
        for item in reader.sequence(node, path: path) {
            let allowed = ["rule", "action", "protocol", "ports", "icmp-type", "icmp-code", "cidr"]
            guard let fields = reader.fields(item.value, path: item.path, allowed: allowed) else { continue }
            guard let ruleField = fields["rule"], let actionField = fields["action"], let cidrField = fields["cidr"] else {
                reader.error("a network ACL rule needs 'rule', 'action', 'protocol' and 'cidr'", at: item.value, path: item.path)
                continue
            }
            guard let number = reader.integer(ruleField.value, path: ruleField.path, in: 1...32766),
                let traffic = trafficMatch(fields, node: item.value, path: item.path),
                let cidr = reader.prefix(cidrField.value, path: cidrField.path),
                let action = reader.string(actionField.value, path: actionField.path)
            else { continue }
            guard action == "allow" || action == "deny" else {
                reader.error("action must be 'allow' or 'deny'", at: actionField.value, path: actionField.path)
                continue
            }
            if let other = numbers[number] {
                reader.error("rule number \(number) is already used at \(other)", at: ruleField.value, path: ruleField.path)
            }
            numbers[number] = ruleField.path
            entries.append(NetworkACL.Entry(ruleNumber: number, allows: action == "allow", traffic: traffic, cidr: cidr))
        }
        return entries
    }
}
