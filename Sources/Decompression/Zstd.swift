import CZstd

/// Zstandard (RFC 8878) through libzstd: the only file that calls `ZSTD_*`. Frames one after
/// another are decoded in turn, as `zstdcat` gives.
enum Zstd {
    static func decompress(_ source: CompressedSource, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let stream = ZSTD_createDStream() else { throw DecompressionError(offset: 0, message: "libzstd could not start") }
        defer { ZSTD_freeDStream(stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: CompressedSource.chunk, alignment: 16)
        defer { output.deallocate() }
        // 0 once a frame is complete and flushed; otherwise more input or output is due.
        var pending = 1
        while true {
            let input = try source.window()
            if input.isEmpty {
                if pending == 0 { return }
                throw DecompressionError(offset: source.consumed, message: "the zstd data ends inside a frame (a truncated file?)")
            }
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let status = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            source.consume(inBuffer.pos)
            if ZSTD_isError(status) != 0 {
                throw DecompressionError(offset: source.consumed, message: "not valid zstd data: \(String(cString: ZSTD_getErrorName(status)))")
            }
            pending = status
            try sink(UnsafeRawBufferPointer(rebasing: output[0..<outBuffer.pos]))
        }
    }
}
