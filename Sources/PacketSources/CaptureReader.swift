#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PacketWire

/// Reads a pcap or pcapng capture frame by frame in constant memory, through libpcap.
///
/// libpcap refuses a pcapng whose interfaces have different link types; such a file is read by
/// ``PcapngReader`` instead, which keeps each frame's own link type.
public final class CaptureReader {
    public let path: String

    /// Whether the file starts with a classic pcap magic number (either byte order, µs or ns).
    static func isClassicPcap(_ magic: UInt32?) -> Bool {
        magic.map { [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1].contains($0) } ?? false
    }

    /// Whether the file starts with a pcapng Section Header Block (its type reads the same in
    /// either byte order).
    static func isPcapng(_ magic: UInt32?) -> Bool { magic == 0x0A0D_0D0A }

    /// Whether the file (`-`: standard input), decompressed if it is gzip, zstd or xz, starts as a
    /// capture does (pcap or pcapng); a file that cannot be read counts as one, so that the
    /// capture reader reports why.
    package static func isCapture(_ path: String) -> Bool {
        guard let magic = CaptureInput.peekMagic(path) else { return true }
        return isClassicPcap(magic) || isPcapng(magic)
    }

    /// Records the filter refuses are read and counted (``Result/filtered``) but not handed on.
    public let filter: CaptureFilter?

    public init(path: String, filter: CaptureFilter? = nil) {
        self.path = path
        self.filter = filter
    }

    /// The most frames the file can hold (each record has at least a header), `nil` for standard
    /// input or a file whose size cannot be read: what a reader sizes its buffers by.
    package var frameLimit: Int? {
        // A compressed file holds more than its size says.
        guard path != "-", CaptureInput.peekMagic(path).map({ Self.isClassicPcap($0) || Self.isPcapng($0) }) == true else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, status.st_size >= 0 else { return nil }
        return Int(status.st_size) / PcapFormat.recordHeaderSize + 1
    }

    /// A record's time as seconds and nanoseconds in `0..<10^9`. libpcap hands the file's 32-bit
    /// fields over as signed values (so `0xFFFFFFFF` seconds is -1) and scales microseconds to
    /// nanoseconds without checking them, so a damaged field may be negative or a second or more:
    /// the excess moves into the seconds, as the fields add up.
    static func time(seconds: Int, nanoseconds: Int) -> (Int64, UInt32) {
        let billion = 1_000_000_000
        var carry = nanoseconds / billion
        var remainder = nanoseconds % billion
        if remainder < 0 {
            remainder += billion
            carry -= 1
        }
        return (Int64(seconds) + Int64(carry), UInt32(remainder))
    }

    /// What reading a capture gave: its frames, and the pcapng blocks skipped because they hold
    /// no packets (counted by ``PcapngReader`` only: libpcap skips them without a count).
    public struct Result: Sendable {
        public var frames: Int
        /// Frames read but not selected by the capture filter (not handed on; numbering counts them).
        public var filtered = 0
        /// Skipped blocks by type name (`Name Resolution`, `Interface Statistics`, …).
        public var skippedBlocks: [String: Int] = [:]

        package init(frames: Int, filtered: Int = 0, skippedBlocks: [String: Int] = [:]) {
            self.frames = frames
            self.filtered = filtered
            self.skippedBlocks = skippedBlocks
        }
    }

    /// Calls `body` for every frame, in file order. Complete frames before damage are delivered, then
    /// the damage is thrown with its byte offset.
    /// - Throws: ``CaptureError`` for damage, or what `body` throws (which ends the reading).
    @discardableResult
    public func forEach(_ body: (CaptureFrame) throws -> Void) throws -> Result {
        let input = try CaptureInput.open(path)
        let magic = input.magic
        // Offsets in a decompressed capture are in its decompressed bytes: say so in errors.
        let name = input.compression.map { "\(path) (decompressed \($0.rawValue))" } ?? path
        let handle = try LibpcapHandle(input, path: name)
        let linkType = handle.linkType
        // Classic pcap records are a header plus the captured bytes, so their offsets are counted;
        // pcapng blocks vary, so their offsets are asked of the file (a system call per frame).
        let classic = Self.isClassicPcap(magic)
        var counted = classic ? handle.offset : nil
        var number = 0
        var filtered = 0
        // Frames are numbered as in the file; those the filter refuses are counted, not handed on.
        let filter = self.filter
        func selected(_ frame: CaptureFrame) throws {
            if let filter, !filter.accepts(frame.bytes, originalLength: frame.originalLength, linkType: frame.linkType) {
                filtered += 1
                return
            }
            try body(frame)
        }
        while true {
            let offset = classic ? counted : handle.offset
            switch handle.next() {
            case .record(let header, let data):
                number += 1
                let captured = Int(header.pointee.caplen)
                if let previous = counted { counted = previous + PcapFormat.recordHeaderSize + captured }
                let (seconds, nanoseconds) = Self.time(seconds: header.pointee.ts.tv_sec, nanoseconds: header.pointee.ts.tv_usec)
                try selected(
                    CaptureFrame(
                        number: number, seconds: seconds, nanoseconds: nanoseconds,
                        capturedLength: captured, originalLength: Int(header.pointee.len), linkType: linkType,
                        bytes: UnsafeRawBufferPointer(start: data, count: captured)))
            case .end:
                if let damage = input.damage { throw CaptureError(file: path, offset: nil, framesRead: number, message: damage) }
                return Result(frames: number, filtered: filtered)
            case .failure(let message):
                if Self.isPcapng(magic), let file = handle.file {
                    // libpcap stopped inside a pcapng file (it refuses interfaces of different link
                    // types, among others): the strict reader reads the same stream again from its
                    // start, goes on from the frames libpcap delivered, and names the damage itself
                    // if there is any.
                    rewind(file)
                    let (frames, blocks) = try PcapngReader(path: name, file: file).forEach(skipping: number, selected)
                    return Result(frames: frames, filtered: filtered, skippedBlocks: blocks.skipped)
                }
                // Damaged compressed data is why a decompressed capture stops early.
                if let damage = input.damage { throw CaptureError(file: path, offset: nil, framesRead: number, message: damage) }
                throw CaptureError(file: name, offset: offset, framesRead: number, message: message)
            }
        }
    }
}
