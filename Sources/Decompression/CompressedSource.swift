/// Compressed input read a chunk at a time, for the streaming decoders: `window` holds the bytes
/// read and not yet consumed; a decoder consumes from its front. One owner; not thread-safe.
final class CompressedSource {
    /// Bytes read at a time.
    static let chunk = 1 << 16

    private let read: (UnsafeMutableRawBufferPointer) throws -> Int
    private let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    private var start = 0
    private var end = 0
    /// Bytes consumed so far: the offset errors are reported at.
    private(set) var consumed = 0

    /// - Parameter read: fills the buffer it is given and returns how many bytes it wrote, 0 at the end.
    init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) { self.read = read }

    deinit { storage.deallocate() }

    /// The unconsumed bytes, reading the next chunk first when there are none; empty at the end.
    func window() throws -> UnsafeBufferPointer<UInt8> {
        if start == end {
            start = 0
            end = try read(storage)
        }
        return UnsafeBufferPointer(start: storage.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: end - start)
    }

    func consume(_ count: Int) {
        start += count
        consumed += count
    }

    /// Whether only zero bytes (padding) or nothing follow; the zeros are consumed.
    func atEndIgnoringZeros() throws -> Bool {
        while true {
            let bytes = try window()
            if bytes.isEmpty { return true }
            guard let first = bytes.firstIndex(where: { $0 != 0 }) else {
                consume(bytes.count)
                continue
            }
            consume(first)
            return false
        }
    }
}
