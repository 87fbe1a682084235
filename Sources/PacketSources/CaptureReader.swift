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

    /// The file's first four bytes, as the host reads them; `nil` when it has fewer.
    static func magic(_ path: String) -> UInt32? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var magic: UInt32 = 0
        guard fread(&magic, 4, 1, file) == 1 else { return nil }
        return magic
    }

    /// Whether the file starts with a classic pcap magic number (either byte order, µs or ns).
    static func isClassicPcap(_ path: String) -> Bool {
        magic(path).map { [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1].contains($0) } ?? false
    }

    /// Whether the file starts with a pcapng Section Header Block (its type reads the same in
    /// either byte order).
    static func isPcapng(_ path: String) -> Bool { magic(path) == 0x0A0D_0D0A }

    /// Whether the file starts as a capture does (pcap or pcapng); a file that cannot be read
    /// counts as one, so that the capture reader reports why.
    package static func isCapture(_ path: String) -> Bool {
        guard magic(path) != nil else { return true }
        return isClassicPcap(path) || isPcapng(path)
    }

    public init(path: String) { self.path = path }

    /// The most frames the file can hold (each record has at least a header), `nil` for standard
    /// input or a file whose size cannot be read: what a reader sizes its buffers by.
    package var frameLimit: Int? {
        guard path != "-" else { return nil }
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
        /// Skipped blocks by type name (`Name Resolution`, `Interface Statistics`, …).
        public var skippedBlocks: [String: Int] = [:]

        package init(frames: Int, skippedBlocks: [String: Int] = [:]) {
            self.frames = frames
            self.skippedBlocks = skippedBlocks
        }
    }

    /// Calls `body` for every frame, in file order. Complete frames before damage are delivered, then
    /// the damage is thrown with its byte offset.
    /// - Throws: ``CaptureError`` for damage, or what `body` throws (which ends the reading).
    @discardableResult
    public func forEach(_ body: (CaptureFrame) throws -> Void) throws -> Result {
        let handle = try LibpcapHandle(path: path)
        let linkType = handle.linkType
        // Classic pcap records are a header plus the captured bytes, so their offsets are counted;
        // pcapng blocks vary, so their offsets are asked of the file (a system call per frame).
        let classic = path != "-" && Self.isClassicPcap(path)
        var counted = classic ? handle.offset : nil
        var number = 0
        while true {
            let offset = classic ? counted : handle.offset
            switch handle.next() {
            case .record(let header, let data):
                number += 1
                let captured = Int(header.pointee.caplen)
                if let previous = counted { counted = previous + PcapFormat.recordHeaderSize + captured }
                let (seconds, nanoseconds) = Self.time(seconds: header.pointee.ts.tv_sec, nanoseconds: header.pointee.ts.tv_usec)
                try body(
                    CaptureFrame(
                        number: number, seconds: seconds, nanoseconds: nanoseconds,
                        capturedLength: captured, originalLength: Int(header.pointee.len), linkType: linkType,
                        bytes: UnsafeRawBufferPointer(start: data, count: captured)))
            case .end:
                return Result(frames: number)
            case .failure(let message):
                if path != "-", Self.isPcapng(path) {
                    // libpcap stopped inside a pcapng file (it refuses interfaces of different link
                    // types, among others): the strict reader goes on from the frames libpcap
                    // delivered, and names the damage itself if there is any.
                    guard let file = fopen(path, "rb") else { throw CaptureError(file: path, offset: 0, framesRead: number, message: "cannot reopen the file") }
                    defer { fclose(file) }
                    let (frames, blocks) = try PcapngReader(path: path, file: file).forEach(skipping: number, body)
                    return Result(frames: frames, skippedBlocks: blocks.skipped)
                }
                throw CaptureError(file: path, offset: offset, framesRead: number, message: message)
            }
        }
    }
}
