import PathCore

/// One IP packet read from a frame: the header the classifier needs, and what only decoding knows.
public struct DecodedPacket: Sendable, Hashable {
    /// Addresses, protocol, ports or ICMP type and code.
    public var header: PacketHeader
    /// TCP flags (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10), when TCP.
    public var tcpFlags: UInt8?
    /// Set for IP fragments: the identification and whether this is the first fragment.
    public var fragment: Fragment?
    /// The VXLAN network identifier when this packet was decapsulated from a mirror session.
    public var vxlanNetwork: UInt32?
    /// Bytes of the IP packet (its total length field).
    public var ipLength: Int

    public struct Fragment: Sendable, Hashable {
        public var identification: UInt32
        /// Offset 0: the fragment that carries the transport header.
        public var isFirst: Bool
    }
}

/// What a frame holds.
public enum FrameContent: Sendable, Hashable {
    /// An IP packet.
    case packet(DecodedPacket)
    /// A frame that is never routed: ARP, LLDP, IPv6 link-local (NDP, MLD), other EtherTypes.
    case linkLocal(String)
    /// A frame packet-path cannot read, and why.
    case malformed(DecodeError)
}

/// Why a frame could not be decoded: a code, the layer, the byte offset in the frame, the detail.
public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case truncated
        case badHeaderLength = "bad-header-length"
        case unsupportedVersion = "unsupported-version"
        case unsupportedLinkType = "unsupported-link-type"
        case extensionChainTooLong = "extension-chain-too-long"
    }
    public var code: Code
    public var layer: String
    public var offset: Int
    public var detail: String

    public var description: String { "\(layer) at frame byte \(offset): \(detail)" }
}
