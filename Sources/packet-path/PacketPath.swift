import ArgumentParser
import OutputFiles
import PathReporters

/// The `packet-path` command: which way does this traffic really go?
@main
struct PacketPath: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packet-path",
        abstract: "Classify AWS VPC traffic as private, internet (via an internet gateway) or dropped, hop by hop.",
        discussion: """
            Exit status: 0 when the run completes (dropped packets are results, not errors), \
            64 for a usage error, 65 for bad input (a broken scenario, snapshot, flow file or capture), \
            66 when an input cannot be read, 73 when an output cannot be created, 74 when writing an \
            output fails; 128+n when stopped by signal n (temporary files are removed).
            """,
        version: "0.1.0",
        subcommands: [Trace.self, Replay.self, Compare.self, Check.self, Reach.self, Diagram.self, Report.self, Merge.self, Recommend.self, Coverage.self, Generate.self, Import.self, Validate.self, Reasons.self, Bench.self]
    )

    /// Parses and runs a command as ArgumentParser does, with the output rules around it:
    /// temporary files go on every way out, and an output failure ends the run with 73 or 74
    /// (quietly, by SIGPIPE, for a reader that went away) instead of a trap.
    static func main() {
        installOutputCleanup()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as OutputError {
            terminate(after: failure)
        } catch {
            exit(withError: error)
        }
    }
}

extension PacketPath {
    /// Prints the closed vocabulary of reasons with their Reachability Analyzer and Batfish equivalents.
    struct Reasons: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every reason code with its verdict, rules, Reachability Analyzer code and Batfish disposition.")

        func run() throws {
            try printOutput(ReasonTable.markdown())
        }
    }
}
