#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PacketWire

/// A pcapng reader for what libpcap refuses: sections whose interfaces have different link types.
/// It reads Section Header, Interface Description, Enhanced and Simple Packet blocks (both byte
/// orders, any timestamp resolution) and skips the rest, one block in memory at a time.
struct PcapngReader {
    let path: String

    /// The largest block accepted; a larger length field is damage, not a reason to allocate.
    static let maximumBlockLength = 64 << 20

    struct Interface {
        var linkType: LinkType
        var snapshotLength: Int
        /// Timestamp units per second.
        var unitsPerSecond: UInt64
    }

    func forEach(skipping skip: Int, _ body: (CaptureFrame) -> Void) throws(CaptureError) -> Int {
        guard let file = fopen(path, "rb") else { throw CaptureError(file: path, offset: 0, framesRead: 0, message: "cannot open the file") }
        defer { fclose(file) }
        var interfaces: [Interface] = []
        var bigEndian = false
        var offset = 0
        var number = 0
        var block = [UInt8]()
        func fail(_ message: String) -> CaptureError { CaptureError(file: path, offset: offset, framesRead: max(0, number - skip) + skip, message: message) }
        while true {
            var head = [UInt8](repeating: 0, count: 8)
            let got = fread(&head, 1, 8, file)
            if got == 0 { return number }
            guard got == 8 else { throw fail("truncated pcapng block header") }
            let type = Self.u32(head, 0, bigEndian: bigEndian)
            if type == 0x0A0D_0D0A {  // Section Header Block: its byte-order magic decides the section.
                var magic = [UInt8](repeating: 0, count: 4)
                guard fread(&magic, 1, 4, file) == 4 else { throw fail("truncated Section Header Block") }
                if Self.u32(magic, 0, bigEndian: false) == 0x1A2B_3C4D {
                    bigEndian = false
                } else if Self.u32(magic, 0, bigEndian: true) == 0x1A2B_3C4D {
                    bigEndian = true
                } else {
                    throw fail("bad pcapng byte-order magic")
                }
                interfaces = []
                head += magic
            }
            let length = Int(Self.u32(head, 4, bigEndian: bigEndian))
            guard length >= 12, length % 4 == 0, length <= Self.maximumBlockLength else {
                throw fail("pcapng block length \(length) is not a multiple of 4 between 12 and \(Self.maximumBlockLength)")
            }
            block = head
            let rest = length - head.count
            block += [UInt8](repeating: 0, count: rest)
            let read = block.withUnsafeMutableBytes { fread($0.baseAddress! + head.count, 1, rest, file) }
            guard read == rest else { throw fail("truncated pcapng block: \(read) of \(rest) bytes") }
            switch type {
            case 1:  // Interface Description Block
                var interface = Interface(
                    linkType: LinkType(dlt: Int32(Self.u16(block, 8, bigEndian: bigEndian))),
                    snapshotLength: Int(Self.u32(block, 12, bigEndian: bigEndian)), unitsPerSecond: 1_000_000)
                var at = 16
                while at + 4 <= length - 4 {
                    let code = Self.u16(block, at, bigEndian: bigEndian)
                    let size = Int(Self.u16(block, at + 2, bigEndian: bigEndian))
                    if code == 0 { break }
                    if code == 9, size >= 1, at + 4 < length {  // if_tsresol
                        let value = block[at + 4]
                        let exponent = UInt64(value & 0x7F)
                        interface.unitsPerSecond = value & 0x80 == 0 ? Self.power(10, exponent) : Self.power(2, exponent)
                    }
                    at += 4 + (size + 3) / 4 * 4
                }
                interfaces.append(interface)
            case 6, 3:  // Enhanced and Simple Packet Blocks
                let isEnhanced = type == 6
                let id = isEnhanced ? Int(Self.u32(block, 8, bigEndian: bigEndian)) : 0
                guard id < interfaces.count else { throw fail("packet block for undeclared interface \(id)") }
                let interface = interfaces[id]
                let captured: Int
                let original: Int
                let dataStart: Int
                var units: UInt64 = 0
                if isEnhanced {
                    units = UInt64(Self.u32(block, 12, bigEndian: bigEndian)) << 32 | UInt64(Self.u32(block, 16, bigEndian: bigEndian))
                    captured = Int(Self.u32(block, 20, bigEndian: bigEndian))
                    original = Int(Self.u32(block, 24, bigEndian: bigEndian))
                    dataStart = 28
                } else {
                    original = Int(Self.u32(block, 8, bigEndian: bigEndian))
                    captured = min(original, interface.snapshotLength == 0 ? original : interface.snapshotLength)
                    dataStart = 12
                }
                guard dataStart + captured <= length - 4 else { throw fail("packet block data longer than its block") }
                number += 1
                if number > skip {
                    let seconds = units / interface.unitsPerSecond
                    let fraction = units % interface.unitsPerSecond
                    let nanoseconds = UInt32(fraction * 1_000_000_000 / interface.unitsPerSecond)
                    block.withUnsafeBytes { raw in
                        body(
                            CaptureFrame(
                                number: number, seconds: Int64(seconds), nanoseconds: nanoseconds, capturedLength: captured,
                                originalLength: original, linkType: interface.linkType,
                                bytes: UnsafeRawBufferPointer(rebasing: raw[dataStart..<dataStart + captured])))
                    }
                }
            default:
                break
            }
            offset += length
        }
    }

    static func power(_ base: UInt64, _ exponent: UInt64) -> UInt64 {
        var result: UInt64 = 1
        for _ in 0..<min(exponent, 19) { result &*= base }
        return result
    }

    static func u16(_ bytes: [UInt8], _ at: Int, bigEndian: Bool) -> UInt16 {
        let a = UInt16(bytes[at])
        let b = UInt16(bytes[at + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    static func u32(_ bytes: [UInt8], _ at: Int, bigEndian: Bool) -> UInt32 {
        let v = (UInt32(bytes[at]), UInt32(bytes[at + 1]), UInt32(bytes[at + 2]), UInt32(bytes[at + 3]))
        return bigEndian ? v.0 << 24 | v.1 << 16 | v.2 << 8 | v.3 : v.3 << 24 | v.2 << 16 | v.1 << 8 | v.0
    }
}
