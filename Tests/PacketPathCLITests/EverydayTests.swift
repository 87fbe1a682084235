import Foundation
import Testing
import _PacketPathTestSupport

/// What people who live in tcpdump, tshark and the AWS CLI reach for first: capture filters,
/// selected verdicts, compressed captures, standard input.
@Suite("everyday use")
struct EverydayTests {
    static let topology = "Scenarios/seed/after.yaml"
    static let capture = "Tests/CaptureReplayTests/Fixtures/seed-after.eth.pcap"
    static let tools = (try? CLIRunner.shell("command -v tcpdump && command -v zstd && command -v xz"))?.status == 0

    /// The JSONL lines of a replay without their frame numbers (which count the file's frames).
    static func unnumbered(_ jsonl: String) -> [String] {
        jsonl.split(separator: "\n").map { String($0).replacing(/^\{"frame":\d+,/, with: "{") }
    }

    @Test(
        "--filter 'tcp port 443' gives the same frames as tcpdump -r FILE -w - 'tcp port 443' | packet-path replay -, numbered as in the file",
        .enabled(if: tools, "needs tcpdump, zstd and xz (scripts/install-deps.sh installs them)"))
    func filterAgreesWithTcpdump() throws {
        let filtered = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--filter", "tcp port 443", "--format", "jsonl"])
        #expect(filtered.status == 0, "\(filtered.stderr)")
        let piped = try CLIRunner.shell(
            "tcpdump -r \(Self.capture) -w - 'tcp port 443' 2>/dev/null | .build/debug/packet-path replay --topology \(Self.topology) - --format jsonl")
        #expect(piped.status == 0, "\(piped.stderr)")
        let ours = Self.unnumbered(filtered.stdout), theirs = Self.unnumbered(piped.stdout)
        #expect(!ours.isEmpty && ours == theirs)
        #expect(filtered.stdout.hasPrefix("{\"frame\":") && !filtered.stdout.hasPrefix("{\"frame\":1,"), "frames keep the file's numbers")
        let summary = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "-f", "tcp port 443", "--format", "summary"])
        let all = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--format", "summary"])
        let total = Int(all.stdout.split(separator: " ")[1])!, selected = ours.count
        #expect(summary.stdout.contains("\(total - selected) frames not selected by --filter (read and counted, not judged)"), "\(summary.stdout)")
        let bad = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--filter", "tcp prot 443"])
        #expect(bad.status == 64 && bad.stderr.contains("'--filter tcp prot 443': can't parse filter expression: syntax error"), "\(bad.stderr)")
    }

    @Test("--only writes the lines of the verdicts asked for; the summary still counts every frame")
    func only() throws {
        let all = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--format", "csv"])
        let dropped = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--format", "csv", "--only", "dropped", "--only", "internet"])
        let expected = all.stdout.split(separator: "\n").filter { $0.contains(",dropped,") || $0.contains(",internet,") }
        let got = dropped.stdout.split(separator: "\n").dropFirst()
        #expect(!got.isEmpty && Array(got) == expected)
        let text = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--only", "private"])
        let parts = text.stdout.components(separatedBy: "\nsummary: ")
        #expect(parts.count == 2 && parts[0].contains(" private ") && !parts[0].contains(" dropped ") && parts[1].hasPrefix("82 packets"), "\(text.stdout)")
        #expect(try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--only", "private", "--format", "summary"]).status == 64)
    }

    @Test(
        "gzip, zstd and xz captures, from a path or standard input, replay as the plain file does; a truncated one replays its complete frames and exits 65",
        .enabled(if: tools, "needs tcpdump, zstd and xz (scripts/install-deps.sh installs them)"))
    func compressedCaptures() throws {
        let folder = try CLIRunner.temporaryFolder("compressed")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plain = try CLIRunner.run(["replay", "--topology", Self.topology, Self.capture, "--format", "jsonl"])
        for (tool, suffix) in [("gzip", "gz"), ("zstd", "zst"), ("xz", "xz")] {
            let path = "\(folder)/capture.pcap.\(suffix)"
            #expect(try CLIRunner.shell("\(tool) -c \(Self.capture) > \(path)").status == 0)
            let fromPath = try CLIRunner.run(["replay", "--topology", Self.topology, path, "--format", "jsonl"])
            #expect(fromPath.status == 0 && fromPath.stdout == plain.stdout, "\(tool): \(fromPath.stderr)")
            let fromStdin = try CLIRunner.shell(".build/debug/packet-path replay --topology \(Self.topology) - --format jsonl < \(path)")
            #expect(fromStdin.status == 0 && fromStdin.stdout == plain.stdout, "\(tool) on standard input: \(fromStdin.stderr)")
        }
        #expect(try CLIRunner.shell("gzip -c \(Self.capture) | head -c 3000 > \(folder)/cut.pcap.gz").status == 0)
        let cut = try CLIRunner.run(["replay", "--topology", Self.topology, folder + "/cut.pcap.gz", "--format", "jsonl"])
        #expect(cut.status == 65 && cut.stderr.contains("cut.pcap.gz after frame") && cut.stderr.contains("gzip data: byte 3000: the gzip data ends inside a member"), "\(cut.stderr)")
        let lines = cut.stdout.split(separator: "\n")
        #expect(!lines.isEmpty && Array(lines) == Array(plain.stdout.split(separator: "\n").prefix(lines.count)))
    }

    @Test("standard input reads what a path does: a mixed-link pcapng, and gzip flow logs without --input")
    func standardInputFormats() throws {
        let mixed = "Tests/CaptureReplayTests/Fixtures/seed-after.multi-interface.pcapng"
        let fromPath = try CLIRunner.run(["replay", "--topology", Self.topology, mixed, "--format", "jsonl"])
        let fromStdin = try CLIRunner.run(["replay", "--topology", Self.topology, "-", "--format", "jsonl"], input: mixed)
        #expect(fromPath.status == 0 && fromStdin.status == 0 && fromStdin.stdout == fromPath.stdout, "\(fromStdin.stderr)")
        let log = "Tests/FlowLogsTests/Fixtures/seed-after.s3.log.gz"
        let logPath = try CLIRunner.run(["replay", "--topology", Self.topology, log, "--format", "summary"])
        let logStdin = try CLIRunner.run(["replay", "--topology", Self.topology, "-", "--format", "summary"], input: log)
        #expect(logStdin.status == 0 && logStdin.stdout == logPath.stdout, "\(logStdin.stderr)")
    }
}
