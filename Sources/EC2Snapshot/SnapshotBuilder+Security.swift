import PathCore
import VPCTopology

/// Security groups (R16.7) and network ACLs (R16.8).
extension SnapshotBuilder {
    /// Protocol and ports of a rule: `IpProtocol` is a name or a number string, `-1` all; ports
    /// absent for `-1`; ICMP type and code in the port fields (R9.3).
    mutating func traffic(protocolText: String?, from: Int?, to: Int?, _ record: Record) -> TrafficMatch? {
        let text = protocolText ?? "-1"
        if text == "-1" || text.lowercased() == "all" { return .all }
        guard let number = IPProtocolNumber(name: text) else {
            warn(record, "unknown protocol '\(text)'; rule ignored")
            return nil
        }
        var match = TrafficMatch(protocolNumber: number)
        if number.hasPorts {
            if let from, let to, from >= 0, to >= from, to <= 65535 { match.ports = PortRange(UInt16(from), UInt16(to)) }
        } else if number.isICMP {
            if let from, (0...255).contains(from) { match.icmpType = UInt8(from) }
            if let to, (0...255).contains(to) { match.icmpCode = UInt8(to) }
        }
        return match
    }

    /// A rule peer missing from the snapshot: it matches nothing, and a packet no other rule allows
    /// is insufficient data.
    mutating func missingPeer(_ id: String, _ record: Record) -> SecurityGroup.Peer {
        warn(record, "the rule refers to \(id), missing from the snapshot; packets only it could allow are insufficient data")
        return .missing(id: id)
    }

    mutating func buildSecurityGroups() {
        let groups = records["SecurityGroups"] ?? []
        for record in groups {
            guard let label = record.label("GroupId") else { continue }
            let named = ResourceLabel(id: label.id, name: label.name ?? record.string("GroupName"))
            guard let vpc = record.string("VpcId").flatMap({ vpcByID[$0] }) else {
                warn(record, "security group \(label.id) is in a VPC missing from the snapshot; ignored")
                continue
            }
            groupByID[label.id] = SecurityGroupIndex(topology.securityGroups.count)
            topology.securityGroups.append(SecurityGroup(label: named, vpc: vpc))
            if record.string("GroupName") == "default" { topology.vpcs[vpc.rawValue].defaultSecurityGroup = groupByID[label.id] }
        }
        for record in groups {
            guard let group = record.string("GroupId").flatMap({ groupByID[$0] }) else { continue }
            for (key, egress) in [("IpPermissions", false), ("IpPermissionsEgress", true)] {
                for (i, permission) in (record[key]?.items ?? []).enumerated() {
                    let r = Record(file: record.file, path: "\(record.path).\(key)[\(i)]", value: permission, region: nil, account: nil)
                    guard let match = traffic(protocolText: permission["IpProtocol"]?.string, from: permission["FromPort"]?.int,
                                              to: permission["ToPort"]?.int, r)
                    else { continue }
                    // One IpPermission may bundle several peers: each is an independent rule (R9.3).
                    var peers: [SecurityGroup.Peer] = []
                    for range in permission["IpRanges"]?.items ?? [] { if let p = prefix(range["CidrIp"]?.string, r, field: "IpRanges") { peers.append(.cidr(p)) } }
                    for range in permission["Ipv6Ranges"]?.items ?? [] { if let p = prefix(range["CidrIpv6"]?.string, r, field: "Ipv6Ranges") { peers.append(.cidr(p)) } }
                    for list in permission["PrefixListIds"]?.items ?? [] {
                        guard let id = list["PrefixListId"]?.string else { continue }
                        peers.append(listByID[id].map { .prefixList($0) } ?? missingPeer(id, r))
                    }
                    for pair in permission["UserIdGroupPairs"]?.items ?? [] {
                        guard let id = pair["GroupId"]?.string else { continue }
                        peers.append(groupByID[id].map { .securityGroup($0) } ?? missingPeer(id, r))
                    }
                    let rules = peers.map { SecurityGroup.Rule(traffic: match, peer: $0) }
                    if egress { topology.securityGroups[group.rawValue].egress += rules } else { topology.securityGroups[group.rawValue].ingress += rules }
                }
            }
        }
        // describe-security-group-rules: the flattened form (R16.7).
        for record in records["SecurityGroupRules"] ?? [] {
            guard let group = record.string("GroupId").flatMap({ groupByID[$0] }),
                  let match = traffic(protocolText: record.string("IpProtocol"), from: record["FromPort"]?.int, to: record["ToPort"]?.int, record)
            else { continue }
            let peer: SecurityGroup.Peer?
            if let cidr = record.string("CidrIpv4") ?? record.string("CidrIpv6") {
                peer = prefix(cidr, record, field: "Cidr").map { .cidr($0) }
            } else if let id = record.string("PrefixListId") {
                peer = listByID[id].map { .prefixList($0) } ?? missingPeer(id, record)
            } else if let id = record["ReferencedGroupInfo"]?["GroupId"]?.string {
                peer = groupByID[id].map { .securityGroup($0) } ?? missingPeer(id, record)
            } else {
                peer = nil
            }
            guard let peer else { continue }
            let rule = SecurityGroup.Rule(traffic: match, peer: peer)
            if record["IsEgress"]?.bool == true {
                if !topology.securityGroups[group.rawValue].egress.contains(rule) { topology.securityGroups[group.rawValue].egress.append(rule) }
            } else if !topology.securityGroups[group.rawValue].ingress.contains(rule) {
                topology.securityGroups[group.rawValue].ingress.append(rule)
            }
        }
    }

    mutating func buildNetworkACLs() {
        for record in records["NetworkAcls"] ?? [] {
            guard let label = record.label("NetworkAclId") else { continue }
            guard let vpc = record.string("VpcId").flatMap({ vpcByID[$0] }) else {
                warn(record, "network ACL \(label.id) is in a VPC missing from the snapshot; ignored")
                continue
            }
            var ingress: [NetworkACL.Entry] = []
            var egress: [NetworkACL.Entry] = []
            for (i, entry) in (record["Entries"]?.items ?? []).enumerated() {
                let r = Record(file: record.file, path: "\(record.path).Entries[\(i)]", value: entry, region: nil, account: nil)
                guard let number = entry["RuleNumber"]?.int else { continue }
                // R10.2, R16.8: 32767 and 32768 are the `*` rules, evaluated last as the implicit deny.
                if number >= 32767 { continue }
                let protocolText = entry["Protocol"]?.string ?? entry["Protocol"]?.int.map { String($0) }
                let isICMP = protocolText == "1" || protocolText == "58"
                let from = isICMP ? entry["IcmpTypeCode"]?["Type"]?.int : entry["PortRange"]?["From"]?.int
                let to = isICMP ? entry["IcmpTypeCode"]?["Code"]?.int : entry["PortRange"]?["To"]?.int
                guard var match = traffic(protocolText: protocolText, from: from, to: to, r),
                      let cidr = prefix(entry["CidrBlock"]?.string ?? entry["Ipv6CidrBlock"]?.string, r, field: "CidrBlock")
                else { continue }
                if isICMP && from == -1 { match.icmpType = nil }
                if isICMP && to == -1 { match.icmpCode = nil }
                let action = entry["RuleAction"]?.string?.lowercased()
                let item = NetworkACL.Entry(ruleNumber: number, allows: action == "allow", traffic: match, cidr: cidr)
                if entry["Egress"]?.bool == true { egress.append(item) } else { ingress.append(item) }
            }
            let index = NetworkACLIndex(topology.networkACLs.count)
            let isDefault = record["IsDefault"]?.bool ?? false
            topology.networkACLs.append(NetworkACL(label: label, vpc: vpc, isDefault: isDefault, ingress: ingress, egress: egress))
            if isDefault { topology.vpcs[vpc.rawValue].defaultNetworkACL = index }
            for association in record["Associations"]?.items ?? [] {
                guard let subnetID = association["SubnetId"]?.string else { continue }
                guard let subnet = subnetByID[subnetID] else {
                    warn(record, "association with subnet \(subnetID), missing from the snapshot", field: "Associations")
                    continue
                }
                topology.subnets[subnet.rawValue].networkACL = index
            }
        }
    }
}
