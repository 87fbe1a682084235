import CZlib

/// gzip (RFC 1952) through zlib: the only file that calls `inflate*`. Flow logs delivered to S3
/// are gzip files (`.log.gz`), sometimes of several members one after another; each member is
/// inflated in turn, so the output is the members' contents concatenated, as `zcat` gives.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number (1f 8b).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed contents of every member of `bytes`.
    /// - Throws: ``DecompressionError`` with the byte offset where the data stopped making sense,
    ///   or where it ended inside a member.
    public static func decompress(_ bytes: [UInt8]) throws(DecompressionError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 4)
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer, not a zlib one.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DecompressionError(offset: 0, message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var failure: DecompressionError?
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            var consumed: Int { input.count - Int(stream.avail_in) }
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (`cat a.gz b.gz`); trailing zero padding ends the file.
                    if stream.avail_in == 0 || input[consumed...].allSatisfy({ $0 == 0 }) { return }
                    inflateReset(&stream)
                case Z_OK:
                    if stream.avail_in == 0 && stream.avail_out != 0 {
                        failure = DecompressionError(offset: consumed, message: "the gzip data ends inside a member (a truncated file?)")
                        return
                    }
                case Z_BUF_ERROR where stream.avail_in == 0:
                    failure = DecompressionError(offset: consumed, message: "the gzip data ends inside a member (a truncated file?)")
                    return
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    failure = DecompressionError(offset: consumed, message: "not valid gzip data: \(reason)")
                    return
                }
            }
        }
        if let failure { throw failure }
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
