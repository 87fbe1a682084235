import Foundation
import Testing

/// Issue 10: never lose a user's data, never crash on a failed write (docs/cli.md, "Output files").
@Suite("Output safety")
struct OutputSafetyTests {
    static let scenario = "Scenarios/seed/after.yaml"
    static let flows = "Scenarios/seed/flows.yaml"
    static let snapshot = "Tests/EC2SnapshotTests/Fixtures/seed-after"
    static let capture = "Tests/CaptureReplayTests/Fixtures/seed-after.eth.pcap"

    /// The names in `folder`, sorted: a leftover temporary file shows up here.
    static func names(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test("--output, --annotate and a --split file that name a directory: exit 73, the directory untouched")
    func directoriesAreRefused() throws {
        let folder = try CLIRunner.temporaryFolder("refuse-dir")
        let victim = folder + "/victim"
        try FileManager.default.createDirectory(atPath: victim + "/private.pcap", withIntermediateDirectories: true)
        try "precious".write(toFile: victim + "/data.txt", atomically: false, encoding: .utf8)
        try "also".write(toFile: victim + "/private.pcap/inside", atomically: false, encoding: .utf8)
        let runs = [
            ["replay", "--topology", Self.scenario, "--flows", Self.flows, "--output", victim],
            ["replay", Self.capture, "--topology", Self.snapshot, "--annotate", victim],
            ["replay", Self.capture, "--topology", Self.snapshot, "--split", victim, "--format", "summary"],
            ["generate", "--topology", Self.scenario, "--flows", Self.flows, "--output", victim],
        ]
        for arguments in runs {
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 73, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("is a directory"), "\(result.stderr)")
            #expect(try String(contentsOfFile: victim + "/data.txt", encoding: .utf8) == "precious")
            #expect(try String(contentsOfFile: victim + "/private.pcap/inside", encoding: .utf8) == "also")
            #expect(try Self.names(victim) == ["data.txt", "private.pcap"], "nothing added or removed")
            #expect(try Self.names(folder) == ["victim"], "no temporary file left")
        }
    }

    @Test("a link to /dev/null and a link to /dev/stdout are written through and stay links; a link to a file keeps the link")
    func linksAndDevices() throws {
        let folder = try CLIRunner.temporaryFolder("links")
        try FileManager.default.createSymbolicLink(atPath: folder + "/null", withDestinationPath: "/dev/null")
        try FileManager.default.createSymbolicLink(atPath: folder + "/stdout", withDestinationPath: "/dev/stdout")
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: "report.txt")
        try "old".write(toFile: folder + "/report.txt", atomically: false, encoding: .utf8)
        let base = ["replay", "--topology", Self.scenario, "--flows", Self.flows, "--format", "csv", "--output"]
        let toNull = try CLIRunner.run(base + [folder + "/null"])
        #expect(toNull.status == 0, "\(toNull.stderr)")
        #expect(toNull.stdout.isEmpty)
        let toStdout = try CLIRunner.run(base + [folder + "/stdout"])
        #expect(toStdout.status == 0, "\(toStdout.stderr)")
        #expect(toStdout.stdout.hasPrefix("frame,src,dst,"), "the lines arrive on standard output")
        let toLink = try CLIRunner.run(base + [folder + "/link"])
        #expect(toLink.status == 0, "\(toLink.stderr)")
        for (link, target) in [("null", "/dev/null"), ("stdout", "/dev/stdout"), ("link", "report.txt")] {
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\(link)") == target)
        }
        #expect(try String(contentsOfFile: folder + "/report.txt", encoding: .utf8).hasPrefix("frame,src,dst,"))
        #expect(try Self.names(folder) == ["link", "null", "report.txt", "stdout"])
    }

    @Test("--output /dev/stdout appends where the shell's >> put standard output, instead of replacing the file")
    func standardOutputByName() throws {
        let folder = try CLIRunner.temporaryFolder("append")
        let result = try CLIRunner.shell(
            "echo first > \(folder)/log && \"$PP\" validate --topology \(Self.scenario) >> \(folder)/log && \"$PP\" replay --topology \(Self.scenario) --flows \(Self.flows) --format csv --output /dev/stdout >> \(folder)/log")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: folder + "/log", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "first")
        #expect(lines[1].contains(": ok:"))
        #expect(lines[2].hasPrefix("frame,src,dst,"))
    }

    @Test("a full standard output is exit 74 naming the reason, for every command that prints")
    func fullStandardOutput() throws {
        let commands = [
            "trace --topology \(Self.scenario) --from alpha5 --to s3",
            "validate --topology \(Self.scenario)",
            "replay --topology \(Self.scenario) --flows \(Self.flows)",
            "replay \(Self.capture) --topology \(Self.snapshot) --jobs 2",
            "replay \(Self.capture) --topology \(Self.snapshot) --jobs 1 --format jsonl",
            "compare --before Scenarios/seed/before.yaml --after \(Self.scenario) --flows \(Self.flows)",
            "import \(Self.snapshot)",
            "reasons",
            "generate --topology \(Self.scenario) --flows \(Self.flows) --output -",
        ]
        for command in commands {
            let result = try CLIRunner.shell("\"$PP\" \(command) > /dev/full")
            #expect(result.status == 74, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("standard output: error: cannot write the output: No space left on device"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("crashed"), "\(command)")
        }
    }

    @Test("a closed standard output is exit 74; a closed standard error loses only the messages")
    func closedStreams() throws {
        let closedOut = try CLIRunner.shell("\"$PP\" trace --topology \(Self.scenario) --from alpha5 --to s3 >&-")
        #expect(closedOut.status == 74, "\(closedOut.stderr)")
        #expect(closedOut.stderr.contains("standard output: error: cannot write the output"))
        // A closed standard output never receives another output's bytes: --output's file gets its own descriptor.
        let folder = try CLIRunner.temporaryFolder("closed")
        let split = try CLIRunner.shell("\"$PP\" replay \(Self.capture) --topology \(Self.snapshot) --split \(folder)/s --format summary >&-")
        #expect(split.status == 74)
        #expect(!FileManager.default.fileExists(atPath: folder + "/s/private.pcap"), "no output lands when one fails")
        // The moto-style snapshot warns on standard error; with it closed the run still completes.
        let closedErr = try CLIRunner.shell(
            "\"$PP\" replay --topology \(Self.scenario) --flows \(Self.flows) --format csv 2>&- | wc -l; exit ${PIPESTATUS[0]}")
        #expect(closedErr.status == 0)
        #expect(closedErr.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "0")
        let bothBad = try CLIRunner.shell("\"$PP\" validate --topology Tests/ScenarioFormatTests/Fixtures/ten-mistakes.yaml 2>&- >&-")
        #expect(bothBad.status == 65, "bad input still says so with nowhere to print")
    }

    @Test("a reader that goes away ends the run quietly (141, as cat does), SIGPIPE ignored or not")
    func brokenPipe() throws {
        let folder = try CLIRunner.temporaryFolder("pipe")
        let flows = folder + "/many.yaml"
        try "version: 1\nflows:\n  - {name: many, from: alpha5, to: s3, packets: 1000000}\n".write(toFile: flows, atomically: false, encoding: .utf8)
        for setup in ["", "trap '' PIPE; "] {
            let result = try CLIRunner.shell("\(setup)\"$PP\" replay --topology \(Self.scenario) --flows \(flows) | head -1; exit ${PIPESTATUS[0]}")
            #expect(result.status == 141, "\(setup): \(result.status)")
            #expect(result.stderr.isEmpty, "quietly: \(result.stderr)")
            #expect(result.stdout.contains("s3"))
        }
    }

    @Test("a file-size limit mid-write is exit 74; the existing target keeps its content and no temporary file stays")
    func fileSizeLimit() throws {
        let folder = try CLIRunner.temporaryFolder("fsize")
        try "old".write(toFile: folder + "/lab.pcap", atomically: false, encoding: .utf8)
        let generate = try CLIRunner.shell(
            "ulimit -f 2; \"$PP\" generate --topology Scenarios/multi-tier/scenario.yaml --flows Scenarios/multi-tier/flows.yaml --output \(folder)/lab.pcap")
        #expect(generate.status == 74, "\(generate.stderr)")
        #expect(generate.stderr.contains("File too large"))
        #expect(try String(contentsOfFile: folder + "/lab.pcap", encoding: .utf8) == "old")
        #expect(try Self.names(folder) == ["lab.pcap"])
    }

    @Test("a full disk: generate and --split exit 74, leave the old files and no temporary file (tmpfs)")
    func fullDisk() throws {
        let folder = try CLIRunner.temporaryFolder("full")
        guard let result = try CLIRunner.inTmpfs(folder, options: "size=8k", """
            echo old > \(folder)/lab.pcap
            "$PP" generate --topology Scenarios/multi-tier/scenario.yaml --flows Scenarios/multi-tier/flows.yaml --output \(folder)/lab.pcap
            echo "generate=$?"
            "$PP" replay \(Self.capture) --topology \(Self.snapshot) --split \(folder)/s --annotate \(folder)/a.pcapng --format summary > /dev/null
            echo "split=$?"
            cat \(folder)/lab.pcap; ls -A \(folder) \(folder)/s
            """)
        else {
            print("note: the full-disk case needs a private tmpfs (root and unshare); the file-size-limit case covers the same path")
            return
        }
        #expect(result.stdout.contains("generate=74"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("split=74"), "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("No space left on device"))
        let listing = result.stdout.split(separator: "\n").map(String.init)
        #expect(listing.contains("old"), "the existing capture is untouched")
        #expect(!listing.contains { $0.hasPrefix(".") }, "no temporary file: \(listing)")
        #expect(!listing.contains { $0.hasSuffix(".pcap") && $0 != "lab.pcap" }, "no split file cut mid-record: \(listing)")
    }

    @Test("a read-only location is exit 73 with the system's reason, not a raw Foundation error")
    func readOnly() throws {
        let folder = try CLIRunner.temporaryFolder("readonly")
        guard let result = try CLIRunner.inTmpfs(folder, options: "ro,size=64k", """
            "$PP" replay --topology \(Self.scenario) --flows \(Self.flows) --output \(folder)/out.txt; echo "output=$?"
            "$PP" replay \(Self.capture) --topology \(Self.snapshot) --split \(folder)/s; echo "split=$?"
            "$PP" import \(Self.snapshot) --output \(folder)/s.yaml; echo "import=$?"
            """)
        else {
            print("note: the read-only case needs a private tmpfs (root and unshare); skipped")
            return
        }
        for name in ["output", "split", "import"] { #expect(result.stdout.contains("\(name)=73"), "\(result.stdout) \(result.stderr)") }
        #expect(result.stderr.contains("Read-only file system"))
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"))
    }

    @Test("SIGINT, SIGTERM and SIGHUP during a replay remove the temporary file, and the run dies of that signal")
    func signalsRemoveTemporaries() throws {
        let capture = try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.capture))
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            let folder = try CLIRunner.temporaryFolder("signal-\(signal)")
            let input = Pipe()
            let pid = try Self.spawn(
                ["replay", "-", "--topology", CLIRunner.packageRoot.appendingPathComponent(Self.snapshot).path, "--output", folder + "/out.txt"],
                input: input.fileHandleForReading.fileDescriptor)
            try input.fileHandleForReading.close()
            // The whole capture, and the pipe left open: the replay waits for more frames.
            input.fileHandleForWriting.write(capture)
            var waited = 0
            while try Self.names(folder).isEmpty && waited < 200 {
                usleep(50_000)
                waited += 1
            }
            #expect(try Self.names(folder).count == 1, "the temporary file exists while the replay runs")
            kill(pid, signal)
            var status: Int32 = 0
            var reaped = 0
            for _ in 0..<200 {  // a bounded wait: a run that ignores the signal fails here instead of hanging
                reaped = Int(waitpid(pid, &status, WNOHANG))
                if reaped == Int(pid) { break }
                usleep(50_000)
            }
            if reaped != Int(pid) { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
            try? input.fileHandleForWriting.close()
            #expect(reaped == Int(pid), "signal \(signal) ended the run")
            #expect(status & 0x7F == signal, "signal \(signal): died of it (the shell shows 128+\(signal)), wait status \(status)")
            let left = try Self.names(folder)
            #expect(left.isEmpty, "signal \(signal): \(left)")
        }
    }

    /// Starts the binary with every signal at its default action (a test runner started in the
    /// background inherits SIGINT ignored, and packet-path keeps an inherited "ignore", as
    /// `nohup` and shells expect), standard input from `input` and the outputs discarded; paths
    /// in `arguments` are absolute (the child starts in this process's folder).
    static func spawn(_ arguments: [String], input: Int32) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([CLIRunner.binary.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, CLIRunner.binary.path, &actions, &attributes, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        return pid
    }

    @Test("--jobs is bounded: 0 and a huge value are usage errors (64), not a trap or a jobs²-sized table")
    func jobsBounded() throws {
        for jobs in ["0", "100000000000"] {
            let result = try CLIRunner.run(["replay", Self.capture, "--topology", Self.snapshot, "--jobs", jobs])
            #expect(result.status == 64, "--jobs \(jobs): \(result.stderr)")
            #expect(result.stderr.contains("'--jobs' is from 1 to"))
        }
    }
}
