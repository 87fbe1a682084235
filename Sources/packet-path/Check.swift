import ArgumentParser
import CaptureReplay
import OutputFiles
import PathReporters

extension PacketPath {
    /// Judges a flow file's flows and checks them against their `expect:`, for CI.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Judge every flow of a flow file and check it against its 'expect:' (verdict, reason, via); exit 1 when one is not met.",
            discussion: "Each unmet expectation prints as FILE:LINE: flow NAME: expected …, got …; --junit writes JUnit XML for CI systems.")

        @OptionGroup var options: TopologyOptions

        @Option(help: ArgumentHelp("The flow file whose flows carry 'expect:' (docs/scenario-format.md).", valueName: "file"))
        var flows: String

        @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file (atomically; - for standard output, the text then going to standard error).", valueName: "file"))
        var junit: String?

        @Flag(name: .customLong("one-way"), help: "Judge each flow's first packet alone; by default its reply is walked too (R19.7).")
        var oneWay = false

        func run() throws {
            let topology = try options.load()
            let requests = try loadFlows(flows)
            // A `via` that names nothing fails its flow; said apart, since it may be a typo (or a
            // resource the change under review has yet to create).
            let names = Set(topology.resourceLabels.flatMap { [$0.id] + ($0.name.map { [$0] } ?? []) })
            for request in requests where request.expect?.via.map({ !names.contains($0) }) ?? false {
                printError(
                    "\(flows):\(request.line.map(String.init) ?? "?"): warning: expect.via '\(request.expect!.via!)' names no resource of the topology (a typo, or not created yet)")
            }
            let judged = try judgeFlows(requests, file: flows, topology: topology, oneWay: oneWay)
            let report = CheckReport(file: flows, judged: judged)
            if let junit { try withOutput(junit) { try $0.writeLine(report.junit()) } }
            // With the XML on standard output, the text goes to standard error, apart from it.
            if junit == "-" { printError(report.text()) } else { try printOutput(report.text()) }
            if !report.failures.isEmpty { throw ExitCode(1) }
        }
    }
}
