import PacketWire

/// Reads a pcap or pcapng capture frame by frame in constant memory, through libpcap.
///
/// libpcap refuses a pcapng whose interfaces have different link types; such a file is read by
/// ``PcapngReader`` instead, which keeps each frame's own link type.
public final class CaptureReader {
    public let path: String

    public init(path: String) { self.path = path }

    /// Calls `body` for every frame, in file order. Complete frames before damage are delivered, then
    /// the damage is thrown with its byte offset.
    /// - Returns: the number of frames read.
    @discardableResult
    public func forEach(_ body: (CaptureFrame) -> Void) throws(CaptureError) -> Int {
        let handle = try LibpcapHandle(path: path)
        let linkType = handle.linkType
        var number = 0
        while true {
            let offset = handle.offset
            switch handle.next() {
            case .record(let header, let data):
                number += 1
                let captured = Int(header.pointee.caplen)
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
