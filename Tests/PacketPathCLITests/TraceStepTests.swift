import Foundation
import Testing

/// `trace --step`: one hop per Enter in a terminal (a real one: tmux), the plain trace elsewhere.
@Suite("trace --step")
struct TraceStepTests {
    static let arguments = ["trace", "--topology", "Scenarios/seed/after.yaml", "--from", "alpha5", "--to", "s3"]

    @Test("outside a terminal --step writes what trace writes")
    func notATerminal() throws {
        let plain = try CLIRunner.run(Self.arguments)
        let stepped = try CLIRunner.run(Self.arguments + ["--step"])
        #expect(plain.status == 0 && stepped.status == 0 && stepped.stdout == plain.stdout && stepped.stderr.isEmpty)
    }

    @Test(
        "in a terminal the hops come one per Enter, then the verdict",
        .enabled(if: (try? CLIRunner.shell("command -v tmux"))?.status == 0, "needs tmux (scripts/install-deps.sh installs it)"))
    func terminal() throws {
        let session = "packet-path-step-\(getpid())"
        let command = ([CLIRunner.binary.path] + Self.arguments + ["--step"]).map { "'\($0)'" }.joined(separator: " ")
        func pane() throws -> String { try CLIRunner.shell("tmux capture-pane -p -t \(session)").stdout }
        func waitFor(_ text: String) throws -> String {
            for _ in 0..<100 {
                let screen = try pane()
                if screen.contains(text) { return screen }
                usleep(50_000)
            }
            return try pane()
        }
        // The tmux server outlives this shell and keeps every descriptor it inherits: started
        // from Python with close_fds, it holds none of the test runner's pipes (which other tests
        // read to their end), and its own streams go to /dev/null.
        let launch = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], close_fds=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))"
        let started = try CLIRunner.shell(
            "cd '\(CLIRunner.packageRoot.path)' && python3 -c '\(launch)' tmux new-session -d -s \(session) -x 220 -y 60 \"\(command); echo END; sleep 30\"")
        #expect(started.status == 0, "\(started.stderr)")
        defer { _ = try? CLIRunner.shell("tmux kill-session -t \(session) < /dev/null > /dev/null 2>&1") }
        var screen = try waitFor("[Enter: next hop]")
        #expect(screen.contains("packet:  10.0.7.10:40000 → 52.216.0.1:443 tcp") && !screen.contains("1.   source"), "\(screen)")
        _ = try CLIRunner.shell("tmux send-keys -t \(session) Enter")
        screen = try waitFor("1.   source")
        #expect(screen.contains("1.   source") && !screen.contains("2.   security-group-egress"), "\(screen)")
        for _ in 0..<12 { _ = try CLIRunner.shell("tmux send-keys -t \(session) Enter") }
        screen = try waitFor("END")
        #expect(screen.contains("verdict: PRIVATE") && screen.contains("10.   destination"), "\(screen)")
    }
}
