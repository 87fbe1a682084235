import Foundation
import Testing
import _PacketPathTestSupport

/// The README's tour runs as written: every command of its `sh` blocks, in a scratch folder that
/// sees the repository's files, exits as the README says (0, or `#=> exit N: …`) and prints what
/// its `#=>` comment says.
@Suite("README tour")
struct ReadmeTests {
    struct Command: CustomStringConvertible {
        var line: Int
        var text: String
        var status: Int32
        var expected: String?

        var description: String { "README.md:\(line): \(text)" }
    }

    /// The tour's commands: every line of its `sh` blocks but comments and the release build
    /// (the tests run the binary they built).
    static func commands() throws -> [Command] {
        let readme = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## A five-minute tour") else { return [] }
        var commands: [Command] = []
        var inBlock = false
        for (index, raw) in lines.enumerated().dropFirst(start) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if index > start && line.hasPrefix("## ") { break }
            if line.hasPrefix("```") {
                inBlock = line == "```sh"
                continue
            }
            guard inBlock, !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("swift build") else { continue }
            var text = line
            var expected: String?
            var status: Int32 = 0
            if let mark = line.range(of: "#=>") {
                text = String(line[..<mark.lowerBound]).trimmingCharacters(in: .whitespaces)
                var want = String(line[mark.upperBound...]).trimmingCharacters(in: .whitespaces)
                if want.hasPrefix("exit "), let colon = want.firstIndex(of: ":"), let code = Int32(want.dropFirst(5).prefix(upTo: colon)) {
                    status = code
                    want = String(want[want.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                }
                expected = want
            } else if let comment = line.range(of: "     # ") {
                text = String(line[..<comment.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
            commands.append(Command(line: index + 1, text: text, status: status, expected: expected))
        }
        return commands
    }

    @Test("every command of the README's tour runs on bundled files, with the exit status and output it shows")
    func tour() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 25, "\(commands.count) commands found")
        let folder = try CLIRunner.temporaryFolder("readme")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The commands name the repository's files by relative paths and write their outputs
        // where they run: a scratch folder that links to the repository.
        for entry in ["Scenarios", "Tests", "scripts", "docs"] {
            try FileManager.default.createSymbolicLink(atPath: "\(folder)/\(entry)", withDestinationPath: CLIRunner.packageRoot.appendingPathComponent(entry).path)
        }
        for command in commands {
            let run = try CLIRunner.shell("cd '\(folder)' && B=\"$PP\" && \(command.text)")
            #expect(run.status == command.status, "\(command): exit \(run.status)\n\(run.stderr)")
            if let expected = command.expected {
                #expect((run.stdout + run.stderr).contains(expected), "\(command): no '\(expected)' in\n\(run.stdout.prefix(3000))\(run.stderr)")
            }
        }
        // What the tour says its commands leave behind.
        for file in ["what-if.yaml", "by-verdict/dropped.pcap", "annotated.pcapng", "lab.pcap", "seed.svg", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file) was not written")
        }
    }
}
