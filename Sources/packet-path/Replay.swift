import ArgumentParser
import CaptureReplay
import Foundation
import PacketSources
import PathClassifier
import PathCore
import PathReporters
import VPCTopology

/// Output formats for per-packet results.
enum PacketFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case jsonl
    case csv
    /// The summary alone, no line per packet.
    case summary
}

extension PacketPath {
    /// Classifies every packet of captures or of a flow file.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every frame of pcap/pcapng captures (or every packet of synthetic flows); text ends with a summary.")

        @OptionGroup var options: TopologyOptions

        /// Captures to replay.
        @Argument(help: ArgumentHelp("pcap or pcapng captures; - reads standard input.", valueName: "capture"))
        var captures: [String] = []

        /// A YAML flow file instead of captures.
        @Option(help: ArgumentHelp("Synthetic flows: a YAML flow file (docs/scenario-format.md), instead of captures.", valueName: "file"))
        var flows: String?

        /// Output format.
        @Option(help: "Output format: text, jsonl, csv, or summary (the counts alone).")
        var format: PacketFormat = .text

        /// Where to write; standard output by default.
        @Option(help: ArgumentHelp("Write results to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        /// Write one capture per verdict.
        @Option(help: ArgumentHelp("Write private.pcap, internet.pcap and dropped.pcap into this folder (captures only).", valueName: "dir"))
        var split: String?

        /// Write every frame with a verdict comment.
        @Option(help: ArgumentHelp("Write every frame to this pcapng with a comment 'packet-path: VERDICT REASON via RESOURCE' (captures only).", valueName: "file"))
        var annotate: String?

        /// The interface the capture was taken on.
        @Option(name: .customLong("capture-point"), help: ArgumentHelp("The interface (or instance) the capture was taken on; transit frames meet its source/destination check.", valueName: "name|id"))
        var capturePoint: String?

        /// Worker threads for capture replay.
        @Option(help: "Classify captures on this many cores, keeping per-connection order and the output order (default: all cores; --split and --annotate use one).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        /// Do not decapsulate VXLAN.
        @Flag(name: .customLong("no-vxlan"), help: "Classify UDP 4789 as it is instead of decapsulating VXLAN (Traffic Mirroring).")
        var noVXLAN = false

        func validate() throws {
            if flows != nil && !captures.isEmpty { throw ValidationError("give captures or '--flows', not both") }
            if flows == nil && captures.isEmpty { throw ValidationError("give one or more captures, or '--flows FILE'") }
            if jobs < 1 { throw ValidationError("'--jobs' is at least 1") }
            if flows != nil && (split != nil || annotate != nil || capturePoint != nil) {
                throw ValidationError("'--split', '--annotate' and '--capture-point' apply to captures only")
            }
        }

        func run() throws {
            let topology = try options.load()
            let sink = try OutputSink(path: output)
            let summary = Summary()
            let jsonLines = JSONLinesWriter()
            if format == .csv { sink.write(captures.count > 1 ? CSVReporter.headerWithCapture : CSVReporter.header) }
            /// Counts a record and prints its line.
            func emit(_ record: PacketRecord) {
                summary.add(record.classification, header: record.header, length: record.length ?? 0)
                printLine(record)
            }
            /// Prints a record's line (counted already).
            func printLine(_ record: PacketRecord) {
                switch format {
                case .text: sink.write { TextReporter.append(record, to: &$0) }
                case .jsonl: sink.write { jsonLines.append(record, to: &$0) }
                case .csv: sink.write { CSVReporter.append(record, to: &$0) }
                case .summary: break
                }
            }
            var failed = false
            if let flows {
                let resolved = try resolveFlows(try loadFlows(flows), file: flows, topology: topology)
                let classifier = Classifier(topology: topology)
                var frame = 0
                for flow in resolved {
                    // Every packet of a synthetic flow is identical: classified once, reported per packet.
                    let classification = classifier.classify(flow.header, from: flow.source)
                    let name = flow.request.name ?? "\(flow.request.from) → \(flow.request.to)"
                    for _ in 0..<flow.request.packets {
                        frame += 1
                        emit(PacketRecord(frame: frame, header: flow.header, classification: classification, flow: name))
                    }
                }
            } else {
                failed = try replayCaptures(
                    topology: topology, summary: summary, write: { sink.write(bytes: $0) }, printLine: printLine)
            }
            if format == .text || format == .summary {
                if format == .text { sink.write("") }
                sink.write(summary.text(top: flows == nil ? 10 : 0))
            }
            try sink.commit()
            if failed { throw ExitStatus.badInput }
        }

        /// Replays every capture; returns whether one was damaged (its complete frames are still reported).
        func replayCaptures(
            topology: Topology, summary: Summary, write: (UnsafeBufferPointer<UInt8>) -> Void, printLine: (PacketRecord) -> Void
        ) throws -> Bool {
            var point: InterfaceIndex?
            if let capturePoint {
                do {
                    point = try NameResolver(topology: topology).source(capturePoint).interface
                } catch {
                    printError("error: --capture-point: \(error)")
                    throw ExitStatus.badInput
                }
            }
            let replayer = CaptureReplayer(topology: topology, decapsulatesVXLAN: !noVXLAN, capturePoint: point)
            let splitter = try split.map { directory throws -> CaptureSplitter in
                do { return try CaptureSplitter(directory: directory) } catch {
                    printError("\(error)")
                    throw ExitStatus.cannotWrite
                }
            }
            let annotator = try annotate.map { path throws -> PcapngAnnotator in
                do { return try PcapngAnnotator(path: path) } catch {
                    printError("\(error)")
                    throw ExitStatus.cannotWrite
                }
            }
            var failed = false
            var writeError: CaptureError?
            let progress = Progress()
            for capture in captures {
                if capture != "-" && !FileManager.default.fileExists(atPath: capture) {
                    printError("\(capture): error: no such file")
                    splitter?.abandon()
                    annotator?.abandon()
                    throw ExitStatus.cannotRead
                }
                progress.start(capture)
                if jobs > 1 && splitter == nil && annotator == nil {
                    // Several cores: lines are formatted on the workers and written here in frame order.
                    let name: String? = captures.count > 1 ? capture : nil
                    /// A formatter naming the capture in each record (for CSV's capture column).
                    func naming(_ append: @escaping (PacketRecord, inout [UInt8]) -> Void) -> ParallelReplayer.Format {
                        { record, text in
                            var record = record
                            record.capture = name
                            append(record, &text)
                        }
                    }
                    let formatter: (() -> ParallelReplayer.Format)?
                    switch format {
                    case .text: formatter = { naming(TextReporter.append) }
                    case .csv: formatter = { naming(CSVReporter.append) }
                    case .jsonl:
                        formatter = { naming(JSONLinesWriter().append) }  // one writer per worker: it caches renderings
                    case .summary: formatter = nil
                    }
                    do {
                        let parallel = ParallelReplayer(topology: topology, jobs: jobs, decapsulatesVXLAN: !noVXLAN, capturePoint: point)
                        // JSONL prints every hop; text and CSV lines name only the deciding resource.
                        try parallel.replay(
                            capture, into: summary, format: formatter, detail: format == .jsonl ? .full : .decisive, write: write,
                            progress: progress.add)
                    } catch {
                        printError("\(error)")
                        failed = true
                    }
                    progress.finish()
                    continue
                }
                // Property wrappers cost a call per read: read them once, not per frame.
                let summaryOnly = format == .summary
                let countOnly = summaryOnly && splitter == nil && annotator == nil
                let several = captures.count > 1
                if countOnly {
                    do {
                        try replayer.count(capture, into: summary) { progress.tick(bytes: $0.capturedLength + 16) }
                    } catch {
                        // Every complete frame before the damage was counted.
                        printError("\(error)")
                        failed = true
                    }
                    progress.finish()
                    continue
                }
                do {
                    // JSONL prints every hop; text and CSV lines, --split and --annotate only the deciding resource.
                    // Frames are counted as they are classified (conversation numbers kept with
                    // their connections), so lines are only printed.
                    try replayer.replayPaths(capture, detail: format == .jsonl ? .full : .decisive, countingInto: summary) {
                        frame, header, id, classifier in
                        let classification = classifier.path(id)
                        if !summaryOnly {
                            var record = CaptureReplayer.record(frame, header: header, classification: classification)
                            if several { record.capture = capture }
                            printLine(record)
                        }
                        progress.tick(bytes: frame.capturedLength + 16)
                        let c = classification
                        do {
                            try splitter?.write(frame, group: c.verdict.rawValue)
                        } catch {
                            writeError = error as? CaptureError
                                ?? CaptureError(file: split ?? "", offset: nil, framesRead: 0, message: "\(error)")
                        }
                        if let annotator {  // the comment is built only when written
                            let via = c.decisiveHop.map { " via \($0.resource.id)" } ?? ""
                            annotator.write(frame, comment: "packet-path: \(c.verdict.rawValue) \(c.reason.rawValue)\(via)")
                        }
                    }
                } catch {
                    // Every complete frame before the damage was classified and reported above.
                    printError("\(error)")
                    failed = true
                }
                progress.finish()
            }
            if let writeError {
                printError(writeError.description)
                splitter?.abandon()
                annotator?.abandon()
                throw ExitStatus.cannotWrite
            }
            try splitter?.commit()
            try annotator?.commit()
            return failed
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
        bytes = 24
        total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        started = Date()
        last = started
    }

    func tick(bytes count: Int) {
        frames += 1
        bytes += count
        guard enabled, frames & 0x3FFF == 0 else { return }
        show()
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
        FileHandle.standardError.write(Data("\r\(frames) frames  \(Int(rate)) frames/s\(percent)   ".utf8))
    }

    func finish() {
        if enabled && frames >= 0x4000 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
