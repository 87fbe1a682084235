import CLzma

/// xz through liblzma: the only file that calls `lzma_*`. Concatenated streams are decoded in
/// turn (`LZMA_CONCATENATED`), as `xzcat` gives.
enum Xz {
    static func decompress(_ source: CompressedSource, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = lzma_stream()  // LZMA_STREAM_INIT is all zeros
        // 0x08 is LZMA_CONCATENATED (a UINT32_C macro Swift does not import).
        guard lzma_stream_decoder(&stream, UInt64.max, 0x08) == LZMA_OK else {
            throw DecompressionError(offset: 0, message: "liblzma could not start")
        }
        defer { lzma_end(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: CompressedSource.chunk, alignment: 16)
        defer { output.deallocate() }
        while true {
            let input = try source.window()
            // With LZMA_CONCATENATED the decoder learns of the end from LZMA_FINISH alone.
            let action = input.isEmpty ? LZMA_FINISH : LZMA_RUN
            stream.next_in = input.baseAddress
            stream.avail_in = input.count
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = output.count
            let status = lzma_code(&stream, action)
            source.consume(input.count - stream.avail_in)
            try sink(UnsafeRawBufferPointer(rebasing: output[0..<(output.count - stream.avail_out)]))
            switch status {
            case LZMA_STREAM_END: return
            case LZMA_OK: continue
            case LZMA_BUF_ERROR where input.isEmpty:
                throw DecompressionError(offset: source.consumed, message: "the xz data ends inside a stream (a truncated file?)")
            default:
                throw DecompressionError(offset: source.consumed, message: "not valid xz data (liblzma status \(status.rawValue))")
            }
        }
    }
}
