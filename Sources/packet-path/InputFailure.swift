import ArgumentParser
import Foundation
import OutputFiles
import PacketSources
import VPCTopology

/// Exit statuses from sysexits.h (docs/cli.md).
enum ExitStatus {
    static let badInput = ExitCode(65)
    static let cannotRead = ExitCode(66)
}

/// Writes `text` and a newline to standard error; a closed or full standard error loses the
/// message, never the run.
func printError(_ text: String) {
    StandardError.writeLine(text)
}

/// Prints diagnostics to standard error, errors and warnings alike, in document order.
func report(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics { printError(diagnostic.description) }
    let errors = diagnostics.filter { $0.severity == .error }.count
    if errors > 0 { printError("\(errors) error\(errors == 1 ? "" : "s")") }
}

/// The whole of `path`'s bytes, standard input for `-`; `nil` when it cannot be read (no such
/// file, a folder, a read error). `FileHandle.readDataToEndOfFile` traps on a read error (standard
/// input redirected from a folder), so standard input is read with the throwing `readToEnd`.
func readBytes(_ path: String) -> Data? {
    guard path == "-" else { return FileManager.default.contents(atPath: path) }
    return StandardInput.bytes().map { Data($0) }
}

/// Reads a whole text file, or exits 66 naming it.
func readText(_ path: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        printError("\(path): error: no such file")
        throw ExitStatus.cannotRead
    }
    guard !isDirectory.boolValue else {
        printError("\(path): error: is a directory; a YAML scenario file is expected here")
        throw ExitStatus.cannotRead
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("\(path): error: cannot read the file")
        throw ExitStatus.cannotRead
    }
    guard let text = String(data: data, encoding: .utf8) else {
        printError("\(path): error: not UTF-8 text")
        throw ExitStatus.badInput
    }
    return text
}
