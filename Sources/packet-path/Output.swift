import ArgumentParser
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

/// Writes `text` (for people: its control characters made visible) and a line feed to standard
/// output, through a checked write.
func printOutput(_ text: String) throws {
    try withOutput(nil) { try $0.writeLine(VisibleText.escaped(text)) }
}

/// Writes text for people (its control characters made visible) and a line feed to `path`.
func writeText(_ text: String, to path: String?) throws {
    try withOutput(path) { try $0.writeLine(VisibleText.escaped(text)) }
}

/// Refuses two outputs on standard output (`-`, or an output left to default to it): their
/// contents would interleave into something neither reader can parse.
/// - Parameter outputs: each output's option name and path (`nil` for one that defaults to standard output).
func checkOneStandardOutput(_ outputs: [(option: String, path: String?)]) throws {
    let onStandardOutput = outputs.filter { $0.path == nil || $0.path == "-" }.map(\.option)
    if onStandardOutput.count > 1 {
        throw ValidationError("\(onStandardOutput.joined(separator: " and ")) would both write to standard output: give all but one of them a file")
    }
}
