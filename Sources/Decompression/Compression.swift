/// The compressed formats read transparently, told apart by their magic numbers (not by file
/// names: a capture piped through `gzip` has none).
public enum Compression: String, Sendable, CaseIterable {
    case gzip
    case zstd
    case xz

    /// The format `bytes` (a file's first six bytes or more) start with, if any.
    public init?(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(6))
        if head.starts(with: [0x1F, 0x8B]) {
            self = .gzip
        } else if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
            self = .zstd
        } else if head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) {
            self = .xz
        } else {
            return nil
        }
    }

    /// Decompresses what `read` gives (it fills the buffer it is handed and returns the count, 0 at
    /// the end), handing the output to `write` a chunk at a time: constant memory.
    /// - Throws: ``DecompressionError`` with the offset in the compressed input, or what `read`
    ///   or `write` throw.
    public func decompress(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int, write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let source = CompressedSource(read: read)
        switch self {
        case .gzip: try Gzip.decompress(source, into: write)
        case .zstd: try Zstd.decompress(source, into: write)
        case .xz: try Xz.decompress(source, into: write)
        }
    }

    /// The decompressed contents of `bytes`.
    public func decompress(_ bytes: [UInt8]) throws(DecompressionError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 4)
        var position = 0
        do {
            try decompress(
                read: { buffer in
                    let count = min(buffer.count, bytes.count - position)
                    bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[position..<(position + count)])) }
                    position += count
                    return count
                }, write: { output.append(contentsOf: $0) })
        } catch let error as DecompressionError {
            throw error
        } catch {
            throw DecompressionError(offset: position, message: "\(error)")
        }
        return output
    }
}

/// Compressed data that cannot be decompressed: where, and why.
public struct DecompressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset in the compressed input.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "byte \(offset): \(message)" }
}
