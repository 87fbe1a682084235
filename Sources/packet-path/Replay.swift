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
            abstract: "Classify every frame of pcap/pcapng captures, every record of VPC Flow Logs against what it observed, or every packet of synthetic flows; text ends with a summary.")

        @OptionGroup var options: TopologyOptions

        /// Captures or flow logs to replay.
        @Argument(help: ArgumentHelp("pcap or pcapng captures (- reads standard input), or VPC Flow Log files and folders (S3 .log.gz, CloudWatch exports).", valueName: "input"))
        var captures: [String] = []

        /// What the inputs are.
        @Option(help: "What the inputs are: auto (by content: pcap and pcapng magic numbers, else flow logs; folders are flow logs), capture, or flow-log.")
        var input: InputKind = .auto

        /// The flow logs' format, for files without a header line.
        @Option(name: .customLong("log-format"), help: ArgumentHelp("The flow logs' format, as given to create-flow-logs ('${version} ${srcaddr} …'); S3 files carry theirs in their first line. Default: the default version-2 format.", valueName: "format"))
        var logFormat: String?

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
        @Option(help: "Classify captures on this many cores, keeping per-connection order and the output order (default: all cores; at most 4 per core).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        /// Judge synthetic flows by their first packet alone.
        @Flag(name: .customLong("one-way"), help: "With --flows: judge each flow's first packet alone; by default its reply is walked too (R19.7).")
        var oneWay = false

        /// Do not decapsulate VXLAN.
        @Flag(name: .customLong("no-vxlan"), help: "Classify UDP 4789 as it is instead of decapsulating VXLAN (Traffic Mirroring).")
        var noVXLAN = false

        /// The most `--jobs` accepted: four threads per core (each worker holds a classifier and
        /// a share of every batch; more threads than that only wait).
        static var maximumJobs: Int { ProcessInfo.processInfo.activeProcessorCount * 4 }

        enum InputKind: String, ExpressibleByArgument, CaseIterable {
            case auto
            case capture
            case flowLog = "flow-log"
        }

        func validate() throws {
            if flows != nil && !captures.isEmpty { throw ValidationError("give captures or '--flows', not both") }
            if flows == nil && captures.isEmpty { throw ValidationError("give one or more captures, or '--flows FILE'") }
            guard (1...Self.maximumJobs).contains(jobs) else {
                throw ValidationError("'--jobs' is from 1 to \(Self.maximumJobs) (4 per core on this machine)")
            }
            if flows != nil && (split != nil || annotate != nil || capturePoint != nil) {
                throw ValidationError("'--split', '--annotate' and '--capture-point' apply to captures only")
            }
            if flows == nil && oneWay { throw ValidationError("'--one-way' applies to '--flows' (a capture holds its replies as frames)") }
        }

        func run() throws {
            let topology = try options.load()
            let sink = try OutputFile(output ?? "-")
            let splitter = try split.map { try CaptureSplitter(directory: $0) }
            let annotator = try annotate.map { try PcapngAnnotator(path: $0) }
            let failed = try run(topology: topology, sink: sink, splitter: splitter, annotator: annotator)
            // Every output is written out before any is renamed into place: a full disk
            // leaves them all as they were.
            try sink.finishWriting()
            try splitter?.finishWriting()
            try annotator?.finishWriting()
            try splitter?.commit()
            try annotator?.commit()
            try sink.commit()
            if failed { throw ExitStatus.badInput }
        }

        /// Writes every packet's line to `sink` (and frames to `splitter` and `annotator`);
        /// returns whether a capture was damaged.
        func run(topology: Topology, sink: OutputFile, splitter: CaptureSplitter?, annotator: PcapngAnnotator?) throws -> Bool {
            let summary = Summary()
            let logs = flows == nil ? try flowLogInputs() : nil
            if format == .csv {
                try sink.writeLine(logs != nil ? FlowLogCSVReporter.header : captures.count > 1 ? CSVReporter.headerWithCapture : CSVReporter.header)
            }
            let write: (UnsafeBufferPointer<UInt8>) throws -> Void = { try sink.write($0) }
            var failed = false
            if let flows {
                let replayer = Replayer(topology: topology, jobs: 1)
                let source = try syntheticFlows(try loadFlows(flows), file: flows, topology: topology)
                try replayer.replay(source, oneWay: oneWay, into: summary, lines: lines(write: write, capture: nil))
            } else if let logs {
                let tally: FlowLogTally
                (tally, failed) = try replayFlowLogs(logs, topology: topology, summary: summary, write: write)
                if format == .text || format == .summary {
                    if format == .text { try sink.writeLine("") }
                    try sink.writeLine(summary.text(top: 10))
                    try sink.writeLine(tally.text(top: 10))
                }
                return failed
            } else {
                failed = try replayCaptures(topology: topology, summary: summary, splitter: splitter, annotator: annotator, write: write)
            }
            if format == .text || format == .summary {
                if format == .text { try sink.writeLine("") }
                try sink.writeLine(summary.text(top: flows == nil ? 10 : 0))
            }
            return failed
        }

        /// The per-packet lines of `--format`, written by `write`; `nil` for the summary alone.
        /// - Parameter capture: the name records carry (CSV's capture column), when several captures run.
        func lines(write: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void, capture: String?) -> Replayer.Lines? {
            switch format {
            // One writer per worker: each caches its paths' renderings.
            case .text: return Replayer.Lines(format: { PathLineWriter<TextReporter>().append }, write: write, capture: capture)
            case .csv: return Replayer.Lines(format: { PathLineWriter<CSVReporter>().append }, write: write, capture: capture)
            case .jsonl: return Replayer.Lines(format: { PathLineWriter<JSONLinesReporter>().append }, write: write, capture: capture)
            case .summary: return nil
            }
        }

        /// The flow log files to read, when the inputs are flow logs (by `--input`, or by content:
        /// a folder, or a file that is neither pcap nor pcapng); `nil` for captures.
        func flowLogInputs() throws -> [String]? {
            if input == .capture { return nil }
            var files: [String] = []
            for path in captures {
                if path == "-" {
                    // Standard input cannot be looked at twice: a capture unless --input flow-log.
                    guard input == .flowLog else { return nil }
                    files.append(path)
                    continue
                }
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                    printError("\(path): error: no such file")
                    throw ExitStatus.cannotRead
                }
                if isFolder.boolValue {
                    // An S3 export's AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/ tree, or any folder of logs.
                    let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String }
                        .filter { $0.hasSuffix(".log") || $0.hasSuffix(".log.gz") || $0.hasSuffix(".txt") || $0.hasSuffix(".json") }
                        .sorted() ?? []
                    if found.isEmpty {
                        printError("\(path): error: no flow log files (*.log, *.log.gz, *.txt, *.json) in this folder")
                        throw ExitStatus.badInput
                    }
                    files += found.map { (path as NSString).appendingPathComponent($0) }
                } else if input == .flowLog || !CaptureReader.isCapture(path) {
                    files.append(path)
                } else {
                    return nil
                }
            }
            return files
        }

        /// Replays flow log files: each read whole (gzip decompressed), its malformed lines reported
        /// as `file:line: error:` and the rest replayed; returns the tally and whether any file had
        /// a problem.
        func replayFlowLogs(
            _ files: [String], topology: Topology, summary: Summary, write: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void
        ) throws -> (FlowLogTally, Bool) {
            var given: FlowLogFormat?
            if let logFormat {
                do {
                    given = try FlowLogFormat(parsing: logFormat)
                } catch {
                    printError("error: --log-format: \(error)")
                    throw ExitStatus.badInput
                }
            }
            let replayer = Replayer(topology: topology, jobs: 1)
            let detail: PathDetail = format == .jsonl ? .full : .decisive
            var tally = FlowLogTally()
            var failed = false
            for file in files {
                let contents = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
                guard var bytes = contents.map({ [UInt8]($0) }) else {
                    printError("\(file): error: cannot read")
                    throw ExitStatus.cannotRead
                }
                if Gzip.isCompressed(bytes) {
                    do {
                        bytes = try Gzip.decompress(bytes)
                    } catch {
                        printError("\(file): error: \(error)")
                        failed = true
                        continue
                    }
                }
                let log = FlowLogText(String(decoding: bytes, as: UTF8.self), format: given)
                for problem in log.problems { printError("\(file):\(problem.line): error: \(problem.error)") }
                failed = failed || !log.problems.isEmpty
                let lines = format == .csv
                    ? Replayer.Lines(format: { PathLineWriter<FlowLogCSVReporter>().append }, write: write) : lines(write: write, capture: nil)
                tally += try replayer.replay(flowLog: log, file: file, into: summary, lines: lines, detail: detail)
            }
            return (tally, failed)
        }

        /// Replays every capture; returns whether one was damaged (its complete frames are still reported).
        func replayCaptures(
            topology: Topology, summary: Summary, splitter: CaptureSplitter?, annotator: PcapngAnnotator?,
            write: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void
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
            for capture in captures where capture != "-" && !FileManager.default.fileExists(atPath: capture) {
                printError("\(capture): error: no such file")
                throw ExitStatus.cannotRead
            }
            let replayer = Replayer(topology: topology, jobs: jobs, decapsulatesVXLAN: !noVXLAN, capturePoint: point)
            var failed = false
            let progress = Progress()
            // JSONL prints every hop; text and CSV lines, --split and --annotate only the deciding resource.
            let detail: PathDetail = format == .jsonl ? .full : .decisive
            /// Writes a frame to the capture outputs (--split, --annotate).
            func writeFrame(_ frame: CaptureFrame, _ header: PacketHeader?, _ classification: Classification) throws {
                try splitter?.write(frame, group: classification.verdict.rawValue)
                if let annotator {  // the comment is built only when written
                    let via = classification.decisiveHop.map { " via \($0.resource.id)" } ?? ""
                    try annotator.write(frame, comment: "packet-path: \(classification.verdict.rawValue) \(classification.reason.rawValue)\(via)")
                }
            }
            for capture in captures {
                // Records name their capture when there are several (CSV's capture column).
                let lines = lines(write: write, capture: captures.count > 1 ? capture : nil)
                progress.start(capture)
                defer { progress.finish() }
                do {
                    let result = try replayer.replay(
                        capture, into: summary, lines: lines, frames: splitter == nil && annotator == nil ? nil : writeFrame, detail: detail,
                        progress: progress.add)
                    summary.skippedBlocks.merge(result.skippedBlocks, uniquingKeysWith: +)
                    if !result.skippedBlocks.isEmpty && format != .text && format != .summary {
                        printError("\(capture): note: \(Summary.describe(skippedBlocks: result.skippedBlocks))")
                    }
                } catch let damage as CaptureError {
                    // Every complete frame before the damage was classified and reported; the next capture goes on.
                    printError("\(damage)")
                    failed = true
                }
            }
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
