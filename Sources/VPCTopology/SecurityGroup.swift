import PathCore

/// Which packets a security-group or network-ACL rule covers: a protocol and, for TCP/UDP,
/// a port range, for ICMP/ICMPv6 a type and code (R9.3, R10.2).
public struct TrafficMatch: Sendable, Hashable, CustomStringConvertible {
    /// `nil` means every protocol (`-1`).
    public var protocolNumber: IPProtocolNumber?
    /// Destination ports for TCP/UDP; `nil` means all.
    public var ports: PortRange?
    /// ICMP type; `nil` means all.
    public var icmpType: UInt8?
    /// ICMP code; `nil` means all.
    public var icmpCode: UInt8?

    public init(protocolNumber: IPProtocolNumber?, ports: PortRange? = nil, icmpType: UInt8? = nil, icmpCode: UInt8? = nil) {
        self.protocolNumber = protocolNumber
        self.ports = ports
        self.icmpType = icmpType
        self.icmpCode = icmpCode
    }

    /// Every protocol, every port.
    public static let all = TrafficMatch(protocolNumber: nil)

    /// Whether a packet with this protocol and port (or ICMP type/code) matches.
    /// Protocols other than TCP, UDP and ICMP ignore the port range (R9.3).
    public func matches(protocol number: IPProtocolNumber, port: UInt16?, icmpType type: UInt8?, icmpCode code: UInt8?)
        -> Bool
    {
        guard let protocolNumber else { return true }
        guard protocolNumber == number else { return false }
        if number.hasPorts {
            guard let ports else { return true }
            guard let port else { return false }
            return ports.contains(port)
        }
        if number.isICMP {
            if let icmpType, icmpType != type { return false }
            if let icmpCode, icmpCode != code { return false }
        }
        return true
    }

    /// `tcp 443`, `udp 1024-65535`, `icmp type 8`, `all`.
    public var description: String {
        guard let protocolNumber else { return "all traffic" }
        if protocolNumber.hasPorts {
            return "\(protocolNumber) \(ports.map { $0 == .all ? "all ports" : $0.description } ?? "all ports")"
        }
        if protocolNumber.isICMP {
            var text = "\(protocolNumber)"
            if let icmpType { text += " type \(icmpType)" }
            if let icmpCode { text += " code \(icmpCode)" }
            return text
        }
        return "protocol \(protocolNumber)"
    }
}

/// A security group: allow-only rules, stateful, union across groups (R9.1–R9.6).
public struct SecurityGroup: Sendable {
    /// The other side of a rule (R9.3).
    public enum Peer: Sendable, Hashable {
        case cidr(IPPrefix)
        case prefixList(PrefixListIndex)
        /// Private IPs of interfaces that have this group attached (R9.4).
        case securityGroup(SecurityGroupIndex)
        /// A referenced group missing from the input.
        case missing(id: String)
    }

    /// One rule: traffic and one peer.
    public struct Rule: Sendable, Hashable {
        public var traffic: TrafficMatch
        public var peer: Peer
        public init(traffic: TrafficMatch, peer: Peer) {
            self.traffic = traffic
            self.peer = peer
        }
    }

    public var label: ResourceLabel
    public var vpc: VPCIndex
    public var ingress: [Rule]
    public var egress: [Rule]

    public init(label: ResourceLabel, vpc: VPCIndex, ingress: [Rule] = [], egress: [Rule] = []) {
        self.label = label
        self.vpc = vpc
        self.ingress = ingress
        self.egress = egress
    }
}

/// A network ACL: numbered, stateless, first match wins, implicit deny (R10.1–R10.5).
public struct NetworkACL: Sendable {
    public struct Entry: Sendable, Hashable {
        public var ruleNumber: Int
        public var allows: Bool
        public var traffic: TrafficMatch
        public var cidr: IPPrefix
        public init(ruleNumber: Int, allows: Bool, traffic: TrafficMatch, cidr: IPPrefix) {
            self.ruleNumber = ruleNumber
            self.allows = allows
            self.traffic = traffic
            self.cidr = cidr
        }
    }

    public var label: ResourceLabel
    public var vpc: VPCIndex
    public var isDefault: Bool
    /// Inbound entries, sorted by rule number.
    public var ingress: [Entry]
    /// Outbound entries, sorted by rule number.
    public var egress: [Entry]

    public init(label: ResourceLabel, vpc: VPCIndex, isDefault: Bool, ingress: [Entry] = [], egress: [Entry] = []) {
        self.label = label
        self.vpc = vpc
        self.isDefault = isDefault
        self.ingress = ingress.sorted { $0.ruleNumber < $1.ruleNumber }
        self.egress = egress.sorted { $0.ruleNumber < $1.ruleNumber }
    }
}
