import OutputFiles

/// Opens `path` (standard output for `nil` or `-`) as an ``OutputFile``, runs `body` with it and
/// commits it: a file appears only complete, and any failure, `body`'s included, leaves the
/// target as it was. Output failures go up to ``PacketPath/main()`` (exit 73 or 74).
func withOutput<T>(_ path: String?, _ body: (OutputFile) throws -> T) throws -> T {
    let output = try OutputFile(path ?? "-")
    do {
        let result = try body(output)
        try output.commit()
        return result
    } catch {
        output.abandon()
        throw error
    }
}

/// Writes `text` and a line feed to standard output, through a checked write.
func printOutput(_ text: String) throws {
    try withOutput(nil) { try $0.writeLine(text) }
}
