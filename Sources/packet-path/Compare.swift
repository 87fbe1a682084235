import CaptureReplay
import ArgumentParser
import PathClassifier
import PathReporters
import VPCTopology

extension PacketPath {
    /// Classifies the same flows against two topologies and shows what changed.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify the same flows against two topologies (before and after a change) side by side.")

        /// The topology before the change.
        @Option(help: ArgumentHelp("The network before the change (YAML scenario).", valueName: "file"))
        var before: String

        /// The topology after the change.
        @Option(help: ArgumentHelp("The network after the change (YAML scenario).", valueName: "file"))
        var after: String

        /// The YAML flow file.
        @Option(help: ArgumentHelp("Synthetic flows: a YAML flow file.", valueName: "file"))
        var flows: String

        /// Judge the first packets alone.
        @Flag(name: .customLong("one-way"), help: "Judge each flow's first packet alone; by default its reply is walked too (R19.7).")
        var oneWay = false

        func run() throws {
            let requests = try loadFlows(flows)
            let sides = try [before, after].map { path in
                let topology = try loadTopology(path)
                return Replayer(topology: topology, jobs: 1).judge(try syntheticFlows(requests, file: flows, topology: topology), oneWay: oneWay)
            }
            var changed = 0
            var lines: [String] = []
            for (index, request) in requests.enumerated() {
                let old = sides[0][index]
                let new = sides[1][index]
                let name = request.name ?? "\(request.from) → \(request.to)"
                let differs = old.classification.reason != new.classification.reason
                    || old.classification.decisiveHop?.resource != new.classification.decisiveHop?.resource
                if differs { changed += 1 }
                lines.append("\(differs ? "*" : " ") \(name)")
                for (label, side) in [("before", old), ("after", new)] {
                    let c = side.classification
                    let via = c.decisiveHop.map { " via \($0.resource)" } ?? ""
                    let replyDropped = c.reply.map { $0.verdict == .dropped } ?? false
                    lines.append("    \(label.rightPadded(to: 7)) \(TextReporter.packet(side.flow.header).rightPadded(to: 44))  \(c.verdict.rawValue.rightPadded(to: 8)) \(c.reason.rawValue)\(via)\(replyDropped ? " (the reply)" : "")")
                    if let route = c.request.hops.last(where: { $0.kind == .routeTable }) {
                        lines.append("            \(route.resource.description): \(route.detail)")
                    }
                }
            }
            lines.append("")
            lines.append("\(changed) of \(requests.count) flow\(requests.count == 1 ? "" : "s") changed")
            try printOutput(lines.joined(separator: "\n"))
        }
    }
}
