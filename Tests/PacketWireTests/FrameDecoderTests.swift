import PacketWire
import PathCore
import Testing

/// The frame decoder against frames the builder makes, and against cut ones.
@Suite("Frame decoding")
struct FrameDecoderTests {
    static let builder = FrameBuilder(linkType: .ethernet)
    static let macs: (source: [UInt8], destination: [UInt8]) = ([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])

    static func decode(_ frame: [UInt8], linkType: LinkType = .ethernet, vxlan: Bool = true) -> FrameContent {
        frame.withUnsafeBytes { FrameDecoder(decapsulatesVXLAN: vxlan).decode($0, linkType: linkType) }
    }

    static func frame(_ packet: FrameBuilder.Packet, builder: FrameBuilder = Self.builder) -> [UInt8] {
        builder.frame(packet, sourceMAC: macs.source, destinationMAC: macs.destination)
    }

    @Test("TCP, UDP and ICMP over IPv4 and IPv6: addresses, protocol, ports, ICMP type and code as built", arguments: [
        ("10.0.7.10", "52.216.1.1", IPProtocolNumber.tcp), ("10.0.7.10", "10.0.0.2", .udp), ("10.0.7.10", "8.8.8.8", .icmp),
        ("2400:6500:21c2:fe07::170a", "2600:1f18::1", .tcp), ("2400:6500:21c2:fe07::170a", "2600:1f18::1", .icmpv6),
    ])
    func roundTrip(_ source: String, _ destination: String, _ number: IPProtocolNumber) throws {
        var packet = FrameBuilder.Packet(source: IPAddress(source)!, destination: IPAddress(destination)!, protocolNumber: number)
        (packet.sourcePort, packet.destinationPort, packet.tcpFlags) = (40_000, 443, 0x02)
        (packet.icmpType, packet.icmpCode) = number.isICMP ? (number == .icmp ? 8 : 128, 0) : (0, 0)
        guard case .packet(let decoded) = Self.decode(Self.frame(packet)) else {
            Issue.record("not decoded as a packet")
            return
        }
        #expect(decoded.header.source == packet.source && decoded.header.destination == packet.destination)
        #expect(decoded.header.protocolNumber == number)
        if number.isICMP {
            #expect(decoded.header.icmpType == packet.icmpType && decoded.header.icmpCode == 0 && decoded.header.sourcePort == nil)
        } else {
            #expect(decoded.header.sourcePort == 40_000 && decoded.header.destinationPort == 443)
        }
        if number == .tcp { #expect(decoded.tcpFlags == 0x02) }
        #expect(decoded.fragment == nil && decoded.vxlanNetwork == nil)
    }

    @Test("every cut of a frame is a packet or truncated at the field it lacks, never a crash")
    func truncations() {
        var packet = FrameBuilder.Packet(source: IPAddress("10.0.7.10")!, destination: IPAddress("52.216.1.1")!, protocolNumber: .tcp)
        (packet.sourcePort, packet.destinationPort) = (40_000, 443)
        let whole = Self.frame(packet)
        var malformed = 0
        for length in 0..<whole.count {
            switch Self.decode(Array(whole.prefix(length))) {
            case .malformed(let error):
                malformed += 1
                // The offset names the field that is missing: inside the whole frame, at or past the cut.
                #expect(error.code == .truncated && error.offset >= 0 && error.offset < whole.count, "cut at \(length): \(error)")
            case .packet, .linkLocal:
                break
            }
        }
        #expect(malformed > 0, "a frame cut inside its IP header is malformed")
        #expect(Self.decode(Array(whole.prefix(14 + 10))) != Self.decode(whole))
    }

    @Test("IP over the other link types decodes to the same header as over Ethernet", arguments: [LinkType.raw, .ipv4, .linuxSLL2])
    func linkTypes(_ linkType: LinkType) {
        var packet = FrameBuilder.Packet(source: IPAddress("10.0.7.10")!, destination: IPAddress("8.8.8.8")!, protocolNumber: .udp)
        (packet.sourcePort, packet.destinationPort) = (53_000, 53)
        let ethernet = Self.decode(Self.frame(packet))
        let other = Self.decode(Self.frame(packet, builder: FrameBuilder(linkType: linkType)), linkType: linkType)
        guard case .packet(let a) = ethernet, case .packet(let b) = other else {
            Issue.record("\(linkType): \(other)")
            return
        }
        #expect(a.header == b.header)
    }
}
