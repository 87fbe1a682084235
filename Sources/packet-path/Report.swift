import ArgumentParser
import CaptureReplay
import PathClassifier
import PathReporters
import TrafficAnalysis
import VPCTopology

extension PacketPath {
    /// One self-contained HTML file: diagram, counts, and conversations with their paths.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one self-contained HTML report: the network diagram, counts per verdict and reason, and a table of conversations that sorts, filters and expands to each hop-by-hop path; with --before, what a change did.",
            discussion: """
                Inputs are what 'replay' takes: captures, flow logs, or --flows. The file needs no \
                network: its script, styles and the diagram (drawn by Graphviz's dot when it is \
                installed) are inside it (docs/report.md).
                """)

        @OptionGroup var options: TopologyOptions
        @OptionGroup var inputs: ReplayInputs

        @Option(help: ArgumentHelp("The network before a change: each conversation is replayed against it too, and the report shows what changed.", valueName: "file|dir"))
        var before: String?

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write the report to this file (atomically); - or none: standard output.", valueName: "file"))
        var output: String?

        @Option(help: "List at most this many conversations (the busiest); the counts cover all of them.")
        var rows = 1000

        @Option(help: ArgumentHelp("The report's title (default: the topology's file name).", valueName: "text"))
        var title: String?

        func validate() throws {
            if rows < 1 { throw ValidationError("'--rows' is at least 1") }
            if before != nil && inputs.captures.contains("-") {
                throw ValidationError("'--before' replays the inputs twice: give files, not standard input")
            }
        }

        func run() throws {
            let topology = try options.load()
            let (after, failed) = try conversations(topology)
            var beforeOutcomes: [Conversation.Key: [Conversation.Outcome]]?
            if let before {
                let (earlier, _) = try conversations(try loadTopology(before, ipRanges: options.ipRanges, quiet: options.quiet))
                beforeOutcomes = Dictionary(earlier.map { (Self.match($0.key), $0.outcomes) }, uniquingKeysWith: +)
            }
            let rows = after.map { HTMLReport.Row(conversation: $0, before: beforeOutcomes.map { [key = Self.match($0.key)] in $0[key] ?? [] }) }
            // The diagram colours the listed conversations' paths, as `diagram --flows` does.
            let listed = HTMLReport.busiest(rows, limit: self.rows).map { rows[$0].conversation.main.flow }
            let diagram = Graphviz.reportDiagram(NetworkDiagram(topology: topology, flows: listed))
            var described: [(String, String)] = [("topology", options.topology)]
            if let before { described.append(("before", before)) }
            if let flows = inputs.flows { described.append(("flows", flows)) }
            for input in inputs.captures { described.append(("input", input == "-" ? "standard input" : input)) }
            let report = HTMLReport(
                title: title ?? "packet-path report: \(options.topology)", inputs: described, topology: topology, rows: rows,
                rowLimit: self.rows, diagram: diagram, hasBefore: before != nil)
            try withOutput(output) { try $0.writeLine(report.html()) }
            if failed { throw ExitStatus.badInput }
        }

        /// What pairs a conversation after the change with one before it: a synthetic flow by its
        /// name (its destination may resolve to another address in the other network: a name
        /// that an interface endpoint's private DNS answers), other traffic by its addresses.
        static func match(_ key: Conversation.Key) -> Conversation.Key {
            guard let flow = key.flow else { return key }
            return Conversation.Key(flow: flow, capture: nil, source: nil, destination: nil, protocolNumber: nil, service: nil)
        }

        /// The inputs replayed against `topology`, as conversations; and whether an input was damaged.
        func conversations(_ topology: Topology) throws -> ([Conversation], Bool) {
            let set = ConversationSet()
            let outcome = try inputs.replay(topology: topology, logs: try inputs.flowLogInputs(), summary: Summary(), lines: { _ in set.lines() }, detail: .full)
            return (set.conversations(), outcome.failed)
        }
    }
}
