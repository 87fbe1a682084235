
/// The fields of one packet the walk looks at: addresses, protocol, ports or ICMP type/code.
public struct PacketHeader: Sendable, Hashable {
    public var source: IPAddress
    public var destination: IPAddress
    public var protocolNumber: IPProtocolNumber
    /// TCP/UDP source port; `nil` for other protocols.
    public var sourcePort: UInt16?
    /// TCP/UDP destination port; `nil` for other protocols.
    public var destinationPort: UInt16?
    /// ICMP/ICMPv6 type; `nil` for other protocols.
    public var icmpType: UInt8?
    /// ICMP/ICMPv6 code; `nil` for other protocols.
    public var icmpCode: UInt8?

    public init(
        source: IPAddress, destination: IPAddress, protocolNumber: IPProtocolNumber,
        sourcePort: UInt16? = nil, destinationPort: UInt16? = nil, icmpType: UInt8? = nil, icmpCode: UInt8? = nil
    ) {
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.icmpType = icmpType
        self.icmpCode = icmpCode
    }

    /// Whether this is an ICMP or ICMPv6 echo request (what gateway endpoints accept besides TCP, R4.7).
    public var isEchoRequest: Bool {
        (protocolNumber == .icmp && icmpType == 8) || (protocolNumber == .icmpv6 && icmpType == 128)
    }
}
