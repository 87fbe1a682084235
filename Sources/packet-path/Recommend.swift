import ArgumentParser
import CaptureReplay
import Foundation
import PathReporters
import TrafficAnalysis
import VPCTopology

/// Output formats of `recommend` and `coverage`.
enum AnalysisFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `--format` and `--output` of `recommend` and `coverage`.
struct AnalysisOutput: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: AnalysisFormat = .text

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    /// Writes the text or JSON rendering, as `--format` says, to `--output`.
    func write(text: () -> String, json: () -> String) throws {
        if format == .text { try writeText(text(), to: output) } else { try withOutput(output) { try $0.writeLine(json()) } }
    }
}

extension PacketPath {
    /// The VPC endpoints that would keep observed traffic to AWS services private, with costs.
    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the gateway and interface endpoints that would keep the observed traffic to AWS services private, with the NAT gateway processing they save and what they cost.",
            discussion: """
                Inputs are what 'replay' takes (captures, flow logs, --flows) or summary documents \
                ('replay --format summary-json', 'merge'). Prices: AWS's published us-east-1 prices \
                unless --pricing gives a file (docs/recommend.md).
                """)

        @OptionGroup var options: TopologyOptions
        @OptionGroup var inputs: ReplayInputs

        @Option(help: ArgumentHelp("A JSON pricing file replacing any of the published prices (docs/recommend.md).", valueName: "file"))
        var pricing: String?

        @OptionGroup var output: AnalysisOutput

        func run() throws {
            let topology = try options.load()
            var prices = Pricing()
            if let pricing {
                guard let data = FileManager.default.contents(atPath: pricing) else {
                    printError("\(pricing): error: cannot read")
                    throw ExitStatus.cannotRead
                }
                do {
                    prices = try Pricing(json: [UInt8](data))
                } catch {
                    printError("\(pricing): error: \(error)")
                    throw ExitStatus.badInput
                }
            }
            let (report, failed) = try analyze(inputs, topology: topology)
            let found = Recommendation.recommend(report, pricing: prices)
            try output.write(
                text: { RecommendationText.text(found, report: report, pricing: prices) },
                json: { RecommendationText.json(found, report: report, pricing: prices) })
            if failed { throw ExitStatus.badInput }
        }
    }
}

/// The traffic report of `inputs`: summary documents added up, and the other inputs replayed
/// (every hop's resource and rule recorded); returns whether an input was damaged.
func analyze(_ inputs: ReplayInputs, topology: Topology) throws -> (TrafficReport, Bool) {
    let documents = inputs.flows == nil ? inputs.captures.filter { $0 != "-" && isSummaryDocument($0) } : []
    var report = try readSummaries(documents)
    var rest = inputs
    rest.captures.removeAll { documents.contains($0) }
    guard rest.flows != nil || !rest.captures.isEmpty else { return (report, false) }
    let analyzers = AnalyzerSet(topology: topology)
    let summary = Summary()
    let outcome = try rest.replay(topology: topology, logs: try rest.flowLogInputs(), summary: summary, lines: { _ in analyzers.lines() }, detail: .hops)
    var replayed = analyzers.report()
    rest.complete(&replayed, summary: summary, outcome: outcome)
    do {
        try report.add(replayed)
    } catch {
        printError("error: \(error)")
        throw ExitStatus.badInput
    }
    return (report, outcome.failed)
}
