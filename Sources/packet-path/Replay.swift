import ArgumentParser
import PathClassifier
import PathReporters
import VPCTopology

/// Output formats for per-packet results.
enum PacketFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case jsonl
    case csv
}

extension PacketPath {
    /// Classifies every packet of a flow file.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every packet of synthetic flows; text output ends with counts per verdict and reason.")

        @OptionGroup var options: TopologyOptions

        /// The YAML flow file.
        @Option(help: ArgumentHelp("Synthetic flows: a YAML flow file (docs/scenario-format.md).", valueName: "file"))
        var flows: String

        /// Output format.
        @Option(help: "Output format: text, jsonl or csv.")
        var format: PacketFormat = .text

        /// Where to write; standard output by default.
        @Option(help: ArgumentHelp("Write results to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            let topology = try options.load()
            let requests = try loadFlows(flows)
            let resolved = try resolveFlows(requests, file: flows, topology: topology)
            let classifier = Classifier(topology: topology)
            let sink = try OutputSink(path: output)
            var summary = Summary()
            if format == .csv { sink.write(CSVReporter.header) }
            var frame = 0
            for flow in resolved {
                // Every packet of a flow takes the same path; it is classified once and reported per packet.
                let classification = classifier.classify(flow.header, from: flow.source)
                let name = flow.request.name ?? "\(flow.request.from) → \(flow.request.to)"
                for _ in 0..<flow.request.packets {
                    frame += 1
                    let record = PacketRecord(frame: frame, header: flow.header, classification: classification, flow: name)
                    summary.add(classification)
                    switch format {
                    case .text: sink.write(TextReporter.line(record))
                    case .jsonl: sink.write(JSONLinesReporter.line(record))
                    case .csv: sink.write(CSVReporter.line(record))
                    }
                }
            }
            if format == .text {
                sink.write("")
                sink.write(summary.text())
            }
            try sink.commit()
        }
    }
}
