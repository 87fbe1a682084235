import PathCore

/// Reads the link, network and transport headers of a frame, bounds-checked: a short or lying
/// header is a ``DecodeError``, never a trap. Nothing is allocated for an ordinary IP packet.
public struct FrameDecoder: Sendable {
    /// Whether UDP 4789 (VXLAN, VPC Traffic Mirroring) is decapsulated and the inner frame decoded.
    public var decapsulatesVXLAN: Bool
    /// The longest IPv6 extension-header chain followed.
    public static let maximumExtensionHeaders = 8

    public init(decapsulatesVXLAN: Bool = true) { self.decapsulatesVXLAN = decapsulatesVXLAN }

    /// Decodes one frame of `linkType`.
    public func decode(_ bytes: UnsafeRawBufferPointer, linkType: LinkType) -> FrameContent {
        decode(Bytes(bytes), linkType: linkType, depth: 0)
    }

    func decode(_ frame: Bytes, linkType: LinkType, depth: Int) -> FrameContent {
        switch linkType {
        case .ethernet: return ethernet(frame, depth: depth)
        case .raw, .rawAlternative:
            guard let first = frame.u8(0) else { return .malformed(.init(code: .truncated, layer: "raw IP", offset: 0, detail: "empty frame")) }
            return network(frame, at: 0, version: first >> 4, depth: depth)
        case .ipv4: return network(frame, at: 0, version: 4, depth: depth)
        case .ipv6: return network(frame, at: 0, version: 6, depth: depth)
        case .null, .loop:
            guard let family = frame.u32(0, bigEndian: linkType == .loop) else {
                return .malformed(.init(code: .truncated, layer: "loopback header", offset: 0, detail: "shorter than 4 bytes"))
            }
            switch family {
            case 2: return network(frame, at: 4, version: 4, depth: depth)
            case 24, 28, 30: return network(frame, at: 4, version: 6, depth: depth)
            default: return .linkLocal("loopback family \(family)")
            }
        case .linuxSLL:
            guard let type = frame.u16(14) else { return .malformed(.init(code: .truncated, layer: "LINUX_SLL header", offset: 0, detail: "shorter than 16 bytes")) }
            return etherType(type, frame, at: 16, depth: depth)
        case .linuxSLL2:
            guard let type = frame.u16(0), frame.count >= 20 else {
                return .malformed(.init(code: .truncated, layer: "LINUX_SLL2 header", offset: 0, detail: "shorter than 20 bytes"))
            }
            return etherType(type, frame, at: 20, depth: depth)
        default:
            return .malformed(.init(code: .unsupportedLinkType, layer: "link", offset: 0, detail: "link type \(linkType) is not decoded"))
        }
    }

    /// Ethernet II with up to two 802.1Q / 802.1ad tags (QinQ).
    @inline(__always)
    func ethernet(_ frame: Bytes, depth: Int) -> FrameContent {
        var at = 12
        for _ in 0..<3 {
            guard let type = frame.u16(at) else {
                return .malformed(.init(code: .truncated, layer: "Ethernet header", offset: at, detail: "frame ends inside the header"))
            }
            if type == 0x8100 || type == 0x88A8 || type == 0x9100 {
                at += 4
                continue
            }
            return etherType(type, frame, at: at + 2, depth: depth)
        }
        return .malformed(.init(code: .badHeaderLength, layer: "802.1Q tags", offset: at, detail: "more than two VLAN tags"))
    }

    @inline(__always)
    func etherType(_ type: UInt16, _ frame: Bytes, at: Int, depth: Int) -> FrameContent {
        switch type {
        case 0x0800: return network(frame, at: at, version: 4, depth: depth)
        case 0x86DD: return network(frame, at: at, version: 6, depth: depth)
        case 0x0806: return .linkLocal("ARP")
        case 0x88CC: return .linkLocal("LLDP")
        default: return .linkLocal("EtherType 0x" + String(type, radix: 16))
        }
    }

    @inline(__always)
    func network(_ frame: Bytes, at: Int, version: UInt8, depth: Int) -> FrameContent {
        switch version {
        case 4: return ipv4(frame, at: at, depth: depth)
        case 6: return ipv6(frame, at: at, depth: depth)
        default:
            return .malformed(.init(code: .unsupportedVersion, layer: "IP header", offset: at, detail: "IP version \(version)"))
        }
    }
}
