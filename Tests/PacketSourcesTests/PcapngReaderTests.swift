import Foundation
import PacketSources
import PacketWire
import PathCore
import Testing
import _PacketPathTestSupport

/// The pure-Swift pcapng reader, used where libpcap refuses a file (interfaces of different link
/// types): as strict as libpcap, every frame accounted for, damage at its byte offset, no trap.
@Suite("pcapng reader")
struct PcapngReaderTests {
    /// An Ethernet frame and a raw IPv4 packet (TCP 10.0.7.10:40000 → 52.216.0.1:443).
    static let frames: (ethernet: [UInt8], raw: [UInt8]) = {
        var packet = FrameBuilder.Packet(source: IPAddress("10.0.7.10")!, destination: IPAddress("52.216.0.1")!, protocolNumber: .tcp)
        (packet.sourcePort, packet.destinationPort, packet.tcpFlags) = (40_000, 443, 0x02)
        let mac: [UInt8] = [2, 0, 0, 0, 0, 1]
        return (FrameBuilder(linkType: .ethernet).frame(packet, sourceMAC: mac, destinationMAC: mac),
                FrameBuilder(linkType: .raw).frame(packet, sourceMAC: mac, destinationMAC: mac))
    }()

    /// A section with an Ethernet interface (0) and a LINKTYPE_RAW one (1): libpcap refuses the
    /// second interface, so everything after it is read by the pure-Swift reader.
    static func mixed(bigEndian: Bool = false, rawOptions: [(UInt16, [UInt8])] = []) -> PcapngBuilder {
        var builder = PcapngBuilder(bigEndian: bigEndian)
        builder.section()
        builder.interface(linkType: 1)
        builder.interface(linkType: 101, options: rawOptions)
        return builder
    }

    /// Writes `bytes` to a temporary file and reads it through ``CaptureReader``.
    static func read(_ bytes: [UInt8], name: String = #function) throws -> (frames: [(number: Int, linkType: LinkType, seconds: Int64, nanoseconds: UInt32, bytes: [UInt8])], result: CaptureReader.Result?, error: CaptureError?) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pcapng-\(name.prefix { $0 != "(" })-\(getpid()).pcapng").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var frames: [(number: Int, linkType: LinkType, seconds: Int64, nanoseconds: UInt32, bytes: [UInt8])] = []
        do {
            let result = try CaptureReader(path: path).forEach { frames.append(($0.number, $0.linkType, $0.seconds, $0.nanoseconds, Array($0.bytes))) }
            return (frames, result, nil)
        } catch {
            return (frames, nil, try #require(error as? CaptureError))
        }
    }

    @Test("interfaces of two link types: every frame with its own link type, LINKTYPE_RAW 101 mapped by libpcap to DLT_RAW")
    func mixedLinkTypes() throws {
        var builder = Self.mixed()
        builder.enhancedPacket(interface: 0, timestamp: 1_767_225_600_000_001, data: Self.frames.ethernet)
        builder.enhancedPacket(interface: 1, timestamp: 1_767_225_600_000_002, data: Self.frames.raw)
        let (frames, result, error) = try Self.read(builder.bytes)
        #expect(error == nil)
        #expect(result?.frames == 2)
        #expect(frames.map(\.linkType) == [.ethernet, .raw])
        #expect(frames.map(\.number) == [1, 2])
        #expect(frames[1].seconds == 1_767_225_600 && frames[1].nanoseconds == 2_000)
        #expect(frames[1].bytes == Self.frames.raw)
    }

    @Test("an obsolete Packet Block (type 2) is a frame: nothing lost, later frames keep their numbers")
    func obsoletePacketBlock() throws {
        var builder = Self.mixed()
        builder.enhancedPacket(interface: 0, timestamp: 1, data: Self.frames.ethernet)
        builder.obsoletePacket(interface: 1, timestamp: 2_000_000, data: Self.frames.raw)
        builder.enhancedPacket(interface: 0, timestamp: 3, data: Self.frames.ethernet)
        let (frames, _, error) = try Self.read(builder.bytes)
        #expect(error == nil)
        #expect(frames.map(\.number) == [1, 2, 3])
        #expect(frames[1].linkType == .raw && frames[1].bytes == Self.frames.raw && frames[1].seconds == 2)
    }

    @Test("a Simple Packet Block takes interface 0's link type and snapshot length")
    func simplePacketBlock() throws {
        var builder = PcapngBuilder()
        builder.section()
        builder.interface(linkType: 1, snapshotLength: 20)
        builder.interface(linkType: 101)
        builder.simplePacket(data: Self.frames.ethernet)
        let (frames, _, error) = try Self.read(builder.bytes)
        #expect(error == nil)
        #expect(frames.count == 1 && frames[0].bytes == Array(Self.frames.ethernet.prefix(20)))
    }

    @Test("a block whose trailing length differs from its leading one is damage at the trailer (libpcap exits 65 on it too)")
    func trailerMismatch() throws {
        var builder = Self.mixed()
        builder.enhancedPacket(interface: 0, timestamp: 1, data: Self.frames.ethernet)
        let damagedAt = builder.bytes.count
        var good = PcapngBuilder()
        good.enhancedPacket(interface: 1, timestamp: 2, data: Self.frames.raw)
        builder.block(type: 6, body: Array(good.bytes[8..<good.bytes.count - 4]), trailer: UInt32(good.bytes.count + 4))
        builder.enhancedPacket(interface: 0, timestamp: 3, data: Self.frames.ethernet)
        let (frames, _, error) = try Self.read(builder.bytes)
        let failure = try #require(error)
        #expect(frames.count == 1, "the frame before the damage is kept")
        #expect(failure.message.contains("differs from the start"), "\(failure)")
        #expect(failure.offset == damagedAt + good.bytes.count - 4)
    }

    @Test("if_tsresol finer than 64 bits can count is damage, not a trap; 10^-19 and 2^-63 are read")
    func timestampResolution() throws {
        for (resolution, readable) in [(UInt8(20), false), (0x80 | 64, false), (0x7F, false), (19, true), (0x80 | 63, true), (9, true)] {
            var builder = Self.mixed(rawOptions: [(9, [resolution])])
            builder.enhancedPacket(interface: 1, timestamp: UInt64.max, data: Self.frames.raw)
            let (frames, _, error) = try Self.read(builder.bytes)
            if readable {
                #expect(error == nil && frames.count == 1, "if_tsresol \(resolution): \(String(describing: error))")
                if resolution == 9 {  // 2^64-1 ns = 18446744073 s + 709551615 ns
                    #expect(frames.first?.seconds == 18_446_744_073 && frames.first?.nanoseconds == 709_551_615)
                }
            } else {
                #expect(error?.message.contains("if_tsresol") == true, "if_tsresol \(resolution): \(String(describing: error))")
            }
        }
    }

    @Test("a timestamp whose seconds do not fit 64 bits at its resolution is damage at that block")
    func timestampOverflow() throws {
        var builder = Self.mixed(rawOptions: [(9, [0])])  // one unit per second
        let at = builder.bytes.count
        builder.enhancedPacket(interface: 1, timestamp: UInt64.max, data: Self.frames.raw)
        let (_, _, error) = try Self.read(builder.bytes)
        let failure = try #require(error)
        #expect(failure.message.contains("outside 64-bit seconds"), "\(failure)")
        #expect(failure.offset == at + 12)
        // And an offset (if_tsoffset) that carries a fitting time out of range.
        var offset = Self.mixed(rawOptions: [(9, [0]), (14, withUnsafeBytes(of: Int64.max.littleEndian) { Array($0) })])
        offset.enhancedPacket(interface: 1, timestamp: 5, data: Self.frames.raw)
        #expect(try Self.read(offset.bytes).error?.message.contains("outside 64-bit seconds") == true)
        var shifted = Self.mixed(rawOptions: [(14, withUnsafeBytes(of: Int64(-10).littleEndian) { Array($0) })])
        shifted.enhancedPacket(interface: 1, timestamp: 12_000_000, data: Self.frames.raw)
        #expect(try Self.read(shifted.bytes).frames.first?.seconds == 2, "if_tsoffset is added")
    }

    @Test("block lengths shorter than the block's fixed fields are damage, for every block type with fixed fields")
    func shortBlocks() throws {
        let cases: [(UInt32, [UInt8])] = [
            (1, [1, 0, 0, 0]),  // Interface Description: 8 bytes of fields
            (6, [0, 0, 0, 0, 0, 0, 0, 0]),  // Enhanced Packet: 20
            (2, [0, 0, 0, 0]),  // Packet: 20
            (3, []),  // Simple Packet: 4
            (5, [0, 0, 0, 0]),  // Interface Statistics: 12
        ]
        for (type, body) in cases {
            var builder = Self.mixed()
            builder.block(type: type, body: body)
            let (frames, _, error) = try Self.read(builder.bytes)
            #expect(frames.isEmpty)
            #expect(error?.message.contains("fixed fields") == true, "block type \(type): \(String(describing: error))")
        }
        // A packet block whose captured length runs past its block.
        var long = Self.mixed()
        let start = long.bytes.count
        long.enhancedPacket(interface: 1, timestamp: 0, data: Self.frames.raw)
        var patched = long.bytes
        withUnsafeBytes(of: UInt32(5_000).littleEndian) { for i in 0..<4 { patched[start + 20 + i] = $0[i] } }  // captured length
        #expect(try Self.read(patched).error?.message.contains("captured bytes") == true)
    }

    @Test("blocks without packets are skipped by their length and counted; big-endian sections read alike")
    func skippedBlocks() throws {
        for bigEndian in [false, true] {
            var builder = Self.mixed(bigEndian: bigEndian)
            builder.block(type: 4, body: [0, 0, 0, 0])  // Name Resolution: opt_endofrecord
            builder.enhancedPacket(interface: 1, timestamp: 1, data: Self.frames.raw)
            builder.block(type: 5, body: [UInt8](repeating: 0, count: 12))  // Interface Statistics
            builder.block(type: 5, body: [UInt8](repeating: 0, count: 12))
            builder.block(type: 0x0BAD, body: [0, 0, 0, 0])  // Custom
            builder.enhancedPacket(interface: 0, timestamp: 2, data: Self.frames.ethernet)
            let (frames, result, error) = try Self.read(builder.bytes)
            #expect(error == nil)
            #expect(frames.map(\.number) == [1, 2])
            #expect(result?.skippedBlocks == ["Name Resolution": 1, "Interface Statistics": 2, "Custom": 1])
        }
    }

    @Test("a packet block for an interface never declared is damage")
    func undeclaredInterface() throws {
        var builder = Self.mixed()
        builder.enhancedPacket(interface: 7, timestamp: 1, data: Self.frames.raw)
        #expect(try Self.read(builder.bytes).error?.message.contains("interface 7") == true)
    }
}
