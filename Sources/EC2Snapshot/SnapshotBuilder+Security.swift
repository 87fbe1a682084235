import PathCore
import VPCTopology

/// Security groups (R16.7) and network ACLs (R16.8).
extension SnapshotBuilder {
    /// Protocol and ports of a security-group rule (R9.3): `IpProtocol` a name or a number
    /// string, `-1` all (its ports, if any, ignored); TCP and UDP need `FromPort` ≤ `ToPort` in
    /// 0–65535; ICMP carries type and code in them, -1 for all (absent: all). A protocol without
    /// ports allows every port whatever the range says. Anything else is an error, never "all".
    mutating func securityGroupTraffic(_ record: Record) -> TrafficMatch? {
        guard let protocolText = record["IpProtocol"]?.string else {
            fail(record, "expected IpProtocol, a protocol name or number (\"-1\" for all), found \(record["IpProtocol"].map(Self.describe) ?? "nothing")", field: "IpProtocol")
            return nil
        }
        let from = integer(record["FromPort"], in: -1...65535, record, field: "FromPort")
        let to = integer(record["ToPort"], in: -1...65535, record, field: "ToPort")
        if case .invalid = from { return nil }
        if case .invalid = to { return nil }
        if protocolText == "-1" || protocolText.lowercased() == "all" { return .all }
        guard let number = IPProtocolNumber(name: protocolText) else {
            fail(record, "unknown protocol '\(protocolText)'", field: "IpProtocol")
            return nil
        }
        var match = TrafficMatch(protocolNumber: number)
        if number.hasPorts {
            guard let low = from.value, let high = to.value, low >= 0, high >= 0, low <= high else {
                fail(record, "a \(number) rule needs FromPort ≤ ToPort, both from 0 to 65535")
                return nil
            }
            match.ports = PortRange(UInt16(low), UInt16(high))
        } else if number.isICMP {
            return icmp(&match, type: from.value ?? -1, code: to.value ?? -1, record, fields: ("FromPort", "ToPort")) ? match : nil
        }
        return match
    }

    /// Sets an ICMP match's type and code (-1: all); a type or code above 255, or a code for
    /// "all types", is an error.
    mutating func icmp(_ match: inout TrafficMatch, type: Int, code: Int, _ record: Record, fields: (String, String)) -> Bool {
        guard type <= 255 else {
            fail(record, "ICMP type \(type) is above 255", field: fields.0)
            return false
        }
        guard code <= 255 else {
            fail(record, "ICMP code \(code) is above 255", field: fields.1)
            return false
        }
        guard type >= 0 || code < 0 else {
            fail(record, "all ICMP types (-1) need all codes (-1), not code \(code)", field: fields.1)
            return false
        }
        match.icmpType = type < 0 ? nil : UInt8(type)
        match.icmpCode = code < 0 ? nil : UInt8(code)
        return true
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
                    guard let match = securityGroupTraffic(r) else { continue }
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
                  let match = securityGroupTraffic(record)
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
            if flag(record["IsEgress"], default: false, record, field: "IsEgress") {
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
                guard let (item, egressRule) = networkACLEntry(r) else { continue }
                if egressRule { egress.append(item) } else { ingress.append(item) }
            }
            let index = NetworkACLIndex(topology.networkACLs.count)
            let isDefault = flag(record["IsDefault"], default: false, record, field: "IsDefault")
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

    /// One entry of a network ACL (R10.2, R16.8), and whether it is outbound; `nil` for the `*`
    /// rules (32767, 32768: the implicit deny) and after an error. Every field is checked: an
    /// entry read wrongly could turn a deny into nothing, and so into an allow further down.
    mutating func networkACLEntry(_ r: Record) -> (NetworkACL.Entry, Bool)? {
        let expected = "a rule number from 1 to 32766 (32767 and 32768: the default rules)"
        guard case .valid(let number) = integer(r["RuleNumber"], in: 1...32768, r, field: "RuleNumber", expected: expected) else {
            if r["RuleNumber"] == nil { fail(r, "an entry needs RuleNumber (1 to 32766)", field: "RuleNumber") }
            return nil
        }
        // R10.2, R16.8: 32767 and 32768 are the `*` rules, evaluated last as the implicit deny.
        if number >= 32767 { return nil }
        guard let egressValue = r["Egress"], let isEgress = egressValue.bool else {
            fail(r, "expected Egress, true or false, found \(r["Egress"].map(Self.describe) ?? "nothing")", field: "Egress")
            return nil
        }
        guard let action = r.string("RuleAction")?.lowercased(), action == "allow" || action == "deny" else {
            fail(r, "expected RuleAction allow or deny, found \(r["RuleAction"].map(Self.describe) ?? "nothing")", field: "RuleAction")
            return nil
        }
        let protocolText: String
        switch r["Protocol"] {
        case .string(let text): protocolText = text
        case .number(let value) where value == value.rounded() && abs(value) < 256: protocolText = String(Int(value))
        default:
            fail(r, "expected Protocol, a protocol number (\"-1\" for all), found \(r["Protocol"].map(Self.describe) ?? "nothing")", field: "Protocol")
            return nil
        }
        guard let cidrText = r.string("CidrBlock") ?? r.string("Ipv6CidrBlock") else {
            fail(r, "an entry needs CidrBlock or Ipv6CidrBlock")
            return nil
        }
        guard let cidr = prefix(cidrText, r, field: r.string("CidrBlock") != nil ? "CidrBlock" : "Ipv6CidrBlock") else { return nil }
        var match = TrafficMatch.all
        if protocolText != "-1" && protocolText.lowercased() != "all" {
            guard let number = IPProtocolNumber(name: protocolText) else {
                fail(r, "unknown protocol '\(protocolText)'", field: "Protocol")
                return nil
            }
            match = TrafficMatch(protocolNumber: number)
            if number.hasPorts {
                let from = integer(r["PortRange"]?["From"], in: 0...65535, r, field: "PortRange.From")
                let to = integer(r["PortRange"]?["To"], in: 0...65535, r, field: "PortRange.To")
                guard let low = from.value, let high = to.value, low <= high else {
                    if case .absent = from { fail(r, "a \(number) entry needs PortRange From ≤ To, from 0 to 65535", field: "PortRange") }
                    else if case .absent = to { fail(r, "a \(number) entry needs PortRange From ≤ To, from 0 to 65535", field: "PortRange") }
                    else if from.value != nil && to.value != nil { fail(r, "PortRange From is above To", field: "PortRange") }
                    return nil
                }
                match.ports = PortRange(UInt16(low), UInt16(high))
            } else if number.isICMP {
                // IcmpTypeCode absent: every type and code (optional for ICMP over IPv4).
                let type = integer(r["IcmpTypeCode"]?["Type"], in: -1...255, r, field: "IcmpTypeCode.Type")
                let code = integer(r["IcmpTypeCode"]?["Code"], in: -1...255, r, field: "IcmpTypeCode.Code")
                if case .invalid = type { return nil }
                if case .invalid = code { return nil }
                guard icmp(&match, type: type.value ?? -1, code: code.value ?? -1, r, fields: ("IcmpTypeCode.Type", "IcmpTypeCode.Code")) else { return nil }
            }
        }
        return (NetworkACL.Entry(ruleNumber: number, allows: action == "allow", traffic: match, cidr: cidr), isEgress)
    }
}
