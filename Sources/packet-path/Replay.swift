import ArgumentParser
import CaptureReplay
import Decompression
import FlowLogs
import Foundation
import OutputFiles
import PacketSources
import PathClassifier
import PathCore
import PathReporters
import TrafficAnalysis
import VPCTopology

/// `--fail-on dropped`: a verdict as an argument.
extension Verdict: ExpressibleByArgument {}

/// Output formats for per-packet results.
enum PacketFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case jsonl
    case csv
    /// The summary alone, no line per packet.
    case summary
    /// The summary as a JSON document that `merge` adds up (``TrafficReport``).
    case summaryJSON = "summary-json"
}

extension PacketPath {
    /// Classifies every packet of captures or of a flow file.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every frame of pcap/pcapng captures, every record of VPC Flow Logs against what it observed, or every packet of synthetic flows; text ends with a summary.")

        @OptionGroup var options: TopologyOptions
        @OptionGroup var inputs: ReplayInputs

        /// Output format.
        @Option(help: "Output format: text, jsonl, csv, summary (the counts alone), or summary-json (the counts, flow log agreement, exposure and coverage as one JSON document that 'merge' adds up).")
        var format: PacketFormat = .text

        /// Where to write; standard output by default.
        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write results to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        /// Where to write the summary document besides the lines.
        @Option(name: .customLong("summary-output"), help: ArgumentHelp("Also write the summary document (as --format summary-json gives) to this file, atomically.", valueName: "file"))
        var summaryOutput: String?

        /// Verdicts that fail the run.
        @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when a packet (or flow log record) gets this verdict: dropped, internet or private; repeatable (for CI).", valueName: "verdict"))
        var failOn: [Verdict] = []

        /// Write one capture per verdict.
        @Option(help: ArgumentHelp("Write private.pcap, internet.pcap and dropped.pcap into this folder (captures only).", valueName: "dir"))
        var split: String?

        /// Write every frame with a verdict comment.
        @Option(name: [.customShort("w"), .long], help: ArgumentHelp("Write every frame to this pcapng with a comment 'packet-path: VERDICT REASON via RESOURCE' (captures only).", valueName: "file"))
        var annotate: String?

        @Option(help: ArgumentHelp("In the summary document, list only the N busiest conversations (by bytes, then packets); by default every one.", valueName: "N"))
        var top: Int?

        @Option(name: .customLong("only"), help: ArgumentHelp("Write the lines of packets (or records) with this verdict only: private, internet or dropped; repeatable. The summary counts every one.", valueName: "verdict"))
        var only: [Verdict] = []

        func validate() throws {
            var outputs: [(option: String, path: String?)] = [("--output", output)]
            if let summaryOutput { outputs.append(("--summary-output", summaryOutput)) }
            if let annotate { outputs.append(("--annotate", annotate)) }
            try checkOneStandardOutput(outputs)
            if let top, top < 0 { throw ValidationError("'--top' is 0 or more") }
            if top != nil && format != .summaryJSON && summaryOutput == nil { throw ValidationError("'--top' applies to the summary document: give --format summary-json or --summary-output") }
            if !only.isEmpty && (format == .summary || format == .summaryJSON) { throw ValidationError("'--only' selects lines: give --format text, jsonl or csv") }
            if format == .summaryJSON && summaryOutput != nil { throw ValidationError("'--summary-output' is for line formats; '--format summary-json' writes the document itself") }
            if inputs.flows != nil && (split != nil || annotate != nil) {
                throw ValidationError("'--split' and '--annotate' apply to captures only")
            }
        }

        func run() throws {
            let topology = try options.load()
            let sink = try OutputFile(output ?? "-")
            let splitter = try split.map { try CaptureSplitter(directory: $0) }
            let annotator = try annotate.map { try PcapngAnnotator(path: $0) }
            let document = try summaryOutput.map { try OutputFile($0) }
            let summary = Summary()
            let failed = try run(topology: topology, sink: sink, splitter: splitter, annotator: annotator, document: document, summary: summary)
            // Every output is written out before any is renamed into place: a full disk
            // leaves them all as they were.
            try sink.finishWriting()
            try document?.finishWriting()
            try splitter?.finishWriting()
            try annotator?.finishWriting()
            try splitter?.commit()
            try annotator?.commit()
            try document?.commit()
            try sink.commit()
            if failed { throw ExitStatus.badInput }
            let found = failOn.filter { (summary.byVerdict[$0] ?? 0) > 0 }
            if !found.isEmpty {
                printError("--fail-on: \(found.map { "\(summary.byVerdict[$0]!) \($0.rawValue)" }.joined(separator: ", "))")
                throw ExitCode(1)
            }
        }

        /// Writes every packet's line to `sink` (and frames to `splitter` and `annotator`), then the
        /// summary (and the summary document to `document`); returns whether an input was damaged.
        func run(
            topology: Topology, sink: OutputFile, splitter: CaptureSplitter?, annotator: PcapngAnnotator?, document: OutputFile? = nil,
            summary: Summary = Summary()
        ) throws -> Bool {
            let logs = try inputs.flowLogInputs()
            if format == .csv {
                try sink.writeLine(logs != nil ? FlowLogCSVReporter.header : inputs.captures.count > 1 ? CSVReporter.headerWithCapture : CSVReporter.header)
            }
            // Text is for a terminal: control characters in names are made visible (JSONL and CSV
            // escape their own way and stay exact).
            let visible = format == .text || format == .summary
            let write: (UnsafeBufferPointer<UInt8>) throws -> Void = { bytes in
                if visible, let escaped = VisibleText.escaped(bytes) { try escaped.withUnsafeBufferPointer { try sink.write($0) } } else { try sink.write(bytes) }
            }
            let analyzers = format == .summaryJSON || document != nil ? AnalyzerSet(topology: topology) : nil
            /// The per-packet lines of `--format` (records name their capture when there are
            /// several), each record counted into the summary document too when one is written.
            func lines(_ source: ReplayInputs.Source) -> Replayer.Lines? {
                guard let analyzers else { return formatLines(source) }
                guard let lines = formatLines(source) else { return analyzers.lines() }
                return lines.alongside(analyzers.lines())
            }
            let only = Set(self.only)
            /// A format writing the lines of `--only`'s verdicts alone (records without traffic, which
            /// have none, go with them).
            func selected(_ make: @escaping () -> Replayer.Format) -> () -> Replayer.Format {
                guard !only.isEmpty else { return make }
                return {
                    let format = make()
                    return { record, text in
                        if record.observation?.hasTraffic != false && only.contains(record.verdict) { format(record, text) }
                    }
                }
            }
            func formatLines(_ source: ReplayInputs.Source) -> Replayer.Lines? {
                switch (format, source) {
                case (.csv, .flowLog): return Replayer.Lines(format: selected { PathLineWriter<FlowLogCSVReporter>().append }, write: write)
                // One writer per worker: each caches its paths' renderings.
                case (.text, _): return Replayer.Lines(format: selected { PathLineWriter<TextReporter>().append }, write: write, capture: source.capture)
                case (.csv, _): return Replayer.Lines(format: selected { PathLineWriter<CSVReporter>().append }, write: write, capture: source.capture)
                case (.jsonl, _): return Replayer.Lines(format: selected { PathLineWriter<JSONLinesReporter>().append }, write: write, capture: source.capture)
                case (.summary, _), (.summaryJSON, _): return nil
                }
            }
            // JSONL reads every hop with its text, the summary document every hop's resource and
            // rule; text and CSV lines, --split and --annotate only the deciding resource.
            let detail: PathDetail = format == .jsonl ? .full : analyzers != nil ? .hops : .decisive
            let outcome = try inputs.replay(
                topology: topology, logs: logs, summary: summary, lines: lines, detail: detail, splitter: splitter, annotator: annotator,
                notesSkippedBlocks: format != .text && format != .summary)
            if let analyzers {
                var report = analyzers.report()
                inputs.complete(&report, summary: summary, outcome: outcome)
                try (format == .summaryJSON ? sink : document)?.writeLine(report.json(top: top))
            }
            if format == .text || format == .summary {
                if format == .text { try sink.writeLine("") }
                try sink.writeLine(VisibleText.escaped(summary.text(top: inputs.flows == nil ? 10 : 0)))
                if let tally = outcome.tally { try sink.writeLine(VisibleText.escaped(tally.text(top: 10))) }
            }
            return outcome.failed
        }
    }
}

/// A progress line on standard error when it is a terminal: frames, frames per second, percent of the file.
final class Progress {
    private let enabled = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    private var frames = 0
    private var bytes = 0
    private var total = 0
    private var started = Date()
    private var last = Date()

    func start(_ path: String) {
        frames = 0
        bytes = PcapFormat.globalHeaderSize
        total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        started = Date()
        last = started
    }

    /// Counts a batch of frames.
    func add(frames count: Int, bytes byteCount: Int) {
        frames += count
        bytes += byteCount
        if enabled { show() }
    }

    private func show() {
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.5 else { return }
        last = now
        let rate = Double(frames) / max(now.timeIntervalSince(started), 1e-9)
        let percent = total > 0 ? " \(min(100, bytes * 100 / total))%" : ""
        StandardError.write("\r\(frames) frames  \(Int(rate)) frames/s\(percent)   ")
    }

    func finish() {
        if enabled && frames >= 0x4000 { StandardError.write("\r\u{1B}[K") }
    }
}
