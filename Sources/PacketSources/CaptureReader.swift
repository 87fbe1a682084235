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
    static func isClassicPcap(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var magic: UInt32 = 0
        guard fread(&magic, 4, 1, file) == 1 else { return false }
        return [0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1].contains(magic)
    }

    public init(path: String) { self.path = path }

    /// Calls `body` for every frame, in file order. Complete frames before damage are delivered, then
    /// the damage is thrown with its byte offset.
    /// - Returns: the number of frames read.
    @discardableResult
    public func forEach(_ body: (CaptureFrame) -> Void) throws(CaptureError) -> Int {
        let handle = try LibpcapHandle(path: path)
        let linkType = handle.linkType
        // Classic pcap records are 16 bytes plus the captured bytes, so their offsets are counted;
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
                if let previous = counted { counted = previous + 16 + captured }
                body(
                    CaptureFrame(
                        number: number, seconds: Int64(header.pointee.ts.tv_sec), nanoseconds: UInt32(truncatingIfNeeded: header.pointee.ts.tv_usec),
                        capturedLength: captured, originalLength: Int(header.pointee.len), linkType: linkType,
                        bytes: UnsafeRawBufferPointer(start: data, count: captured)))
            case .end:
                return number
            case .failure(let message):
                if message.contains("different from the type of the first interface"), path != "-" {
                    // Several interfaces with different link types: read the pcapng blocks ourselves,
                    // skipping the frames libpcap already delivered.
                    return try PcapngReader(path: path).forEach(skipping: number, body)
                }
                throw CaptureError(file: path, offset: offset, framesRead: number, message: message)
            }
        }
    }
}
