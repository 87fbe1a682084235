import PathCore

/// IPv4, IPv6 (with extension headers), TCP, UDP, ICMP and VXLAN.
extension FrameDecoder {
    @inline(__always)
    func ipv4(_ frame: Bytes, at: Int, depth: Int) -> FrameContent {
        guard let first = frame.u8(at), let totalLength = frame.u16(at + 2), let identification = frame.u16(at + 4),
            let flagsOffset = frame.u16(at + 6), let protocolByte = frame.u8(at + 9), let source = frame.u32(at + 12),
            let destination = frame.u32(at + 16)
        else {
            return .malformed(.init(code: .truncated, layer: "IPv4 header", offset: at, detail: "frame ends inside the 20-byte header"))
        }
        let headerLength = Int(first & 0x0F) * 4
        guard first >> 4 == 4 else {
            return .malformed(.init(code: .unsupportedVersion, layer: "IPv4 header", offset: at, detail: "version \(first >> 4)"))
        }
        guard headerLength >= 20, Int(totalLength) >= headerLength else {
            return .malformed(
                .init(code: .badHeaderLength, layer: "IPv4 header", offset: at, detail: "IHL \(headerLength) bytes, total length \(totalLength)"))
        }
        let fragmentOffset = flagsOffset & 0x1FFF
        let moreFragments = flagsOffset & 0x2000 != 0
        var packet = DecodedPacket(
            header: PacketHeader(
                source: .v4(IPv4Address(source)), destination: .v4(IPv4Address(destination)),
                protocolNumber: IPProtocolNumber(rawValue: protocolByte)),
            ipLength: Int(totalLength))
        if fragmentOffset != 0 || moreFragments {
            packet.fragment = DecodedPacket.Fragment(identification: UInt32(identification), isFirst: fragmentOffset == 0)
            if fragmentOffset != 0 { return .packet(packet) }  // later fragments carry no transport header
        }
        return transport(frame, at: at + headerLength, packet: packet, depth: depth)
    }

    func ipv6(_ frame: Bytes, at: Int, depth: Int) -> FrameContent {
        guard let first = frame.u8(at), let payloadLength = frame.u16(at + 4), var next = frame.u8(at + 6),
            let source = frame.u128(at + 8), let destination = frame.u128(at + 24)
        else {
            return .malformed(.init(code: .truncated, layer: "IPv6 header", offset: at, detail: "frame ends inside the 40-byte header"))
        }
        guard first >> 4 == 6 else {
            return .malformed(.init(code: .unsupportedVersion, layer: "IPv6 header", offset: at, detail: "version \(first >> 4)"))
        }
        var packet = DecodedPacket(
            header: PacketHeader(source: .v6(IPv6Address(source)), destination: .v6(IPv6Address(destination)), protocolNumber: .tcp),
            ipLength: 40 + Int(payloadLength))
        var offset = at + 40
        // Extension headers: hop-by-hop 0, routing 43, fragment 44, destination options 60, AH 51.
        for _ in 0..<Self.maximumExtensionHeaders {
            switch next {
            case 0, 43, 60:
                guard let following = frame.u8(offset), let length = frame.u8(offset + 1) else {
                    return .malformed(.init(code: .truncated, layer: "IPv6 extension header", offset: offset, detail: "frame ends inside it"))
                }
                next = following
                offset += (Int(length) + 1) * 8
            case 51:
                guard let following = frame.u8(offset), let length = frame.u8(offset + 1) else {
                    return .malformed(.init(code: .truncated, layer: "IPv6 AH header", offset: offset, detail: "frame ends inside it"))
                }
                next = following
                offset += (Int(length) + 2) * 4
            case 44:
                guard let following = frame.u8(offset), let offsetFlags = frame.u16(offset + 2), let identification = frame.u32(offset + 4) else {
                    return .malformed(.init(code: .truncated, layer: "IPv6 fragment header", offset: offset, detail: "frame ends inside it"))
                }
                next = following
                offset += 8
                let fragmentOffset = offsetFlags >> 3
                packet.fragment = DecodedPacket.Fragment(identification: identification, isFirst: fragmentOffset == 0)
                if fragmentOffset != 0 {
                    packet.header.protocolNumber = IPProtocolNumber(rawValue: next)
                    return .packet(packet)
                }
            default:
                packet.header.protocolNumber = IPProtocolNumber(rawValue: next)
                if packet.header.source.isIPv6LinkLocal || packet.header.destination.isIPv6LinkLocal || packet.header.destination.isIPv6Multicast {
                    return .linkLocal("IPv6 link-local or multicast (NDP, MLD)")
                }
                return transport(frame, at: offset, packet: packet, depth: depth)
            }
        }
        return .malformed(
            .init(code: .extensionChainTooLong, layer: "IPv6 extension headers", offset: offset,
                  detail: "more than \(Self.maximumExtensionHeaders) extension headers"))
    }

    @inline(__always)
    func transport(_ frame: Bytes, at: Int, packet: DecodedPacket, depth: Int) -> FrameContent {
        var packet = packet
        switch packet.header.protocolNumber {
        case .tcp:
            guard let sourcePort = frame.u16(at), let destinationPort = frame.u16(at + 2), let flags = frame.u8(at + 13) else {
                return .malformed(.init(code: .truncated, layer: "TCP header", offset: at, detail: "frame ends inside the ports and flags"))
            }
            packet.header.sourcePort = sourcePort
            packet.header.destinationPort = destinationPort
            packet.tcpFlags = flags
        case .udp:
            guard let sourcePort = frame.u16(at), let destinationPort = frame.u16(at + 2) else {
                return .malformed(.init(code: .truncated, layer: "UDP header", offset: at, detail: "frame ends inside the ports"))
            }
            packet.header.sourcePort = sourcePort
            packet.header.destinationPort = destinationPort
            // VPC Traffic Mirroring: VXLAN (RFC 7348) on UDP 4789, the I flag set, the mirrored Ethernet frame inside.
            if decapsulatesVXLAN, depth == 0, destinationPort == 4789, let flags = frame.u8(at + 8), flags & 0x08 != 0,
                let vni = frame.u32(at + 12)
            {
                let inner = decodeInner(frame.suffix(from: at + 16))
                if case .packet(var innerPacket) = inner {
                    innerPacket.vxlanNetwork = vni >> 8
                    return .packet(innerPacket)
                }
                return inner
            }
        case .icmp, .icmpv6:
            guard let type = frame.u8(at), let code = frame.u8(at + 1) else {
                return .malformed(.init(code: .truncated, layer: "ICMP header", offset: at, detail: "frame ends before type and code"))
            }
            packet.header.icmpType = type
            packet.header.icmpCode = code
            // NDP (133-137) never leaves the link.
            if packet.header.protocolNumber == .icmpv6, (133...137).contains(type) { return .linkLocal("NDP") }
        default:
            break
        }
        return .packet(packet)
    }
}

extension FrameDecoder {
    /// The Ethernet frame inside a VXLAN packet; kept out of line so the outer decoding inlines.
    @inline(never)
    func decodeInner(_ frame: Bytes) -> FrameContent {
        decode(frame, linkType: .ethernet, depth: 1)
    }
}

extension IPAddress {
    /// fe80::/10.
    var isIPv6LinkLocal: Bool {
        if case .v6(let a) = self { return a.rawValue >> 118 == 0x3FA }
        return false
    }

    /// ff00::/8.
    var isIPv6Multicast: Bool {
        if case .v6(let a) = self { return a.rawValue >> 120 == 0xFF }
        return false
    }
}
