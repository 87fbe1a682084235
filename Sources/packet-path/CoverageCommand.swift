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

        @OptionGroup var output: AnalysisOutput

        func run() throws {
            let topology = try options.load()
            let (report, failed) = try analyze(inputs, topology: topology)
            let coverage = TrafficAnalysis.Coverage(topology: topology, report: report)
            try output.write(
                text: { CoverageText.text(coverage, records: report.total.records) },
                json: { CoverageText.json(coverage, records: report.total.records) })
            if failed { throw ExitStatus.badInput }
        }
    }
}
