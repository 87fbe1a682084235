import Foundation

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
}
