import Foundation
import Testing
import _PacketPathTestSupport

/// `replay` given VPC Flow Logs, end to end.
@Suite("replay of flow logs")
struct FlowLogCommandTests {
    static let before = "Tests/EC2SnapshotTests/Fixtures/seed-before"
    static let after = "Tests/EC2SnapshotTests/Fixtures/seed-after"
    static let plainLog = "Tests/FlowLogsTests/Fixtures/seed-before.default.cloudwatch.log"
    static let s3Log = "Tests/FlowLogsTests/Fixtures/seed-after.s3.log.gz"

    @Test("a folder in the S3 layout is read by content (gzip, header line): every record agrees, and the summary says so")
    func folder() throws {
        let folder = try CLIRunner.temporaryFolder("flow-log-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let day = folder + "/AWSLogs/123456789012/vpcflowlogs/us-east-1/2025/06/02"
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLIRunner.packageRoot.appendingPathComponent(Self.s3Log).path, toPath: day + "/a.log.gz")
        let result = try CLIRunner.run(["replay", folder, "--topology", Self.after, "--format", "summary"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("25 flow log records: 23 agree with the model, 0 disagree, 0 not compared, 2 without traffic"), "\(result.stdout)")
        #expect(result.stdout.contains("observed action × model verdict (records):\n             private  internet   dropped\n  ACCEPT           8         8         4\n  REJECT           0         0         3"), "\(result.stdout)")
        #expect(result.stdout.contains("  gateway endpoint (7)                     → gateway endpoint"))
        let stale = try CLIRunner.run(["replay", folder, "--topology", Self.before, "--format", "summary"])
        #expect(stale.stdout.contains("      drift: the log saw the traffic leave by gateway endpoint (7), the snapshot routes it by internet gateway"), "\(stale.stdout)")
        let csv = try CLIRunner.run(["replay", folder, "--topology", Self.after, "--format", "csv"])
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(csv.status == 0 && rows.count == 26 && rows.allSatisfy { $0.count == 14 }, "\(csv.stdout.prefix(400))")
        #expect(rows[0].joined(separator: ",") == "file,record,src,dst,protocol,srcPort,dstPort,interface,verdict,reason,resource,observedAction,observedPath,agree")
        #expect(rows[1].suffix(6).joined(separator: ",") == "private,gateway-endpoint,vpce-1b40d4f56ef40e45f,ACCEPT,7,true")
    }

    @Test("a malformed line names file, line and field, exit 65; every other record is still reported")
    func malformedLine() throws {
        let folder = try CLIRunner.temporaryFolder("flow-log-bad")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.plainLog), encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: " 443 ", with: " 99999 ")
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/log.txt", atomically: false, encoding: .utf8)
        let result = try CLIRunner.run(["replay", folder + "/log.txt", "--topology", Self.before, "--format", "jsonl"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("log.txt:3: error: field 7 (dstport): '99999' is not a port (0 to 65535)"), "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 16, "the other sixteen records")
    }

    @Test("--input flow-log and --log-format; a custom format without --log-format says how to give it")
    func formats() throws {
        let folder = try CLIRunner.temporaryFolder("flow-log-format")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The S3 file's records without their header line: a CloudWatch export of a custom format.
        let text = try CLIRunner.shell("gzip -dc '\(Self.s3Log)'").stdout
        let header = String(text.prefix { $0 != "\n" })
        try String(text.drop { $0 != "\n" }.dropFirst()).write(toFile: folder + "/records", atomically: false, encoding: .utf8)
        let format = header.split(separator: " ").map { "${\($0)}" }.joined(separator: " ")
        let given = try CLIRunner.run(["replay", folder + "/records", "--input", "flow-log", "--log-format", format, "--topology", Self.after, "--format", "summary"])
        #expect(given.status == 0 && given.stdout.contains("23 agree with the model, 0 disagree"), "\(given.stderr)")
        let missing = try CLIRunner.run(["replay", folder + "/records", "--topology", Self.after, "--format", "summary"])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("records:1: error: 20 fields, the format has 14; if the flow log has a custom format, give it with --log-format"), "\(missing.stderr)")
        let bad = try CLIRunner.run(["replay", folder + "/records", "--log-format", "${version} ${nonsense}", "--topology", Self.after])
        #expect(bad.status == 65 && bad.stderr.contains("error: --log-format: '${nonsense}' is not a flow log field (versions 2 to 8)"), "\(bad.stderr)")
    }

    @Test("standard input with --input flow-log, gzip or not; the file column says '-'")
    func standardInput() throws {
        let result = try CLIRunner.run(["replay", "-", "--input", "flow-log", "--topology", Self.after, "--format", "csv"], input: Self.s3Log)
        let rows = result.stdout.split(separator: "\n")
        #expect(result.status == 0 && rows.count == 26)
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("-,") })
    }
}
