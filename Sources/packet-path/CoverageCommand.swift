import ArgumentParser
import PathReporters
import TrafficAnalysis

extension PacketPath {
    /// Hits per security-group rule, network ACL entry, route and gateway; never hit; never matching.
    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count the records that met each security-group rule, network ACL entry, route and gateway; list those never hit and those that can never match.",
            discussion: "Inputs are what 'replay' takes (captures, flow logs, --flows) or summary documents ('replay --format summary-json', 'merge').")

        @OptionGroup var options: TopologyOptions
        @OptionGroup var inputs: ReplayInputs

        @Option(help: "Output format: text or json.")
        var format: AnalysisFormat = .text

        @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            let topology = try options.load()
            let (report, failed) = try analyze(inputs, topology: topology)
            let coverage = TrafficAnalysis.Coverage(topology: topology, report: report)
            try withOutput(output) { sink in
                switch format {
                case .text: try sink.writeLine(CoverageText.text(coverage, records: report.total.records))
                case .json: try sink.writeLine(CoverageText.json(coverage, records: report.total.records))
                }
            }
            if failed { throw ExitStatus.badInput }
        }
    }
}
