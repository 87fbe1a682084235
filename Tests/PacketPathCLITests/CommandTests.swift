import Foundation
import Testing

/// The binary's contract: exit statuses, trace output, files written atomically.
@Suite("packet-path command line")
struct CommandTests {
    @Test("trace on the seed after-scenario names the gateway endpoint route pl- → vpce-")
    func traceS3() throws {
        let result = try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "alpha5", "--to", "s3"])
        #expect(result.status == 0, "\(result.stderr)")
        let route = try #require(result.stdout.split(separator: "\n").first { $0.contains("route-table") })
        #expect(route.contains("route pl-") && route.contains("→ vpce-") && route.contains("(s3-gw)"))
        #expect(result.stdout.contains("verdict: PRIVATE  reason: gateway-endpoint"))
    }

    @Test("trace --format json is one object with the packet contract inside")
    func traceJSON() throws {
        let result = try CLIRunner.run([
            "trace", "--topology", "Scenarios/seed/before.yaml", "--from", "alpha5", "--to", "s3delta", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let packet = try #require(object["packet"] as? [String: Any])
        #expect(packet["verdict"] as? String == "internet")
        #expect(packet["reason"] as? String == "igw-direct")
        let path = try #require(packet["path"] as? [[String: Any]])
        #expect(path.contains { ($0["id"] as? String)?.hasPrefix("igw-") == true })
        #expect((object["dns"] as? String)?.contains("s3delta") == true)
    }

    @Test("the demo comparison shows S3, DynamoDB and Lambda moving from the internet gateway to endpoints")
    func compare() throws {
        let result = try CLIRunner.run([
            "compare", "--before", "Scenarios/seed/before.yaml", "--after", "Scenarios/seed/after.yaml", "--flows",
            "Scenarios/seed/flows.yaml",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 of 5 flows changed"))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for service in ["Lambda lf6c", "S3 bucket s3delta", "DynamoDB table dy_epsilon"] {
            let start = try #require(lines.firstIndex { $0.contains(service) })
            #expect(lines[start + 1].contains("internet") && lines[start + 1].contains("igw-"))
            #expect(lines[start + 3].contains("private") && lines[start + 3].contains("vpce-"))
        }
    }

    @Test("a scenario with ten mistakes: ten diagnostics on stderr, exit 65")
    func tenMistakes() throws {
        let fixture = "Tests/ScenarioFormatTests/Fixtures/ten-mistakes.yaml"
        let result = try CLIRunner.run(["validate", "--topology", fixture])
        #expect(result.status == 65)
        let diagnostics = result.stderr.split(separator: "\n").filter { $0.hasPrefix("\(fixture):") && $0.contains(": error: ") }
        #expect(diagnostics.count == 10, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("exit statuses: 64 usage, 65 bad input, 66 unreadable input")
    func exitStatuses() throws {
        #expect(try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml"]).status == 64)
        #expect(try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "alpha5", "--to", "s3", "--protocol", "xyz"]).status == 64)
        let unknown = try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "alpha6", "--to", "s3"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("'alpha6'"))
        let missing = try CLIRunner.run(["replay", "--topology", "no/such.yaml", "--flows", "Scenarios/seed/flows.yaml"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no/such.yaml"))
    }

    @Test("replay --output writes the file whole, and leaves nothing behind on bad input")
    func atomicOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-cli-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.jsonl").path
        let ok = try CLIRunner.run([
            "replay", "--topology", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--format", "jsonl",
            "--output", output,
        ])
        #expect(ok.status == 0, "\(ok.stderr)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 12)  // 3 + 3 + 3 + 1 + 2 packets: every packet accounted for
        let frames = try lines.map { line -> Int in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["frame", "src", "dst", "protocol", "srcPort", "dstPort", "verdict", "reason", "path"] {
                #expect(object.keys.contains(key), "missing \(key)")
            }
            return try #require(object["frame"] as? Int)
        }
        #expect(frames == Array(1...12))
        let bad = directory.appendingPathComponent("bad.jsonl").path
        let failed = try CLIRunner.run([
            "replay", "--topology", "Tests/ScenarioFormatTests/Fixtures/ten-mistakes.yaml", "--flows", "Scenarios/seed/flows.yaml",
            "--output", bad,
        ])
        #expect(failed.status == 65)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.jsonl"])
    }

    @Test("docs/reasons.md holds the reason table the code prints")
    func reasonsDocumented() throws {
        let result = try CLIRunner.run(["reasons"])
        #expect(result.status == 0)
        let doc = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("docs/reasons.md"), encoding: .utf8)
        #expect(doc.contains(result.stdout), "regenerate the table in docs/reasons.md with `packet-path reasons`")
    }

    static let snapshot = "Tests/EC2SnapshotTests/Fixtures/seed-after"

    @Test("--topology takes an AWS snapshot folder; --ip-ranges labels public destinations")
    func snapshotTopology() throws {
        let result = try CLIRunner.run(["trace", "--topology", Self.snapshot, "--from", "10.0.7.10", "--to", "s3", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let packet = try #require(object["packet"] as? [String: Any])
        #expect(packet["reason"] as? String == "gateway-endpoint")
        let labelled = try CLIRunner.run([
            "trace", "--topology", Self.snapshot, "--ip-ranges", "Tests/EC2SnapshotTests/Fixtures/ip-ranges.json", "--from",
            "10.0.7.10", "--to", "52.95.129.1",
        ])
        #expect(labelled.stdout.contains("S3 eu-west-1"), "\(labelled.stdout)")
    }

    @Test("import writes a scenario that validates and traces the same way")
    func importSnapshot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-import-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("seed-after.yaml").path
        let imported = try CLIRunner.run(["import", Self.snapshot, "--output", output])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try CLIRunner.run(["validate", "--topology", output]).status == 0)
        let fromSnapshot = try CLIRunner.run(["trace", "--topology", Self.snapshot, "--from", "10.0.7.10", "--to", "lambda"])
        let fromScenario = try CLIRunner.run(["trace", "--topology", output, "--from", "10.0.7.10", "--to", "lambda"])
        #expect(fromSnapshot.stdout.contains("reason: interface-endpoint"), "\(fromSnapshot.stdout)")
        #expect(fromScenario.stdout.contains("reason: interface-endpoint"), "\(fromScenario.stdout)")
    }

    @Test("validate and import agree: a snapshot with an interface on an address AWS reserves fails both, naming the file")
    func validateAgreesWithImport() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-refused-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.copyItem(at: CLIRunner.packageRoot.appendingPathComponent(Self.snapshot), to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let interfaces = directory.appendingPathComponent("describe-network-interfaces.json")
        let text = try String(contentsOf: interfaces, encoding: .utf8)
        #expect(text.contains("10.0.7.200"))
        // SN714 is 10.0.7.0/24: .3 is the third address AWS reserves (R13.1).
        try text.replacingOccurrences(of: "10.0.7.200", with: "10.0.7.3").write(to: interfaces, atomically: true, encoding: .utf8)
        let validated = try CLIRunner.run(["validate", "--topology", directory.path])
        let imported = try CLIRunner.run(["import", directory.path])
        for result in [validated, imported] {
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains("describe-network-interfaces.json:") && result.stderr.contains("10.0.7.3 is one of the five addresses AWS reserves"), "\(result.stderr)")
        }
    }

    @Test("a malformed snapshot file: file, line and column, exit 65")
    func malformedSnapshot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-bad-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{\"Vpcs\": [}".write(to: directory.appendingPathComponent("describe-vpcs.json"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["trace", "--topology", directory.path, "--from", "10.0.0.1", "--to", "s3"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("describe-vpcs.json:1:11: error: malformed JSON"), "\(result.stderr)")
    }

    @Test("trace from an internet address: inbound through the internet gateway (R7.2, R7.4, R11.4)")
    func traceInbound() throws {
        let allowed = try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "203.0.113.9", "--to", "54.214.206.203", "--port", "22"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("verdict: INTERNET  reason: igw-inbound"))
        #expect(allowed.stdout.contains("translates public 54.214.206.203 to 10.0.7.10"))
        let refused = try CLIRunner.run(["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "198.51.100.7", "--to", "alpha5", "--port", "22"])
        #expect(refused.stdout.contains("reason: sg-ingress"))
        let lambda = try CLIRunner.run(["trace", "--topology", "Scenarios/lambda-in-vpc/scenario.yaml", "--from", "198.51.100.7", "--to", "10.0.7.20", "--port", "443"])
        #expect(lambda.stdout.contains("reason: igw-not-public-target"), "\(lambda.stdout)")
    }
}
