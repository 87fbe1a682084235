import PathCore
import VPCTopology

/// The ports of one protocol cut where any security-group rule's or network ACL entry's port
/// range, or a load balancer listener's port, begins or ends: every port of a class meets the
/// same rules, so one walk (through the class's first port) answers for all of them.
public struct PortClasses: Sendable {
    public let classes: [PortRange?]

    public init(topology: Topology, protocolNumber: IPProtocolNumber) {
        var starts: Set<Int> = [0]
        func cut(_ range: PortRange) {
            starts.insert(Int(range.lower))
            starts.insert(Int(range.upper) + 1)
        }
        func cut(_ traffic: TrafficMatch) {
            guard traffic.protocolNumber == nil || traffic.protocolNumber == protocolNumber, let ports = traffic.ports else { return }
            cut(ports)
        }
        for group in topology.securityGroups { for rule in group.ingress + group.egress { cut(rule.traffic) } }
        for acl in topology.networkACLs { for entry in acl.ingress + acl.egress { cut(entry.traffic) } }
        for balancer in topology.loadBalancers { for listener in balancer.listeners { cut(PortRange(listener.port, listener.port)) } }
        let ordered = starts.filter { $0 <= 65535 }.sorted()
        classes = ordered.indices.map { index in
            PortRange(UInt16(ordered[index]), UInt16(index + 1 < ordered.count ? ordered[index + 1] - 1 : 65535))
        }
    }

    /// `ranges` with `range` added, joined to the last range when they touch.
    static func merge(_ ranges: [PortRange], _ range: PortRange) -> [PortRange] {
        var ranges = ranges
        if let last = ranges.last, Int(last.upper) + 1 == Int(range.lower) {
            ranges[ranges.count - 1].upper = range.upper
        } else {
            ranges.append(range)
        }
        return ranges
    }
}
