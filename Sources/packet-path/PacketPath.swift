import ArgumentParser
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
            66 when an input cannot be read, 73 when an output cannot be created.
            """,
        version: "0.1.0",
        subcommands: [Trace.self, Replay.self, Compare.self, Generate.self, Import.self, Validate.self, Reasons.self, Bench.self]
    )
}

extension PacketPath {
    /// Prints the closed vocabulary of reasons with their Reachability Analyzer and Batfish equivalents.
    struct Reasons: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every reason code with its verdict, rules, Reachability Analyzer code and Batfish disposition.")

        func run() {
            print(ReasonTable.markdown())
        }
    }
}
