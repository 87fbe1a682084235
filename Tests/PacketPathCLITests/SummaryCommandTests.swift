import Foundation
import Testing
import _PacketPathTestSupport

/// `replay --format summary-json`, `merge`, `recommend`, and the Spark job that runs them at scale.
@Suite("summary documents, merge, recommend and the Spark job")
struct SummaryCommandTests {
    static let before = FlowLogCommandTests.before
    static let plainLog = FlowLogCommandTests.plainLog
    static let s3Log = FlowLogCommandTests.s3Log

    /// Three flow log files over one snapshot: the plain log split in two, and the S3 file.
    static func threeLogs(_ folder: String) throws -> [String] {
        let lines = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent(plainLog), encoding: .utf8).split(separator: "\n")
        try (lines.prefix(8).joined(separator: "\n") + "\n").write(toFile: folder + "/a.log", atomically: false, encoding: .utf8)
        try (lines.dropFirst(8).joined(separator: "\n") + "\n").write(toFile: folder + "/b.log", atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(atPath: CLIRunner.packageRoot.appendingPathComponent(s3Log).path, toPath: folder + "/c.log.gz")
        return [folder + "/a.log", folder + "/b.log", folder + "/c.log.gz"]
    }

    static func summary(_ inputs: [String]) throws -> String {
        let result = try CLIRunner.run(["replay", "--topology", before, "--format", "summary-json"] + inputs)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test("merge is associative and commutative: any grouping of the parts' summaries equals one run over every file")
    func mergeEqualsOneRun() throws {
        let folder = try CLIRunner.temporaryFolder("summary-merge")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = try Self.threeLogs(folder)
        let whole = try Self.summary(logs)
        #expect(whole.contains("\"flowLogs\":{\"records\":42,\"withoutTraffic\":4,\"agree\":33,\"disagree\":5,"), "\(whole)")
        for (index, log) in logs.enumerated() { try Self.summary([log]).write(toFile: "\(folder)/\(index).json", atomically: false, encoding: .utf8) }
        let flat = try CLIRunner.run(["merge", "\(folder)/0.json", "\(folder)/1.json", "\(folder)/2.json"])
        #expect(flat.status == 0 && flat.stdout == whole, "\(flat.stderr)\n\(flat.stdout)")
        let ab = try CLIRunner.run(["merge", "\(folder)/0.json", "\(folder)/1.json", "--output", "\(folder)/ab.json"])
        #expect(ab.status == 0)
        let cb = try CLIRunner.run(["merge", "\(folder)/2.json", "\(folder)/1.json", "--output", "\(folder)/cb.json"])
        #expect(cb.status == 0)
        #expect(try CLIRunner.run(["merge", "\(folder)/ab.json", "\(folder)/2.json"]).stdout == whole, "(A+B)+C")
        #expect(try CLIRunner.run(["merge", "\(folder)/cb.json", "\(folder)/0.json"]).stdout == whole, "(C+B)+A")
        // A summary document merged with nothing is itself.
        #expect(try CLIRunner.run(["merge", "\(folder)/ab.json"]).stdout == (try String(contentsOfFile: "\(folder)/ab.json", encoding: .utf8)))
    }

    @Test("standard input that cannot be read (a folder) is exit 66 for flow logs and summaries, not a trap")
    func unreadableStandardInput() throws {
        let folder = try CLIRunner.temporaryFolder("stdin-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for command in ["replay --topology '\(Self.before)' --input flow-log -", "merge -"] {
            let result = try CLIRunner.shell("'\(CLIRunner.binary.path)' \(command) < '\(folder)'")
            #expect(result.status == 66 && result.stderr.contains("-: error: cannot read"), "\(command): \(result.status) \(result.stderr.prefix(300))")
        }
    }

    @Test("merge names a file that is not a summary document, exit 65")
    func mergeRefusesOtherFiles() throws {
        let result = try CLIRunner.run(["merge", Self.plainLog])
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(Self.plainLog): error: "), "\(result.stderr)")
        let missing = try CLIRunner.run(["merge", "/nonexistent/summary.json"])
        #expect(missing.status == 66 && missing.stderr.contains("/nonexistent/summary.json: error: cannot read"))
    }

    @Test("recommend on the seed's before scenario with its flow log names the S3 and DynamoDB gateway endpoints and the Lambda interface endpoint, with costs")
    func recommendSeed() throws {
        let result = try CLIRunner.run(["recommend", "--topology", "Scenarios/seed/before.yaml", Self.plainLog])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("S3 us-east-1 gateway endpoint (com.amazonaws.us-east-1.s3) in vpc-"), "\(text)")
        #expect(text.contains("DynamoDB us-east-1 gateway endpoint (com.amazonaws.us-east-1.dynamodb) in vpc-"))
        #expect(text.contains("Lambda us-east-1 interface endpoint (com.amazonaws.us-east-1.lambda) in vpc-"))
        #expect(text.contains("costs: $7.30 a month (1 zone × $0.01 an hour × 730 h)"), "one zone at the published hourly price")
        #expect(text.contains("keeps private: 2 records, 9 packets, 1039 bytes"), "the S3 request and its reply")
        // From a summary document, the same answer; with --pricing, the user's prices.
        let folder = try CLIRunner.temporaryFolder("recommend")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let document = try CLIRunner.run(["replay", "--topology", "Scenarios/seed/before.yaml", "--format", "summary-json", Self.plainLog])
        try document.stdout.write(toFile: folder + "/s.json", atomically: false, encoding: .utf8)
        #expect(try CLIRunner.run(["recommend", "--topology", "Scenarios/seed/before.yaml", folder + "/s.json"]).stdout == text)
        try #"{"interfaceEndpointPerZoneHour": 0.02}"#.write(toFile: folder + "/p.json", atomically: false, encoding: .utf8)
        let priced = try CLIRunner.run(["recommend", "--topology", "Scenarios/seed/before.yaml", "--pricing", folder + "/p.json", "--format", "json", Self.plainLog])
        #expect(priced.status == 0 && priced.stdout.contains("\"monthlyFixedCost\":14.6"), "\(priced.stdout)")
        // A folder of logs (the S3 layout) is read as replay reads it, not taken for a summary.
        try FileManager.default.createDirectory(atPath: folder + "/logs/AWSLogs", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLIRunner.packageRoot.appendingPathComponent(Self.plainLog).path, toPath: folder + "/logs/AWSLogs/a.log")
        let fromFolder = try CLIRunner.run(["recommend", "--topology", "Scenarios/seed/before.yaml", folder + "/logs"])
        #expect(fromFolder.status == 0 && fromFolder.stdout == text, "\(fromFolder.stderr)")
        try #"{"natGatewayPerGB": "cheap"}"#.write(toFile: folder + "/bad.json", atomically: false, encoding: .utf8)
        let bad = try CLIRunner.run(["recommend", "--topology", "Scenarios/seed/before.yaml", "--pricing", folder + "/bad.json", Self.plainLog])
        #expect(bad.status == 65 && bad.stderr.contains("bad.json: error: \"natGatewayPerGB\" must be a number of at least 0"), "\(bad.stderr)")
    }

    /// Where `spark-submit` is: `.build/python/bin` (install-deps), else PATH.
    static let sparkPath: String = {
        let venv = CLIRunner.packageRoot.appendingPathComponent(".build/python/bin").path
        return "\(venv):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"
    }()
    static let hasSpark = (try? CLIRunner.shell("PATH='\(sparkPath)'; command -v spark-submit >/dev/null && command -v java >/dev/null && python3 -c 'import pyarrow'"))?.status == 0
        && CollectorTests.unsanitized

    @Test(
        "the Spark job (local mode, 2 executors) gives the summary of one run, and every record as Parquet",
        .enabled(if: hasSpark, "needs spark-submit (PySpark), pyarrow and Java: scripts/install-deps.sh installs them; not under the sanitizers"))
    func sparkJob() throws {
        let folder = try CLIRunner.temporaryFolder("spark")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The corpus's flow logs where it exists (CI), else the committed fixtures.
        let corpus = CLIRunner.packageRoot.appendingPathComponent("../shared/corpus/flowlogs").standardized.path
        let (topology, inputs): (String, [String])
        if FileManager.default.fileExists(atPath: corpus + "/s3/multi-tier") {
            topology = CLIRunner.packageRoot.appendingPathComponent("../shared/corpus/snapshots/multi-tier").standardized.path
            inputs = [corpus + "/s3/multi-tier", corpus + "/multi-tier.custom-v5.cloudwatch.log"]
        } else {
            topology = CLIRunner.packageRoot.appendingPathComponent(Self.before).path
            inputs = try Self.threeLogs(folder)
        }
        let multiTier = "${version} ${account-id} ${vpc-id} ${subnet-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction} ${traffic-path}"
        // The S3 files carry their format in their first line; the CloudWatch export is given it
        // (the fixtures' plain logs have the default format).
        let logFormat = inputs.count == 2 ? multiTier : "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
        let quoted = inputs.map { "'\($0)'" }.joined(separator: " ")
        let job = try CLIRunner.shell(
            """
            export PATH='\(Self.sparkPath)'
            spark-submit --master 'local[2]' scripts/spark/packet_path_job.py --binary '\(CLIRunner.binary.path)' --topology '\(topology)' \
                --log-format '\(logFormat)' --partitions 2 --output '\(folder)/out' \(quoted) 2>'\(folder)/spark.log'
            """)
        #expect(job.status == 0, "\((try? String(contentsOfFile: folder + "/spark.log", encoding: .utf8))?.suffix(3000) ?? "")")
        let single = try CLIRunner.run(["replay", "--topology", topology, "--format", "summary-json", "--log-format", logFormat] + inputs)
        #expect(single.status == 0, "\(single.stderr)")
        let merged = try String(contentsOfFile: folder + "/out/summary.json", encoding: .utf8)
        #expect(merged == single.stdout, "the Spark job's merged summary is the single run's")
        let rows = try CLIRunner.shell("PATH='\(Self.sparkPath)'; python3 -c \"import pyarrow.parquet as pq; t = pq.read_table('\(folder)/out/records'); print(t.num_rows, sorted(set(t.column('agree').to_pylist()), key=str))\"")
        let total = single.stdout.split(separator: "\n").first { $0.contains("\"total\"") }.map(String.init) ?? ""
        #expect(rows.status == 0 && total.contains("\"records\":\(rows.stdout.split(separator: " ").first ?? "?"),"), "\(rows.stdout) \(rows.stderr) vs \(total)")
    }

    @Test(
        "the Spark job takes flow logs and captures together: flow-log and capture records apart, the summary that of the two replays merged",
        .enabled(if: hasSpark, "needs spark-submit (PySpark), pyarrow and Java: scripts/install-deps.sh installs them; not under the sanitizers"))
    func sparkJobCaptures() throws {
        let folder = try CLIRunner.temporaryFolder("spark-captures")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let topology = CLIRunner.packageRoot.appendingPathComponent("Tests/EC2SnapshotTests/Fixtures/seed-after").path
        let log = CLIRunner.packageRoot.appendingPathComponent(Self.s3Log).path
        let captures = ["seed-after.eth.pcap", "seed-after.sll2.pcapng"].map { CLIRunner.packageRoot.appendingPathComponent("Tests/CaptureReplayTests/Fixtures/\($0)").path }
        let job = try CLIRunner.shell(
            """
            export PATH='\(Self.sparkPath)'
            spark-submit --master 'local[2]' scripts/spark/packet_path_job.py --binary '\(CLIRunner.binary.path)' --topology '\(topology)' \
                --partitions 2 --output '\(folder)/out' '\(log)' '\(captures[0])' '\(captures[1])' 2>'\(folder)/spark.log'
            """)
        #expect(job.status == 0, "\((try? String(contentsOfFile: folder + "/spark.log", encoding: .utf8))?.suffix(3000) ?? "")")
        let logs = try CLIRunner.run(["replay", "--topology", topology, "--format", "summary-json", "--output", folder + "/logs.json", log])
        let frames = try CLIRunner.run(["replay", "--topology", topology, "--format", "summary-json", "--output", folder + "/frames.json"] + captures)
        #expect(logs.status == 0 && frames.status == 0, "\(logs.stderr)\(frames.stderr)")
        let merged = try CLIRunner.run(["merge", folder + "/logs.json", folder + "/frames.json"])
        #expect(try String(contentsOfFile: folder + "/out/summary.json", encoding: .utf8) == merged.stdout)
        let rows = try CLIRunner.shell(
            "PATH='\(Self.sparkPath)'; python3 -c \"import pyarrow.parquet as pq; print(pq.read_table('\(folder)/out/records/flow-log').num_rows, pq.read_table('\(folder)/out/records/capture').num_rows, sorted(set(pq.read_table('\(folder)/out/records/capture').column('capture').to_pylist())))\"")
        let total = try CLIRunner.run(["replay", "--topology", topology, "--format", "csv"] + captures).stdout.split(separator: "\n").count - 1
        #expect(rows.stdout.hasPrefix("25 \(total) "), "\(rows.stdout) \(rows.stderr)")
        #expect(rows.stdout.contains(captures[0]) && rows.stdout.contains(captures[1]), "records name their capture as given")
        // A second run into the same folder is refused, and --overwrite replaces the results.
        let again = try CLIRunner.shell(
            "export PATH='\(Self.sparkPath)'; spark-submit --master 'local[1]' scripts/spark/packet_path_job.py --binary '\(CLIRunner.binary.path)' --topology '\(topology)' --output '\(folder)/out' '\(log)' 2>&1")
        #expect(again.status != 0 && again.stdout.contains("holds an earlier run's results"), "\(again.stdout.suffix(500))")
    }
}

/// `coverage`: hits per rule, entry, route and gateway; never hit; never matching.
@Suite("coverage")
struct CoverageCommandTests {
    static let scenario = "Scenarios/multi-tier/scenario.yaml"
    static let flows = "Scenarios/multi-tier/flows.yaml"

    @Test("multi-tier's flows: the deciding NACL entry and route are counted, shadowed entries and rules are named, and a summary document gives the same")
    func multiTier() throws {
        let result = try CLIRunner.run(["coverage", "--topology", Self.scenario, "--flows", Self.flows])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func line(_ text: String) -> String? { lines.first { $0.contains(text) } }
        // bastion → db1 5432 is denied by db-nacl's rule 50, the one flow that reaches it.
        #expect(line("#0 rule 50 deny tcp 5432 10.20.0.0/24")?.hasPrefix("          1  ") == true, "\(result.stdout)")
        // Rule 110 allows 5432 from the VPC, but rule 100 (tcp 1024-65535 from the VPC) comes first.
        #expect(line("#3 rule 110 allow tcp 5432 10.20.0.0/16")?.hasSuffix("can never match: entry #2 before it covers it") == true)
        #expect(line("#2 egress udp 53 to 10.20.0.2/32")?.hasSuffix("can never match alone: rule #0 of the group is at least as broad") == true)
        #expect(line("route 2400:6500:8cc:6f00::/56 → local")?.hasSuffix("never hit") == true)
        #expect(result.stdout.contains("s3-gw (vpce-0497a2307eadbd41f) (gateway endpoint)"))
        let folder = try CLIRunner.temporaryFolder("coverage")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let document = try CLIRunner.run(["replay", "--topology", Self.scenario, "--flows", Self.flows, "--format", "summary-json"])
        try document.stdout.write(toFile: folder + "/s.json", atomically: false, encoding: .utf8)
        let fromDocument = try CLIRunner.run(["coverage", "--topology", Self.scenario, folder + "/s.json"])
        #expect(fromDocument.stdout == result.stdout)
        let json = try CLIRunner.run(["coverage", "--topology", Self.scenario, "--flows", Self.flows, "--format", "json"])
        #expect(json.status == 0 && json.stdout.contains("{\"kind\":\"network-acl-ingress\",\"resource\":\"acl-09a2c16d009a0bbbd\",\"rule\":3,\"text\":\"rule 110 allow tcp 5432 10.20.0.0/16\",\"records\":0,\"coveredBy\":2}"), "\(json.stdout.prefix(600))")
    }
}

/// Flow log files replayed side by side (`--jobs`).
@Suite("flow log files in parallel")
struct FlowLogJobsTests {
    @Test("--jobs 3 writes what --jobs 1 writes, lines and problems in file order, in every format")
    func sameAsOneJob() throws {
        let folder = try CLIRunner.temporaryFolder("flow-log-jobs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let logs = try SummaryCommandTests.threeLogs(folder)
        // A damaged record in the first and the second file: both reported, in order.
        for log in logs.prefix(2) {
            var text = try String(contentsOfFile: log, encoding: .utf8)
            text = text.replacingOccurrences(of: " 6 5 ", with: " 6 five ")
            try text.write(toFile: log, atomically: false, encoding: .utf8)
        }
        for format in ["text", "jsonl", "csv", "summary-json"] {
            let one = try CLIRunner.run(["replay", "--topology", SummaryCommandTests.before, "--format", format, "--jobs", "1"] + logs)
            let three = try CLIRunner.run(["replay", "--topology", SummaryCommandTests.before, "--format", format, "--jobs", "3"] + logs)
            #expect(one.status == 65 && three.status == 65)
            #expect(one.stdout == three.stdout, "\(format)")
            #expect(one.stderr == three.stderr)
        }
        let problems = try CLIRunner.run(["replay", "--topology", SummaryCommandTests.before, "--format", "summary", "--jobs", "3"] + logs).stderr
            .split(separator: "\n").map { $0.split(separator: ":").first.map(String.init) ?? "" }
        #expect(problems.first == logs[0] && problems.last == logs[1] && problems.contains(logs[1]), "\(problems)")
    }
}
