import PathCore

/// Builds frames for synthetic captures: the inverse of ``FrameDecoder`` for the packets it reads,
/// with correct lengths and checksums (IPv4 header, TCP, UDP, ICMP, ICMPv6 with their pseudo-headers).
public struct FrameBuilder: Sendable {
    /// A packet to emit.
    public struct Packet: Sendable {
        public var source: IPAddress
        public var destination: IPAddress
        public var protocolNumber: IPProtocolNumber
        public var sourcePort: UInt16 = 0
        public var destinationPort: UInt16 = 0
        public var tcpFlags: UInt8 = 0
        public var sequence: UInt32 = 0
        public var acknowledgement: UInt32 = 0
        public var icmpType: UInt8 = 0
        public var icmpCode: UInt8 = 0
        public var payload: [UInt8] = []
        public var identification: UInt16 = 0

        public init(source: IPAddress, destination: IPAddress, protocolNumber: IPProtocolNumber) {
            self.source = source
            self.destination = destination
            self.protocolNumber = protocolNumber
        }
    }

    public var linkType: LinkType

    public init(linkType: LinkType) { self.linkType = linkType }

    /// The frame bytes, with `sourceMAC`/`destinationMAC` for Ethernet and SLL2.
    public func frame(_ packet: Packet, sourceMAC: [UInt8], destinationMAC: [UInt8]) -> [UInt8] {
        let ip = ipPacket(packet)
        let etherType: UInt16 = packet.source.family == .ipv4 ? 0x0800 : 0x86DD
        switch linkType {
        case .ethernet:
            return destinationMAC + sourceMAC + be16(etherType) + ip
        case .linuxSLL2:
            // protocol, reserved, interface index, ARPHRD_ETHER, packet type (4 = outgoing), address length, address
            return be16(etherType) + [0, 0] + be32(2) + be16(1) + [4, 6] + sourceMAC + [0, 0] + ip
        default:
            return ip
        }
    }

    func ipPacket(_ packet: Packet) -> [UInt8] {
        let transport = transportSegment(packet)
        switch (packet.source, packet.destination) {
        case (.v4(let s), .v4(let d)):
            var header: [UInt8] = [0x45, 0]  // version 4, IHL 5; DSCP/ECN
            header += be16(UInt16(20 + transport.count))  // total length
            header += be16(packet.identification)  // identification
            header += [0x40, 0]  // flags: don't fragment
            header += [64, packet.protocolNumber.rawValue]  // TTL, protocol
            header += [0, 0]  // header checksum, set below
            header += be32(s.rawValue) + be32(d.rawValue)  // source, destination
            let checksum = Self.checksum(header)
            header[10] = UInt8(checksum >> 8)
            header[11] = UInt8(checksum & 0xFF)
            return header + transport
        case (.v6(let s), .v6(let d)):
            var header: [UInt8] = [0x60, 0, 0, 0]  // version 6, traffic class, flow label
            header += be16(UInt16(transport.count))  // payload length
            header += [packet.protocolNumber.rawValue, 64]  // next header, hop limit
            header += be128(s.rawValue) + be128(d.rawValue)
            return header + transport
        default:
            preconditionFailure("mixed address families")
        }
    }

    func transportSegment(_ packet: Packet) -> [UInt8] {
        var segment: [UInt8]
        let checksumAt: Int
        switch packet.protocolNumber {
        case .tcp:
            segment = be16(packet.sourcePort) + be16(packet.destinationPort) + be32(packet.sequence) + be32(packet.acknowledgement)
            segment += [0x50, packet.tcpFlags]  // data offset 5 words, flags
            segment += be16(65535) + [0, 0] + [0, 0]  // window, checksum, urgent pointer
            checksumAt = 16
        case .udp:
            segment = be16(packet.sourcePort) + be16(packet.destinationPort) + be16(UInt16(8 + packet.payload.count)) + [0, 0]
            checksumAt = 6
        case .icmp, .icmpv6:
            segment = [packet.icmpType, packet.icmpCode, 0, 0] + be16(0x7070) + be16(packet.identification)  // identifier, sequence
            checksumAt = 2
        default:
            return packet.payload
        }
        segment += packet.payload
        var sum = Self.checksum(segment, initial: packet.protocolNumber == .icmp ? 0 : pseudoHeaderSum(packet, length: segment.count))
        if sum == 0 && packet.protocolNumber == .udp { sum = 0xFFFF }
        segment[checksumAt] = UInt8(sum >> 8)
        segment[checksumAt + 1] = UInt8(sum & 0xFF)
        return segment
    }

    /// The one's-complement sum of the pseudo-header (RFC 793, RFC 8200 §8.1).
    func pseudoHeaderSum(_ packet: Packet, length: Int) -> UInt32 {
        var bytes: [UInt8]
        switch (packet.source, packet.destination) {
        case (.v4(let s), .v4(let d)):
            bytes = be32(s.rawValue) + be32(d.rawValue) + [0, packet.protocolNumber.rawValue] + be16(UInt16(length))
        case (.v6(let s), .v6(let d)):
            bytes = be128(s.rawValue) + be128(d.rawValue) + be32(UInt32(length)) + [0, 0, 0, packet.protocolNumber.rawValue]
        default:
            bytes = []
        }
        var sum: UInt32 = 0
        for i in stride(from: 0, to: bytes.count, by: 2) { sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) }
        return sum
    }

    /// The Internet checksum (RFC 1071) of `bytes`, starting from `initial`.
    package static func checksum(_ bytes: [UInt8], initial: UInt32 = 0) -> UInt16 {
        var sum = initial
        var i = 0
        while i + 1 < bytes.count {
            sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
        }
        if i < bytes.count { sum += UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    func be128(_ v: UInt128) -> [UInt8] { (0..<16).map { UInt8(truncatingIfNeeded: v >> (120 - 8 * UInt128($0))) } }
}
