#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PacketWire

/// A pcapng reader for what libpcap refuses: sections whose interfaces have different link types.
///
/// As strict as libpcap (draft-ietf-opsawg-pcapng): every length is checked before it is read,
/// a block's trailing length must repeat its leading one, timestamps are computed without
/// overflow, and a value that does not fit is damage at its byte offset, never a wrong frame.
/// Packets come from Enhanced, Simple and obsolete Packet Blocks; every other block type is
/// skipped by its length and counted (``Blocks``). One block is in memory at a time.
struct PcapngReader {
    /// The file's name, for errors.
    let path: String
    /// The open file, positioned at its start; the caller closes it.
    let file: UnsafeMutablePointer<FILE>

    /// The largest block accepted; a larger length field is damage, not a reason to allocate.
    static let maximumBlockLength = 64 << 20

    /// Block types (pcapng §4, §10.1).
    enum BlockType {
        static let sectionHeader: UInt32 = 0x0A0D_0D0A
        static let interfaceDescription: UInt32 = 1
        static let packet: UInt32 = 2  // obsolete, still written by old tools
        static let simplePacket: UInt32 = 3
        static let enhancedPacket: UInt32 = 6

        /// The fixed part of each block, both lengths included: a shorter block is damage.
        static func minimumLength(_ type: UInt32) -> Int {
            switch type {
            case sectionHeader: return 28
            case interfaceDescription: return 20
            case packet, enhancedPacket: return 32
            case simplePacket: return 16
            case 5: return 24  // Interface Statistics: interface ID and timestamp
            default: return 12
            }
        }

        /// The name of a block type packet-path skips, for the count.
        static func name(_ type: UInt32) -> String {
            switch type {
            case 4: return "Name Resolution"
            case 5: return "Interface Statistics"
            case 7: return "IRIG Timestamp"
            case 8: return "ARINC 429"
            case 9: return "systemd Journal Export"
            case 10: return "Decryption Secrets"
            case 0x101, 0x102: return "Hone Project"
            case 0x201...0x213: return "Sysdig"
            case 0xBAD, 0x4000_0BAD: return "Custom"
            default: return "type 0x\(String(type, radix: 16))"
            }
        }
    }

    /// What an Interface Description Block says.
    struct Interface {
        var linkType: LinkType
        var snapshotLength: Int
        /// Timestamp units per second (`if_tsresol`, default 10^6).
        var unitsPerSecond: UInt64 = 1_000_000
        /// Seconds added to every timestamp (`if_tsoffset`).
        var offsetSeconds: Int64 = 0
    }

    /// Blocks skipped because they hold no packets, by name.
    struct Blocks {
        var skipped: [String: Int] = [:]
    }

    /// One block as read: its type, where it starts and its bytes (both lengths included).
    struct Block {
        var type: UInt32
        var offset: Int
        var bytes: [UInt8]
        var bigEndian: Bool

        func u16(_ at: Int) -> UInt16 {
            let value = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
            return bigEndian ? value.byteSwapped : value
        }

        func u32(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for i in 0..<4 { value |= UInt32(bytes[at + i]) << (8 * i) }
            return bigEndian ? value.byteSwapped : value
        }

        func u64(_ at: Int) -> UInt64 {
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(bytes[at + i]) << (8 * i) }
            return bigEndian ? value.byteSwapped : value
        }
    }

    /// Calls `body` for every packet after the first `skip`, in file order; `observe` sees each
    /// Section Header and packet block with the frames read so far (its own number, for a packet).
    /// - Returns: the frames read and the blocks skipped.
    /// - Throws: ``CaptureError`` at the damage (frames before it were delivered), or `body`'s error.
    func forEach(
        skipping skip: Int, observing observe: ((Block, Int, _ dataEnd: Int) throws -> Void)? = nil, _ body: (CaptureFrame) throws -> Void
    ) throws -> (frames: Int, blocks: Blocks) {
        var interfaces: [Interface] = []
        var bigEndian = false
        var offset = 0
        var number = 0
        var blocks = Blocks()
        var bytes: [UInt8] = []
        func fail(_ message: String, at position: Int? = nil) -> CaptureError {
            CaptureError(file: path, offset: position ?? offset, framesRead: number, message: message)
        }
        while true {
            var head = [UInt8](repeating: 0, count: 12)
            let got = fread(&head, 1, 8, file)
            if got == 0 {
                guard ferror(file) == 0 else { throw fail("read error: \(String(cString: strerror(errno)))") }
                guard offset > 0 else { throw fail("empty file: no pcapng Section Header Block") }
                return (number, blocks)
            }
            guard got == 8 else { throw fail("truncated pcapng block header: \(got) of 8 bytes") }
            var type = Block(type: 0, offset: offset, bytes: head, bigEndian: bigEndian).u32(0)
            if offset == 0 && type != BlockType.sectionHeader { throw fail("not a pcapng file: the first block is not a Section Header Block") }
            if type == BlockType.sectionHeader {
                // The byte-order magic decides the section's byte order, lengths included.
                guard fread(&head[8], 1, 4, file) == 4 else { throw fail("truncated Section Header Block") }
                let magic = Block(type: 0, offset: offset, bytes: head, bigEndian: false).u32(8)
                if magic == 0x1A2B_3C4D {
                    bigEndian = false
                } else if magic == 0x4D3C_2B1A {
                    bigEndian = true
                } else {
                    throw fail("bad pcapng byte-order magic 0x\(String(magic, radix: 16))", at: offset + 8)
                }
                type = BlockType.sectionHeader
                interfaces = []
            } else {
                head.removeLast(4)
            }
            let header = Block(type: type, offset: offset, bytes: head, bigEndian: bigEndian)
            let length = Int(header.u32(4))
            let minimum = BlockType.minimumLength(type)
            guard length % 4 == 0, length >= minimum, length <= Self.maximumBlockLength else {
                throw fail("pcapng block length \(length) is not a multiple of 4 from \(minimum) (this block type's fixed fields) to \(Self.maximumBlockLength)", at: offset + 4)
            }
            bytes = head
            bytes.append(contentsOf: repeatElement(0, count: length - head.count))
            let rest = length - head.count
            let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress! + head.count, 1, rest, file) }
            guard read == rest else { throw fail("truncated pcapng block: \(head.count + read) of its \(length) bytes") }
            let block = Block(type: type, offset: offset, bytes: bytes, bigEndian: bigEndian)
            let trailer = Int(block.u32(length - 4))
            guard trailer == length else {
                throw fail("pcapng block length at the end (\(trailer)) differs from the start (\(length))", at: offset + length - 4)
            }
            switch type {
            case BlockType.sectionHeader:
                let major = block.u16(12)
                guard major == 1 else { throw fail("pcapng version \(major).\(block.u16(14)) is not supported (1.x is)", at: offset + 12) }
                try observe?(block, number, 24)
            case BlockType.interfaceDescription:
                interfaces.append(try interface(block, fail: fail))
            case BlockType.enhancedPacket, BlockType.simplePacket, BlockType.packet:
                let frame = try packet(block, interfaces: interfaces, fail: fail)
                number += 1
                try observe?(block, number, frame.dataStart + (frame.captured + 3) / 4 * 4)
                if number > skip {
                    try block.bytes.withUnsafeBytes { raw in
                        try body(CaptureFrame(
                            number: number, seconds: frame.seconds, nanoseconds: frame.nanoseconds, capturedLength: frame.captured,
                            originalLength: frame.original, linkType: frame.linkType,
                            bytes: UnsafeRawBufferPointer(rebasing: raw[frame.dataStart..<frame.dataStart + frame.captured])))
                    }
                }
            default:
                blocks.skipped[BlockType.name(type), default: 0] += 1
            }
            offset += length
        }
    }

    /// Reads an Interface Description Block: link type, snapshot length, `if_tsresol` and `if_tsoffset`.
    func interface(_ block: Block, fail: (String, Int?) -> CaptureError) throws(CaptureError) -> Interface {
        let value = UInt32(block.u16(8))
        var interface = Interface(
            linkType: LibpcapLinkTypes.dlt(forFileValue: value) ?? LinkType(dlt: Int32(value)), snapshotLength: Int(block.u32(12)))
        for option in try options(block, from: 16, fail: fail) {
            switch option.code {
            case 9:  // if_tsresol: 10^-n or 2^-n seconds
                guard option.length == 1 else { throw fail("if_tsresol is \(option.length) bytes long, not 1", block.offset + option.at) }
                let resolution = block.bytes[option.at + 4]
                let exponent = Int(resolution & 0x7F)
                let isPowerOfTwo = resolution & 0x80 != 0
                guard exponent <= (isPowerOfTwo ? 63 : 19) else {
                    throw fail("if_tsresol \(isPowerOfTwo ? "2" : "10")^-\(exponent) s is finer than a 64-bit count of units per second", block.offset + option.at + 4)
                }
                interface.unitsPerSecond = isPowerOfTwo ? 1 << UInt64(exponent) : (0..<exponent).reduce(UInt64(1)) { value, _ in value * 10 }
            case 14:  // if_tsoffset: seconds added to every timestamp
                guard option.length == 8 else { throw fail("if_tsoffset is \(option.length) bytes long, not 8", block.offset + option.at) }
                interface.offsetSeconds = Int64(bitPattern: block.u64(option.at + 4))
            default:
                break
            }
        }
        return interface
    }

    /// The options of `block` from byte `start`: code, length and where the option starts.
    /// - Throws: when an option runs past the block's body.
    func options(_ block: Block, from start: Int, fail: (String, Int?) -> CaptureError) throws(CaptureError) -> [(code: UInt16, length: Int, at: Int)] {
        var options: [(code: UInt16, length: Int, at: Int)] = []
        let end = block.bytes.count - 4
        var at = start
        while at < end {
            guard at + 4 <= end else { throw fail("pcapng option header runs past its block", block.offset + at) }
            let code = block.u16(at)
            let length = Int(block.u16(at + 2))
            if code == 0 { break }  // opt_endofopt
            let padded = (length + 3) & ~3
            guard at + 4 + padded <= end else { throw fail("pcapng option \(code) of \(length) bytes runs past its block", block.offset + at) }
            options.append((code, length, at))
            at += 4 + padded
        }
        return options
    }

    /// What a packet block holds.
    struct Packet {
        var seconds: Int64
        var nanoseconds: UInt32
        var captured: Int
        var original: Int
        var linkType: LinkType
        var dataStart: Int
    }

    /// Reads an Enhanced, Simple or obsolete Packet Block.
    func packet(_ block: Block, interfaces: [Interface], fail: (String, Int?) -> CaptureError) throws(CaptureError) -> Packet {
        let id: Int
        let units: UInt64
        let captured: Int
        let original: Int
        let dataStart: Int
        switch block.type {
        case BlockType.simplePacket:
            id = 0
            units = 0  // a Simple Packet Block has no timestamp
            original = Int(block.u32(8))
            dataStart = 12
            guard !interfaces.isEmpty else { throw fail("Simple Packet Block before any Interface Description Block", block.offset) }
            let snapshot = interfaces[0].snapshotLength
            captured = snapshot == 0 ? original : min(original, snapshot)
        case BlockType.packet:
            id = Int(block.u16(8))
            units = UInt64(block.u32(12)) << 32 | UInt64(block.u32(16))
            captured = Int(block.u32(20))
            original = Int(block.u32(24))
            dataStart = 28
        default:
            id = Int(block.u32(8))
            units = UInt64(block.u32(12)) << 32 | UInt64(block.u32(16))
            captured = Int(block.u32(20))
            original = Int(block.u32(24))
            dataStart = 28
        }
        guard id < interfaces.count else { throw fail("packet block for interface \(id), but \(interfaces.count) are declared", block.offset + 8) }
        guard captured <= block.bytes.count - 4 - dataStart else {
            throw fail("packet block holds \(captured) captured bytes in a block of \(block.bytes.count)", block.offset + dataStart - 8)
        }
        let interface = interfaces[id]
        guard let (seconds, nanoseconds) = Self.time(units, interface) else {
            throw fail("timestamp \(units) at \(interface.unitsPerSecond) units per second (plus \(interface.offsetSeconds) s) is outside 64-bit seconds", block.offset + 12)
        }
        return Packet(
            seconds: seconds, nanoseconds: nanoseconds, captured: captured, original: original, linkType: interface.linkType,
            dataStart: dataStart)
    }

    /// Seconds and nanoseconds of `units` at the interface's resolution and offset, or `nil` when
    /// the seconds do not fit an `Int64`.
    static func time(_ units: UInt64, _ interface: Interface) -> (Int64, UInt32)? {
        let perSecond = interface.unitsPerSecond
        let (whole, fraction) = units.quotientAndRemainder(dividingBy: perSecond)
        // fraction < perSecond, so fraction × 10^9 / perSecond < 10^9: the full-width product cannot lose it.
        let product = fraction.multipliedFullWidth(by: 1_000_000_000)
        let nanoseconds = UInt32(perSecond.dividingFullWidth(product).quotient)
        guard let seconds = Int64(exactly: whole) else { return nil }
        let (shifted, overflow) = seconds.addingReportingOverflow(interface.offsetSeconds)
        return overflow ? nil : (shifted, nanoseconds)
    }
}
