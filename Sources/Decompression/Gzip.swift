import CZlib

/// gzip (RFC 1952) through zlib: the only file that calls `inflate*`. Flow logs delivered to S3
/// are gzip files (`.log.gz`), sometimes of several members one after another; each member is
/// inflated in turn, so the output is the members' contents concatenated, as `zcat` gives.
enum Gzip {
    static func decompress(_ source: CompressedSource, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer, not a zlib one.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DecompressionError(offset: 0, message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: CompressedSource.chunk, alignment: 16)
        defer { output.deallocate() }
        while true {
            let input = try source.window()
            if input.isEmpty { throw DecompressionError(offset: source.consumed, message: "the gzip data ends inside a member (a truncated file?)") }
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(output.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            source.consume(input.count - Int(stream.avail_in))
            try sink(UnsafeRawBufferPointer(rebasing: output[0..<(output.count - Int(stream.avail_out))]))
            switch status {
            case Z_STREAM_END:
                // Another member may follow (`cat a.gz b.gz`); trailing zero padding ends the file.
                if try source.atEndIgnoringZeros() { return }
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                continue
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw DecompressionError(offset: source.consumed, message: "not valid gzip data: \(reason)")
            }
        }
    }
}
