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
            "tcpdump -r \(Self.capture) -w - 'tcp port 443' 2>/dev/null | \(CLIRunner.binary.path) replay --topology \(Self.topology) - --format jsonl")
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
            let fromStdin = try CLIRunner.shell("\(CLIRunner.binary.path) replay --topology \(Self.topology) - --format jsonl < \(path)")
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

/// The summary document's accounting and conversations (tshark's `-z conv`, tcpreplay's totals).
@Suite("summary document conversations")
struct SummaryConversationTests {
    static func document(_ arguments: [String]) throws -> [String: Any] {
        let run = try CLIRunner.run(["replay", "--topology", EverydayTests.topology, EverydayTests.capture, "--format", "summary-json"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test("every frame read is judged or filtered out (unaccounted 0); every conversation both ways, per reason; --top lists the busiest")
    func accounting() throws {
        let all = try Self.document([])
        let total = (all["total"] as? [String: Any])?["records"] as? Int
        #expect(all["read"] as? Int == 82 && total == 82 && all["filtered"] as? Int == 0 && all["unaccounted"] as? Int == 0)
        let conversations = all["conversations"] as? [[String: Any]] ?? []
        #expect(conversations.count == all["conversationCount"] as? Int && all["conversationsTruncated"] as? Bool == false)
        // The conversations add up to every IP record, and each one's reasons to its own count.
        for conversation in conversations {
            let reasons = conversation["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.compactMap { $0["records"] as? Int }.reduce(0, +) == conversation["records"] as? Int)
            #expect((conversation["a"] as? String ?? "") != (conversation["b"] as? String ?? ""))
        }
        let tcp = conversations.first { $0["a"] as? String == "10.0.7.10" && $0["b"] as? String == "10.0.7.200" && $0["protocol"] as? String == "tcp" }
        #expect(tcp?["records"] as? Int == 15, "both directions of alpha5 ↔ the Lambda endpoint: \(String(describing: tcp))")
        let filtered = try Self.document(["--filter", "tcp port 443"])
        let kept = (filtered["total"] as? [String: Any])?["records"] as? Int ?? -1
        #expect(filtered["read"] as? Int == 82 && filtered["filtered"] as? Int == 82 - kept && filtered["unaccounted"] as? Int == 0)
        let top = try Self.document(["--top", "2"])
        #expect((top["conversations"] as? [[String: Any]])?.count == 2 && top["conversationsTruncated"] as? Bool == true)
        #expect((top["conversations"] as? [[String: Any]])?.first?["a"] as? String == conversations.first?["a"] as? String)
    }

    @Test("merge adds conversations up; a document listing only its busiest makes the merge say so")
    func mergeConversations() throws {
        let folder = try CLIRunner.temporaryFolder("conversations")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, extra) in [("all", [String]()), ("top", ["--top", "1"])] {
            let run = try CLIRunner.run(
                ["replay", "--topology", EverydayTests.topology, EverydayTests.capture, "--format", "summary-json", "--output", "\(folder)/\(name).json"] + extra)
            #expect(run.status == 0)
        }
        let twice = try CLIRunner.run(["merge", "\(folder)/all.json", "\(folder)/all.json"])
        let merged = try JSONSerialization.jsonObject(with: Data(twice.stdout.utf8)) as? [String: Any] ?? [:]
        let first = (merged["conversations"] as? [[String: Any]])?.first
        #expect(first?["records"] as? Int == 30 && merged["read"] as? Int == 164 && merged["unaccounted"] as? Int == 0, "\(String(describing: first))")
        let mixed = try CLIRunner.run(["merge", "\(folder)/all.json", "\(folder)/top.json"])
        #expect(mixed.stdout.contains("\"conversationsTruncated\":true"))
    }
}

/// `--annotate` keeps what the capture said; text output cannot drive the terminal.
@Suite("annotations and terminal text")
struct AnnotationAndEscapingTests {
    static let wireshark = (try? CLIRunner.shell("command -v tshark && command -v editcap && command -v capinfos"))?.status == 0

    @Test(
        "--annotate appends to a frame's comments and keeps the section header's options (capture application)",
        .enabled(if: wireshark, "needs tshark, editcap and capinfos (Debian tshark; scripts/install-deps.sh installs it)"))
    func annotateKeeps() throws {
        let folder = try CLIRunner.temporaryFolder("annotate")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = "Tests/CaptureReplayTests/Fixtures/seed-after.sll2.pcapng"
        #expect(try CLIRunner.shell("editcap -a '3:first comment' -a '5:another' \(source) \(folder)/in.pcapng").status == 0)
        let run = try CLIRunner.run(["replay", "--topology", EverydayTests.topology, folder + "/in.pcapng", "--annotate", folder + "/out.pcapng", "--format", "summary"])
        #expect(run.status == 0, "\(run.stderr)")
        let comments = try CLIRunner.shell("tshark -r \(folder)/out.pcapng -T fields -e frame.number -e frame.comment | sed -n 3,5p")
        let lines = comments.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[0].hasPrefix("3\tfirst comment,packet-path: private ") && lines[1].hasPrefix("4\tpacket-path: ") && lines[2].hasPrefix("5\tanother,packet-path: "), "\(lines)")
        let application = try CLIRunner.shell("capinfos \(folder)/in.pcapng \(folder)/out.pcapng | grep 'Capture application'")
        let apps = application.stdout.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 1).last.map(String.init) ?? "" }
        #expect(apps.count == 2 && apps[0] == apps[1] && apps[0].contains("Editcap"), "\(application.stdout)")
    }

    @Test("names with ESC and BEL: text output, traces and messages show them as \\x1b; JSONL keeps them exactly (escaped as JSON)")
    func controlCharacters() throws {
        let folder = try CLIRunner.temporaryFolder("escape")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try CLIRunner.shell("sed 's/^  alpha5:/  \"alpha\\\\e[31m5\":/' Scenarios/seed/after.yaml > \(folder)/evil.yaml").status == 0)
        try "version: 1\nflows:\n  - {name: \"evil\\e]0;title\\a flow\", from: \"alpha\\e[31m5\", to: s3}\n".write(toFile: folder + "/flows.yaml", atomically: true, encoding: .utf8)
        let text = try CLIRunner.run(["replay", "--topology", folder + "/evil.yaml", "--flows", folder + "/flows.yaml"])
        #expect(text.stdout.contains("[evil\\x1b]0;title\\x07 flow]") && !text.stdout.contains("\u{1b}") && !text.stdout.contains("\u{07}"), "\(text.stdout)")
        let jsonl = try CLIRunner.run(["replay", "--topology", folder + "/evil.yaml", "--flows", folder + "/flows.yaml", "--format", "jsonl"])
        #expect(jsonl.stdout.contains("\"flow\":\"evil\\u001b]0;title\\u0007 flow\"") && jsonl.stdout.contains("\"name\":\"alpha\\u001b[31m5/eth0\""))
        let trace = try CLIRunner.run(["trace", "--topology", folder + "/evil.yaml", "--from", "alpha\u{1b}[31m5", "--to", "s3"])
        #expect(trace.stdout.hasPrefix("packet-path trace: alpha\\x1b[31m5 → s3") && !trace.stdout.contains("\u{1b}"), "\(trace.stdout)")
        let unknown = try CLIRunner.run(["trace", "--topology", folder + "/evil.yaml", "--from", "no\u{1b}[2Jbody", "--to", "s3"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no\\x1b[2Jbody") && !unknown.stderr.contains("\u{1b}"), "\(unknown.stderr)")
    }
}

/// Short options, --quiet, compare --ip-ranges.
@Suite("command-line options")
struct OptionTests {
    @Test("tcpdump's -r, -w and -f, and -o, -j, -q give what the long options give")
    func shortOptions() throws {
        let folder = try CLIRunner.temporaryFolder("short")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let long = try CLIRunner.run([
            "replay", "--topology", EverydayTests.topology, EverydayTests.capture, "--jobs", "1", "--filter", "udp", "--annotate", folder + "/long.pcapng",
            "--output", folder + "/long.txt",
        ])
        let short = try CLIRunner.run([
            "replay", "--topology", EverydayTests.topology, "-r", EverydayTests.capture, "-j", "1", "-f", "udp", "-w", folder + "/short.pcapng", "-o",
            folder + "/short.txt", "-q",
        ])
        #expect(long.status == 0 && short.status == 0, "\(short.stderr)")
        let same = try CLIRunner.shell("cmp \(folder)/long.txt \(folder)/short.txt && cmp \(folder)/long.pcapng \(folder)/short.pcapng")
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
    }

    @Test("--quiet leaves out a snapshot's warnings, never its errors")
    func quiet() throws {
        let folder = try CLIRunner.temporaryFolder("quiet")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let snapshot = folder + "/seed-after"
        #expect(try CLIRunner.shell("cp -r Tests/EC2SnapshotTests/Fixtures/seed-after \(snapshot) && sed -i 's/\"GroupId\": \"sg-22e2926328bbc2b65\"/\"GroupId\": \"sg-9f0d74c63dd850617\"/' \(snapshot)/describe-network-interfaces.json").status == 0)
        let loud = try CLIRunner.run(["validate", "--topology", snapshot])
        #expect(loud.stderr.contains("warning:") && loud.stderr.contains("lists security groups"), "\(loud.stderr)")
        let quiet = try CLIRunner.run(["validate", "--topology", snapshot, "--quiet"])
        #expect(quiet.status == loud.status && !quiet.stderr.contains("warning:"), "\(quiet.stderr)")
        #expect(try CLIRunner.shell("echo '{' > \(snapshot)/describe-vpcs.json").status == 0)
        let broken = try CLIRunner.run(["validate", "--topology", snapshot, "-q"])
        #expect(broken.status == 65 && broken.stderr.contains("error:"), "\(broken.stderr)")
    }

    @Test("compare --ip-ranges gives both networks AWS's ranges: a service only ip-ranges.json places (STS) resolves; without it, the error points at --ip-ranges")
    func compareIPRanges() throws {
        let flows = try CLIRunner.temporaryFolder("compare-ranges")
        defer { try? FileManager.default.removeItem(atPath: flows) }
        try "version: 1\nflows:\n  - {name: alpha5 calls STS, from: alpha5, to: sts}\n".write(toFile: flows + "/flows.yaml", atomically: true, encoding: .utf8)
        let arguments = ["compare", "--before", "Scenarios/seed/before.yaml", "--after", "Scenarios/seed/after.yaml", "--flows", flows + "/flows.yaml", "--format", "json"]
        let plain = try CLIRunner.run(arguments)
        #expect(plain.status == 65 && plain.stderr.contains("give AWS's ip-ranges.json with --ip-ranges FILE"), "\(plain.stderr)")
        // An AMAZON range of us-east-1 that no prefix list or service subset claims (R14.3).
        try #"{"syncToken": "1", "createDate": "2026-11-30-00-00-00", "prefixes": [{"ip_prefix": "18.204.0.0/14", "region": "us-east-1", "service": "AMAZON", "network_border_group": "us-east-1"}], "ipv6_prefixes": []}"#
            .write(toFile: flows + "/ip-ranges.json", atomically: true, encoding: .utf8)
        let named = try CLIRunner.run(arguments + ["--ip-ranges", flows + "/ip-ranges.json"])
        #expect(named.status == 0 && named.stdout.contains("\"verdict\":\"internet\""), "\(named.stdout)\(named.stderr)")
        let missing = try CLIRunner.run(arguments + ["--ip-ranges", flows + "/none.json"])
        #expect(missing.status == 66 && missing.stderr.contains("none.json: error: no such file"))
    }
}

/// docs/cli.md lists every option the binary takes.
@Suite("option reference")
struct OptionReferenceTests {
    @Test("the completion scripts docs/cli.md installs are written for bash, zsh and fish, and know the commands", arguments: ["bash", "zsh", "fish"])
    func completion(_ shell: String) throws {
        let script = try CLIRunner.run(["--generate-completion-script", shell])
        #expect(script.status == 0 && script.stdout.contains("replay") && script.stdout.contains("reach") && script.stdout.contains("filter"), "\(script.stderr)")
    }

    @Test("help texts: --jobs states its default once, without this machine's core count")
    func jobsHelp() throws {
        let help = try CLIRunner.run(["replay", "--help"])
        let jobs = help.stdout.components(separatedBy: "-j, --jobs")[1].components(separatedBy: "\n  -")[0]
        #expect(jobs.components(separatedBy: "efault").count == 2 && !jobs.contains("(default: "), "\(jobs)")
    }

    @Test("docs/cli.md's option list is what the binary describes (scripts/cli-reference.py --check)")
    func referenceIsCurrent() throws {
        let check = try CLIRunner.shell("python3 scripts/cli-reference.py \(CLIRunner.binary.path) --check")
        #expect(check.status == 0, "\(check.stderr)")
    }
}

/// `-` is standard output for every output option, and flow logs compressed any way are read.
@Suite("standard output and compressed logs")
struct StandardOutputTests {
    @Test("generate --output - writes the capture to standard output (no file named '-'); replay reads it back from standard input")
    func generateToStandardOutput() throws {
        let folder = try CLIRunner.temporaryFolder("dash")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let piped = try CLIRunner.shell(
            "cd \(folder) && $PP generate --topology \(CLIRunner.packageRoot.path)/Scenarios/seed/after.yaml --flows \(CLIRunner.packageRoot.path)/Scenarios/seed/flows.yaml --output - | $PP replay --topology \(CLIRunner.packageRoot.path)/Scenarios/seed/after.yaml - --format summary")
        #expect(piped.status == 0 && piped.stdout.hasPrefix("summary: 48 packets"), "\(piped.stdout)\(piped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/-"))
        for (arguments, option) in [
            (["replay", "--topology", EverydayTests.topology, EverydayTests.capture, "--summary-output", "-"], "--output and --summary-output"),
            (["replay", "--topology", EverydayTests.topology, EverydayTests.capture, "--annotate", "-"], "--output and --annotate"),
        ] {
            let both = try CLIRunner.run(arguments)
            #expect(both.status == 64 && both.stderr.contains("\(option) would both write to standard output"), "\(both.stderr)")
        }
        let junit = try CLIRunner.run(["check", "--topology", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/expect-private.yaml", "--junit", "-"])
        #expect(junit.stdout.hasPrefix("<?xml") && junit.stderr.contains("4 of 4 expectations met"), "\(junit.stdout)")
    }

    @Test(
        "flow logs compressed with zstd or xz replay as the gzip file does",
        .enabled(if: EverydayTests.tools, "needs zstd and xz (scripts/install-deps.sh installs them)"))
    func compressedLogs() throws {
        let folder = try CLIRunner.temporaryFolder("logs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = "Tests/FlowLogsTests/Fixtures/seed-after.s3.log.gz"
        let gzip = try CLIRunner.run(["replay", "--topology", EverydayTests.topology, log, "--format", "jsonl"])
        for (tool, suffix) in [("zstd", "zst"), ("xz", "xz")] {
            #expect(try CLIRunner.shell("gzip -dc \(log) | \(tool) -c > \(folder)/log.\(suffix)").status == 0)
            let other = try CLIRunner.run(["replay", "--topology", EverydayTests.topology, "\(folder)/log.\(suffix)", "--format", "jsonl"])
            // The same records, judged the same; only the file name in each record differs.
            #expect(other.status == 0 && other.stdout.replacingOccurrences(of: "\(folder)/log.\(suffix)", with: log) == gzip.stdout, "\(tool): \(other.stderr)")
        }
    }
}
