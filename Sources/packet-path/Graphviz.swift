import ArgumentParser
import Foundation
import PathReporters

/// Graphviz's `dot` (Debian `graphviz`), which lays out and draws the diagrams as SVG.
enum Graphviz {
    /// Why there is no SVG.
    enum Failure: Error, CustomStringConvertible {
        case missing
        case failed(Int32, String)

        var description: String {
            switch self {
            case .missing: "drawing SVG needs Graphviz's dot (Debian: apt install graphviz); 'diagram --format dot' writes the source"
            case .failed(let status, let message): "Graphviz's dot failed (\(status)): \(message)"
            }
        }
    }

    /// SVG drawn from DOT by `dot -Tsvg`.
    static func svg(_ dot: String) throws(Failure) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["dot", "-Tsvg"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
            // Graphviz reads all of its input before it writes: write, close, then read.
            input.fileHandleForWriting.write(Data(dot.utf8))
            try input.fileHandleForWriting.close()
        } catch {
            throw .failed(-1, "\(error)")
        }
        let svg = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw process.terminationStatus == 127 ? .missing : .failed(process.terminationStatus, message)
        }
        return [UInt8](svg)
    }

    /// The SVG of `diagram`, for a command whose output is the picture: exit 69 naming what is
    /// missing when Graphviz cannot draw it.
    static func svgOrExit(_ diagram: NetworkDiagram) throws -> [UInt8] {
        do {
            return try svg(diagram.dot())
        } catch {
            printError("error: \(error)")
            throw ExitCode(69)
        }
    }

    /// The diagram of an HTML report: Graphviz's SVG, or, when it cannot draw, a warning and
    /// the report's note that it has none (the report is written all the same).
    static func reportDiagram(_ diagram: NetworkDiagram) -> HTMLReport.Diagram {
        do {
            return .svg(String(decoding: try svg(diagram.dot()), as: UTF8.self))
        } catch {
            printError("warning: the report has no diagram: \(error)")
            return .missing("No diagram: \(error).")
        }
    }
}
