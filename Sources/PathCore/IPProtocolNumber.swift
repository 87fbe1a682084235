/// An IP protocol number (the IPv4 `protocol` / IPv6 `next header` field).
///
/// Open set: every number 0…255 is representable; the common ones have names.
public struct IPProtocolNumber: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// ICMP, RFC 792.
    public static let icmp = IPProtocolNumber(rawValue: 1)
    /// TCP, RFC 9293.
    public static let tcp = IPProtocolNumber(rawValue: 6)
    /// UDP, RFC 768.
    public static let udp = IPProtocolNumber(rawValue: 17)
    /// ICMPv6, RFC 4443.
    public static let icmpv6 = IPProtocolNumber(rawValue: 58)

    /// Parses `tcp`, `udp`, `icmp`, `icmpv6` (any case) or a decimal number 0…255.
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "tcp": self = .tcp
        case "udp": self = .udp
        case "icmp": self = .icmp
        case "icmpv6", "icmp6", "ipv6-icmp": self = .icmpv6
        default:
            guard let number = UInt8(name) else { return nil }
            self.rawValue = number
        }
    }

    /// Whether packets of this protocol carry source and destination ports.
    public var hasPorts: Bool { self == .tcp || self == .udp }

    /// Whether this is ICMP or ICMPv6 (type and code instead of ports).
    public var isICMP: Bool { self == .icmp || self == .icmpv6 }

    /// `tcp`, `udp`, `icmp`, `icmpv6`, or the number.
    public var description: String {
        switch self {
        case .tcp: return "tcp"
        case .udp: return "udp"
        case .icmp: return "icmp"
        case .icmpv6: return "icmpv6"
        default: return String(rawValue)
        }
    }
}

/// An inclusive range of ports (or ICMP types), e.g. `1024-65535`.
public struct PortRange: Hashable, Sendable, CustomStringConvertible {
    public var lower: UInt16
    public var upper: UInt16

    public init(_ lower: UInt16, _ upper: UInt16) {
        self.lower = lower
        self.upper = upper
    }

    /// Every port.
    public static let all = PortRange(0, 65535)

    @inlinable
    public func contains(_ port: UInt16) -> Bool { lower <= port && port <= upper }

    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}
