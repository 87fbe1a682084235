import PathClassifier
import PathCore
import VPCTopology

/// Which rules, routes and gateways of a topology a replay's records met, which they never met,
/// and which can never match at all (issue 14's coverage; docs/recommend.md).
///
/// A security-group hit goes to the first rule that allows the packet, in the order of the
/// interface's groups and their rules (AWS evaluates them as a union, R9.1: the count says which
/// rule sufficed first). A network ACL hit goes to the entry that decided (R10.2), the `*` rule
/// included; a route hit to the route the table chose (R1.1).
public struct Coverage: Sendable {
    /// One rule, entry or route with its hits.
    public struct Entry: Sendable, Hashable {
        public var key: CoverageKey
        /// The rule as `trace` writes it: `egress tcp 443 to 0.0.0.0/0`, `rule 100 allow tcp 22 10.0.0.0/8`,
        /// `route 0.0.0.0/0 → igw-…`.
        public var text: String
        public var records: Int
        /// An entry that makes this one never match: an earlier network ACL entry that covers it,
        /// or another rule of the same group and direction at least as broad (the earlier of two
        /// equal ones stands). Its position, like ``CoverageKey/rule``.
        public var coveredBy: Int?
    }

    /// A gateway or endpoint with the records that crossed it.
    public struct Gateway: Sendable, Hashable {
        public var resource: ResourceLabel
        public var kind: String
        public var records: Int
    }

    /// Security-group rules, network ACL entries and routes, resource by resource in the topology's order.
    public var entries: [Entry] = []
    public var gateways: [Gateway] = []

    public init(topology: Topology, report: TrafficReport) {
        let words = Classifier(topology: topology)
        func hits(_ kind: HopKind, _ resource: ResourceLabel, _ rule: Int?) -> Int {
            report.coverage[CoverageKey(kind: kind, resource: resource.id, rule: rule)] ?? 0
        }
        for group in topology.securityGroups {
            for (kind, rules) in [(HopKind.securityGroupIngress, group.ingress), (.securityGroupEgress, group.egress)] {
                let egress = kind == .securityGroupEgress
                for (position, rule) in rules.enumerated() {
                    let broader = rules.indices.first { other in
                        other != position && Self.covers(rules[other].peer, rule.peer) && rules[other].traffic.covers(rule.traffic)
                            && !(other > position && Self.covers(rule.peer, rules[other].peer) && rule.traffic.covers(rules[other].traffic))
                    }
                    entries.append(
                        Entry(
                            key: CoverageKey(kind: kind, resource: group.label.id, rule: position),
                            text: "\(egress ? "egress" : "ingress") \(rule.traffic) \(egress ? "to" : "from") \(words.describe(rule.peer))",
                            records: hits(kind, group.label, position), coveredBy: broader))
                }
            }
        }
        for acl in topology.networkACLs {
            for (kind, list) in [(HopKind.networkACLIngress, acl.ingress), (.networkACLEgress, acl.egress)] {
                for (position, entry) in list.enumerated() {
                    let earlier = list.indices.prefix(position).first { list[$0].cidr.contains(entry.cidr) && list[$0].traffic.covers(entry.traffic) }
                    entries.append(
                        Entry(
                            key: CoverageKey(kind: kind, resource: acl.label.id, rule: position),
                            text: "rule \(entry.ruleNumber) \(entry.allows ? "allow" : "deny") \(entry.traffic) \(entry.cidr)",
                            records: hits(kind, acl.label, position), coveredBy: earlier))
                }
                // The `*` rule, after the numbered entries (R10.2).
                entries.append(
                    Entry(
                        key: CoverageKey(kind: kind, resource: acl.label.id, rule: list.count), text: "rule * deny all traffic",
                        records: hits(kind, acl.label, list.count), coveredBy: nil))
            }
        }
        for table in topology.routeTables {
            for (position, route) in table.routes.enumerated() {
                entries.append(
                    Entry(
                        key: CoverageKey(kind: .routeTable, resource: table.label.id, rule: position), text: words.describe(route, matched: nil),
                        records: hits(.routeTable, table.label, position), coveredBy: nil))
            }
        }
        var crossed: [String: Int] = [:]
        for (key, count) in report.coverage where key.rule == nil { crossed[key.resource, default: 0] += count }
        func add(_ label: ResourceLabel, _ kind: String) { gateways.append(Gateway(resource: label, kind: kind, records: crossed[label.id] ?? 0)) }
        for gateway in topology.internetGateways { add(gateway.label, "internet gateway") }
        for gateway in topology.egressOnlyGateways { add(gateway.label, "egress-only internet gateway") }
        for gateway in topology.natGateways { add(gateway.label, "NAT gateway") }
        for endpoint in topology.endpoints { add(endpoint.label, "\(endpoint.kind.rawValue) endpoint") }
        for peering in topology.peeringConnections { add(peering.label, "peering connection") }
        for gateway in topology.transitGateways { add(gateway.label, "transit gateway") }
        for gateway in topology.vpnGateways { add(gateway.label, "virtual private gateway") }
        for balancer in topology.loadBalancers { add(balancer.label, "load balancer") }
    }

    /// Whether a rule for peer `a` matches every address a rule for `b` matches.
    static func covers(_ a: SecurityGroup.Peer, _ b: SecurityGroup.Peer) -> Bool {
        switch (a, b) {
        case (.cidr(let x), .cidr(let y)): return x.contains(y)
        case (.prefixList(let x), .prefixList(let y)): return x == y
        case (.securityGroup(let x), .securityGroup(let y)): return x == y
        default: return false
        }
    }

    /// Entries no record met.
    public var neverHit: [Entry] { entries.filter { $0.records == 0 } }
    /// Entries that can never match.
    public var covered: [Entry] { entries.filter { $0.coveredBy != nil } }
}

extension TrafficMatch {
    /// Whether every packet `other` matches, this one matches too.
    public func covers(_ other: TrafficMatch) -> Bool {
        guard let protocolNumber else { return true }
        guard let theirs = other.protocolNumber, theirs == protocolNumber else { return false }
        if protocolNumber.hasPorts {
            guard let ports, ports != .all else { return true }
            guard let otherPorts = other.ports else { return false }
            return ports.lower <= otherPorts.lower && otherPorts.upper <= ports.upper
        }
        if protocolNumber.isICMP {
            if let icmpType, other.icmpType != icmpType { return false }
            if let icmpCode, other.icmpCode != icmpCode { return false }
        }
        return true
    }
}
