import Foundation
import Testing

/// Every bundled scenario replayed through the binary and compared with its reviewed expected
/// output. Set PACKETPATH_UPDATE_GOLDEN=1 to rewrite the files, then review the diff before committing.
@Suite("Scenario golden files")
struct GoldenScenarioTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var topology: String
        var flows: String
        var expected: String
        var format: String
        var testDescription: String { "\(topology) (\(format))" }
    }

    static let cases: [Case] = [
        ("Scenarios/seed/before.yaml", "Scenarios/seed/flows.yaml", "Scenarios/seed/expected/before"),
        ("Scenarios/seed/after.yaml", "Scenarios/seed/flows.yaml", "Scenarios/seed/expected/after"),
        ("Scenarios/lambda-in-vpc/scenario.yaml", "Scenarios/lambda-in-vpc/flows.yaml", "Scenarios/lambda-in-vpc/expected/replay"),
        ("Scenarios/multi-tier/scenario.yaml", "Scenarios/multi-tier/flows.yaml", "Scenarios/multi-tier/expected/replay"),
        ("Scenarios/hub-and-spoke/scenario.yaml", "Scenarios/hub-and-spoke/flows.yaml", "Scenarios/hub-and-spoke/expected/replay"),
        ("Scenarios/hybrid/scenario.yaml", "Scenarios/hybrid/flows.yaml", "Scenarios/hybrid/expected/replay"),
        ("Scenarios/privatelink/before.yaml", "Scenarios/privatelink/flows.yaml", "Scenarios/privatelink/expected/before"),
        ("Scenarios/privatelink/after.yaml", "Scenarios/privatelink/flows.yaml", "Scenarios/privatelink/expected/after"),
    ].flatMap { topology, flows, expected in
        ["txt", "jsonl", "csv", "dot", "mmd"].map { Case(topology: topology, flows: flows, expected: "\(expected).\($0)", format: $0) }
    }

    @Test("replay, and the diagram of the flows' paths, match the reviewed expected output", arguments: cases)
    func replay(_ golden: Case) throws {
        let arguments: [String]
        switch golden.format {
        case "dot": arguments = ["diagram", "--format", "dot"]
        case "mmd": arguments = ["diagram", "--format", "mermaid"]
        case "txt": arguments = ["replay", "--format", "text"]
        default: arguments = ["replay", "--format", golden.format]
        }
        let result = try CLIRunner.run(arguments + ["--topology", golden.topology, "--flows", golden.flows])
        #expect(result.status == 0, "\(result.stderr)")
        let url = CLIRunner.packageRoot.appendingPathComponent(golden.expected)
        if ProcessInfo.processInfo.environment["PACKETPATH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try result.stdout.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != result.stdout {
            Issue.record("\(golden.expected) differs from the output:\n\(try unifiedDiff(expected, result.stdout))")
        }
    }

    @Test(
        "every bundled scenario's diagram renders to SVG with Graphviz",
        .enabled(if: (try? CLIRunner.shell("command -v dot"))?.status == 0, "needs Graphviz's dot (scripts/install-deps.sh installs it)"),
        arguments: cases.filter { $0.format == "dot" })
    func svg(_ golden: Case) throws {
        let result = try CLIRunner.run(["diagram", "--format", "svg", "--topology", golden.topology, "--flows", golden.flows])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<?xml") && result.stdout.contains("<svg") && result.stdout.contains("</svg>"))
        // Every instance of the source is drawn: its first label line is in the picture (where
        // Graphviz writes hyphens as &#45;).
        let text = result.stdout.replacingOccurrences(of: "&#45;", with: "-")
        let dot = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(golden.expected), encoding: .utf8)
        for line in dot.split(separator: "\n") where line.contains("[label=\"instance ") {
            let name = line.split(separator: "\"")[3].split(separator: "\\").first.map(String.init) ?? ""
            #expect(text.contains(name), "\(name)")
        }
    }

    @Test("trace --format mermaid: the seed's S3 flow as a sequence diagram, request then reply, matches the reviewed file")
    func traceSequence() throws {
        let result = try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "alpha5", "--to", "s3", "--format", "mermaid"])
        #expect(result.status == 0, "\(result.stderr)")
        let url = CLIRunner.packageRoot.appendingPathComponent("Scenarios/seed/expected/trace-alpha5-s3.mmd")
        if ProcessInfo.processInfo.environment["PACKETPATH_UPDATE_GOLDEN"] == "1" {
            try result.stdout.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != result.stdout { Issue.record("trace-alpha5-s3.mmd differs:\n\(try unifiedDiff(expected, result.stdout))") }
    }

    /// `diff -u` of the two texts, for a readable failure.
    func unifiedDiff(_ expected: String, _ actual: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-golden-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = directory.appendingPathComponent("expected")
        let b = directory.appendingPathComponent("actual")
        try expected.write(to: a, atomically: true, encoding: .utf8)
        try actual.write(to: b, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-U5", a.path, b.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
