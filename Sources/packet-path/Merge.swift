import ArgumentParser
import Foundation
import TrafficAnalysis

extension PacketPath {
    /// Adds up summary documents (`replay --format summary-json`) into one.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add up summary documents ('replay --format summary-json') into one: the same as one replay over all their inputs.",
            discussion: "Merging is associative and commutative; the inputs must be split between files (connection state does not cross files).")

        @Argument(help: ArgumentHelp("Summary documents to add up.", valueName: "summary.json"))
        var summaries: [String]

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the merged document to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            if summaries.isEmpty { throw ValidationError("give one or more summary documents") }
        }

        func run() throws {
            let report = try readSummaries(summaries)
            try withOutput(output) { try $0.writeLine(report.json()) }
        }
    }
}

/// Reads and adds up summary documents; a file that cannot be read exits 66, one that is not a
/// summary 65, naming the file and the problem.
func readSummaries(_ paths: [String]) throws -> TrafficReport {
    var report = TrafficReport()
    for path in paths {
        guard let data = readBytes(path) else {
            printError("\(path): error: cannot read")
            throw ExitStatus.cannotRead
        }
        do {
            try report.add(try TrafficReport(json: [UInt8](data)))
        } catch {
            printError("\(path): error: \(error)")
            throw ExitStatus.badInput
        }
    }
    return report
}

/// Whether `path` is a file that holds a summary document (it begins with `{` and the
/// `packetPathSummary` member); folders and unreadable paths are not.
func isSummaryDocument(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
        let handle = FileHandle(forReadingAtPath: path)
    else { return false }
    defer { try? handle.close() }
    // `read(upToCount:)` throws where `readData(ofLength:)` traps (a FIFO that fails, a device).
    guard let head = try? handle.read(upToCount: 64) else { return false }
    return String(decoding: head, as: UTF8.self).filter { !$0.isWhitespace }.hasPrefix("{\"packetPathSummary\"")
}
