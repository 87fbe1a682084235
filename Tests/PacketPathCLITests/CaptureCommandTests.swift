import Foundation
import Testing

/// `packet-path replay CAPTURE…` end to end, and what tshark makes of its output files.
@Suite("Capture replay command")
struct CaptureCommandTests {
    static let snapshot = "Tests/EC2SnapshotTests/Fixtures/seed-after"
    static let capture = "Tests/CaptureReplayTests/Fixtures/seed-after.eth.pcap"

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static var tshark: String? {
        ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs tshark with `arguments` and returns its standard output.
    static func runTshark(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(tshark))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("every frame once, in order, as JSONL; the summary counts frames and bytes")
    func jsonl() throws {
        let result = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot, "--format", "jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["frame"] as? Int } == (1...82).map { $0 })
        #expect(objects.allSatisfy { $0["length"] is Int && $0["time"] is String && $0["verdict"] is String })
        let text = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot])
        #expect(text.stdout.contains("summary: 82 packets, 10718 bytes"))
        #expect(text.stdout.contains("top conversations:"))
    }

    @Test("standard input: '-'")
    func standardInput() throws {
        let result = try CLIRunner.run(["replay", "-", "--topology", Self.snapshot, "--format", "csv"], input: Self.capture)
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 1 + 82)
    }

    @Test("--split writes one capture per verdict that tshark reads; the counts add up to the input")
    func split() throws {
        let directory = try Self.temporaryDirectory("split")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot, "--format", "csv", "--split", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files == ["dropped.pcap", "internet.pcap", "private.pcap"])
        guard Self.tshark != nil else {
            print("note: tshark is not installed; split files checked by our own reader only")
            return
        }
        var total = 0
        for verdict in ["private", "internet", "dropped"] {
            let frames = try Self.runTshark(["-r", directory.appendingPathComponent("\(verdict).pcap").path]).split(separator: "\n").count
            #expect(frames == rows.filter { $0.contains(",\(verdict),") }.count, "\(verdict)")
            total += frames
        }
        #expect(total == 82)
    }

    @Test("--annotate writes a pcapng whose frame comments Wireshark filters on")
    func annotate() throws {
        let directory = try Self.temporaryDirectory("annotate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("annotated.pcapng").path
        let result = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot, "--format", "csv", "--annotate", output])
        #expect(result.status == 0, "\(result.stderr)")
        let dropped = result.stdout.split(separator: "\n").filter { $0.contains(",dropped,") }.count
        guard Self.tshark != nil else {
            print("note: tshark is not installed; the annotated capture is checked by replaying it")
            let again = try CLIRunner.run(["replay", output, "--topology", Self.snapshot, "--format", "csv"])
            #expect(again.stdout.split(separator: "\n").count == 83)
            return
        }
        #expect(try Self.runTshark(["-r", output]).split(separator: "\n").count == 82)
        let filtered = try Self.runTshark(["-r", output, "-Y", "frame.comment contains \"dropped\""]).split(separator: "\n").count
        #expect(filtered == dropped && dropped > 0)
        let comment = try Self.runTshark(["-r", output, "-c", "1", "-T", "fields", "-e", "frame.comment"])
        #expect(comment.hasPrefix("packet-path: "))
    }

    @Test("a capture damaged mid-way: complete frames reported, the error names file and offset, exit 65")
    func damaged() throws {
        let file = "Tests/CaptureReplayTests/Fixtures/truncated-record-data.pcap"
        let result = try CLIRunner.run(["replay", file, "--topology", Self.snapshot, "--format", "jsonl"])
        #expect(result.status == 65)
        #expect(result.stdout.split(separator: "\n").count == 7)
        #expect(result.stderr.contains("\(file) at byte "), "\(result.stderr)")
        let empty = try CLIRunner.run(["replay", "Tests/CaptureReplayTests/Fixtures/zero-length.pcap", "--topology", Self.snapshot])
        #expect(empty.status == 65)
        #expect(empty.stderr.contains("zero-length.pcap at byte 0: error:"))
    }

    @Test("captures and --flows are exclusive; one of them is needed")
    func usage() throws {
        #expect(try CLIRunner.run(["replay", "--topology", Self.snapshot]).status == 64)
        #expect(try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot, "--flows", "Scenarios/seed/flows.yaml"]).status == 64)
    }

    @Test("--format summary prints the counts alone, the same counts as the text output")
    func summaryOnly() throws {
        let summary = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot, "--format", "summary"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.hasPrefix("summary: 82 packets, 10718 bytes"))
        let text = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot])
        #expect(text.stdout.hasSuffix(summary.stdout))
    }

    @Test("--jobs: the same output, frame for frame, on one core or several", arguments: ["jsonl", "text", "csv", "summary"])
    func jobs(_ format: String) throws {
        for capture in [Self.capture, "Tests/CaptureReplayTests/Fixtures/seed-after.vxlan-mirror.pcap"] {
            let one = try CLIRunner.run(["replay", capture, "--topology", Self.snapshot, "--format", format, "--jobs", "1"])
            for jobs in ["2", "3"] {
                let several = try CLIRunner.run(["replay", capture, "--topology", Self.snapshot, "--format", format, "--jobs", jobs])
                #expect(one.status == 0 && several.status == 0)
                #expect(one.stdout == several.stdout, "\(capture) \(format) --jobs \(jobs)")
            }
        }
        let damaged = "Tests/CaptureReplayTests/Fixtures/truncated-record-data.pcap"
        let parallel = try CLIRunner.run(["replay", damaged, "--topology", Self.snapshot, "--format", format, "--jobs", "2"])
        #expect(parallel.status == 65)
        let sequential = try CLIRunner.run(["replay", damaged, "--topology", Self.snapshot, "--format", format, "--jobs", "1"])
        #expect(parallel.stdout == sequential.stdout)
    }

    @Test("--jobs over several batches and workers: a generated capture of 40,000 frames, byte-identical output")
    func jobsManyBatches() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-jobs-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var flows = "version: 1\nflows:\n"
        for (index, target) in ["s3delta", "dy_epsilon", "lf6c", "151.101.0.1", "10.0.7.99"].enumerated() {
            for port in 0..<8 { flows += "  - {from: alpha5, to: \(target), packets: 480, source-port: \(41000 + index * 10 + port)}\n" }
        }
        let flowFile = folder.appendingPathComponent("flows.yaml").path
        try flows.write(toFile: flowFile, atomically: true, encoding: .utf8)
        let capture = folder.appendingPathComponent("many.pcap").path
        let generated = try CLIRunner.run(["generate", "--topology", "Scenarios/seed/after.yaml", "--flows", flowFile, "--output", capture])
        #expect(generated.status == 0, "\(generated.stderr)")
        for format in ["csv", "summary"] {
            let one = try CLIRunner.run(["replay", capture, "--topology", "Scenarios/seed/after.yaml", "--format", format, "--jobs", "1"])
            #expect(one.status == 0)
            #expect(one.stdout.split(separator: "\n").count > (format == "csv" ? 30_000 : 5))
            // Four workers where --jobs allows five (4 per core: a one-core machine stops at 4).
            for jobs in ["2", "3", String(min(5, ProcessInfo.processInfo.activeProcessorCount * 4))] {
                let several = try CLIRunner.run(["replay", capture, "--topology", "Scenarios/seed/after.yaml", "--format", format, "--jobs", jobs])
                #expect(several.status == 0 && several.stdout == one.stdout, "\(format) --jobs \(jobs)")
            }
        }
        // --split and --annotate write the same files whatever the number of jobs (one replay driver).
        var written: [[String: Data]] = []
        for jobs in ["1", "3"] {
            let out = folder.appendingPathComponent("out-\(jobs)")
            let run = try CLIRunner.run([
                "replay", capture, "--topology", "Scenarios/seed/after.yaml", "--format", "summary", "--jobs", jobs,
                "--split", out.path, "--annotate", out.appendingPathComponent("annotated.pcapng").path,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            #expect(names == ["annotated.pcapng", "dropped.pcap", "internet.pcap", "private.pcap"])
            written.append(Dictionary(uniqueKeysWithValues: try names.map { ($0, try Data(contentsOf: out.appendingPathComponent($0))) }))
        }
        #expect(written[0] == written[1] && (written[0]["annotated.pcapng"]?.count ?? 0) > 100_000)
    }

    @Test("several captures: frame numbers restart per file, and the capture is named (CSV column, JSONL key)")
    func severalCaptures() throws {
        let second = "Tests/CaptureReplayTests/Fixtures/seed-after.sll2.pcapng"
        for jobs in ["1", "2"] {
            let csv = try CLIRunner.run(["replay", Self.capture, second, "--topology", Self.snapshot, "--format", "csv", "--jobs", jobs])
            let rows = csv.stdout.split(separator: "\n")
            #expect(rows.first?.hasSuffix(",flow,capture") == true)
            #expect(rows.filter { $0.hasPrefix("1,") }.count == 2)
            #expect(rows.dropFirst().allSatisfy { $0.hasSuffix(Self.capture) || $0.hasSuffix(second) })
            let jsonl = try CLIRunner.run(["replay", Self.capture, second, "--topology", Self.snapshot, "--format", "jsonl", "--jobs", jobs])
            #expect(jsonl.stdout.split(separator: "\n").allSatisfy { $0.contains("\"capture\":") })
        }
    }
}
