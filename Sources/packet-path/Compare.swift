import ArgumentParser
import CaptureReplay
import JSONParsing
import PathClassifier
import PathReporters
import VPCTopology

extension PacketPath {
    /// Classifies the same flows against two topologies and shows what changed.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify the same flows against two topologies (before and after a change) side by side.")

        /// The topology before the change.
        @Option(help: ArgumentHelp("The network before the change (a YAML scenario or a snapshot folder).", valueName: "file|dir"))
        var before: String

        /// The topology after the change.
        @Option(help: ArgumentHelp("The network after the change (a YAML scenario or a snapshot folder).", valueName: "file|dir"))
        var after: String

        /// AWS's ip-ranges.json, for both sides.
        @Option(name: .customLong("ip-ranges"), help: ArgumentHelp("AWS's ip-ranges.json, for both networks: names the AWS service and Region of public destinations.", valueName: "file"))
        var ipRanges: String?

        @Flag(name: [.customShort("q"), .long], help: "Print no warnings about the two networks; errors are printed all the same.")
        var quiet = false

        /// The YAML flow file.
        @Option(help: ArgumentHelp("Synthetic flows: a YAML flow file.", valueName: "file"))
        var flows: String

        /// Judge the first packets alone.
        @Flag(name: .customLong("one-way"), help: "Judge each flow's first packet alone; by default its reply is walked too (R19.7).")
        var oneWay = false

        @Option(help: "Output format: text, or json (every flow before and after, and whether it changed).")
        var format: AnalysisFormat = .text

        @Flag(name: .customLong("fail-on-change"), help: "Exit 1 when a flow's verdict, reason or deciding resource changed (for CI).")
        var failOnChange = false

        func run() throws {
            let requests = try loadFlows(flows)
            let sides = try [before, after].map { path in
                let topology = try loadTopology(path, ipRanges: ipRanges, quiet: quiet)
                return try judgeFlows(requests, file: flows, topology: topology, oneWay: oneWay)
            }
            var changed = 0
            var lines: [String] = []
            var objects: [String] = []
            for (index, request) in requests.enumerated() {
                let old = sides[0][index]
                let new = sides[1][index]
                let name = request.name ?? "\(request.from) → \(request.to)"
                let differs = old.classification.reason != new.classification.reason
                    || old.classification.decisiveHop?.resource != new.classification.decisiveHop?.resource
                if differs { changed += 1 }
                lines.append("\(differs ? "*" : " ") \(name)")
                var sidesJSON: [String] = []
                for (label, side) in [("before", old), ("after", new)] {
                    let c = side.classification
                    let via = c.decisiveHop.map { " via \($0.resource)" } ?? ""
                    let replyDropped = c.reply.map { $0.verdict == .dropped } ?? false
                    lines.append("    \(label.rightPadded(to: 7)) \(TextReporter.packet(side.flow.header).rightPadded(to: 44))  \(c.verdict.rawValue.rightPadded(to: 8)) \(c.reason.rawValue)\(via)\(replyDropped ? " (the reply)" : "")")
                    let route = c.request.hops.last(where: { $0.kind == .routeTable })
                    if let route { lines.append("            \(route.resource.description): \(route.detail)") }
                    sidesJSON.append(
                        "\"\(label)\":{\"verdict\":\(JSONText.string(c.verdict.rawValue)),\"reason\":\(JSONText.string(c.reason.rawValue)),"
                            + "\"resource\":\(JSONText.optional(c.decisiveHop?.resource.id)),\"replyDropped\":\(replyDropped),"
                            + "\"route\":\(JSONText.optional(route.map { "\($0.resource.id): \($0.detail)" }))}")
                }
                objects.append("{\"flow\":\(JSONText.string(name)),\"line\":\(request.line.map(String.init) ?? "null"),\"changed\":\(differs),\(sidesJSON.joined(separator: ","))}")
            }
            lines.append("")
            lines.append("\(changed) of \(requests.count) flow\(requests.count == 1 ? "" : "s") changed")
            switch format {
            case .text: try printOutput(lines.joined(separator: "\n"))
            case .json:
                try printOutput(
                    "{\"changed\":\(changed),\"flows\":\(requests.count),\"results\":[" + (objects.isEmpty ? "" : "\n  " + objects.joined(separator: ",\n  ") + "\n") + "]}")
            }
            if failOnChange && changed > 0 { throw ExitCode(1) }
        }
    }
}
