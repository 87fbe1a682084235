/// A capture's link-layer header type, as libpcap's `DLT_*` value.
///
/// Open set: every value is representable; the ones packet-path decodes have names. On disk
/// pcap files use `LINKTYPE_*` numbers; libpcap maps them (LINKTYPE_RAW 101 is DLT_RAW 12 here),
/// and packet-path asks libpcap for the mapping (`PacketSources.LibpcapLinkTypes`).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(dlt: Int32) { self.rawValue = dlt }
    public var dlt: Int32 { rawValue }

    /// BSD loopback, a 4-byte host-order address family.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II, with 802.1Q and 802.1ad tags.
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP (DLT_RAW on Linux); `rawAlternative` is the other value some writers use.
    public static let raw = LinkType(rawValue: 12)
    public static let rawAlternative = LinkType(rawValue: 14)
    /// OpenBSD loopback, a 4-byte network-order address family.
    public static let loop = LinkType(rawValue: 108)
    /// Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10).
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Raw IPv4 and raw IPv6.
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux cooked capture v2 (`tcpdump -i any`).
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .ethernet: return "EN10MB"
        case .raw, .rawAlternative: return "RAW"
        case .loop: return "LOOP"
        case .linuxSLL: return "LINUX_SLL"
        case .ipv4: return "IPV4"
        case .ipv6: return "IPV6"
        case .linuxSLL2: return "LINUX_SLL2"
        default: return "DLT \(rawValue)"
        }
    }
}
