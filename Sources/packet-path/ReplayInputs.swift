import ArgumentParser
import Dispatch
import CaptureReplay
import Decompression
import FlowLogs
import Foundation
import OutputFiles
import PacketSources
import PathClassifier
import PathCore
import TrafficAnalysis
import VPCTopology

/// What a replay reads — captures, flow logs or a flow file — and how: shared by `replay`,
/// `recommend` and `coverage`.
struct ReplayInputs: ParsableArguments {
    /// Captures or flow logs to replay, as arguments.
    @Argument(help: ArgumentHelp("pcap or pcapng captures, plain or gzip/zstd/xz (- reads standard input), or VPC Flow Log files and folders (S3 .log.gz, CloudWatch exports).", valueName: "input"))
    var arguments: [String] = []

    /// Captures given as tcpdump and tshark take them.
    @Option(name: .customShort("r"), help: ArgumentHelp("Read this capture or flow log, as tcpdump -r does (repeatable; the same as giving it as an argument).", valueName: "file"))
    var read: [String] = []

    /// Every input: the `-r` ones, then the arguments.
    var captures: [String] {
        get { read + arguments }
        set {
            read = []
            arguments = newValue
        }
    }

    /// What the inputs are.
    @Option(help: "What the inputs are: auto (by content: pcap and pcapng magic numbers, else flow logs; folders are flow logs), capture, or flow-log.")
    var input: InputKind = .auto

    /// The flow logs' format, for files without a header line.
    @Option(name: .customLong("log-format"), help: ArgumentHelp("The flow logs' format, as given to create-flow-logs ('${version} ${srcaddr} …'); S3 files carry theirs in their first line. Default: the default version-2 format.", valueName: "format"))
    var logFormat: String?

    /// A YAML flow file instead of captures.
    @Option(help: ArgumentHelp("Synthetic flows: a YAML flow file (docs/scenario-format.md), instead of captures.", valueName: "file"))
    var flows: String?

    /// The interface the capture was taken on.
    @Option(name: .customLong("capture-point"), help: ArgumentHelp("The interface (or instance) the capture was taken on; transit frames meet its source/destination check.", valueName: "name|id"))
    var capturePoint: String?

    /// Worker threads for capture replay, as asked.
    @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp("Classify on this many threads: captures keep per-connection order, flow log files are replayed side by side; the output order is kept. Default: one per core; at most 4 per core.", valueName: "n"))
    var requestedJobs: Int?

    /// Worker threads for capture replay.
    var jobs: Int { requestedJobs ?? ProcessInfo.processInfo.activeProcessorCount }

    /// Judge synthetic flows by their first packet alone.
    @Flag(name: .customLong("one-way"), help: "With --flows: judge each flow's first packet alone; by default its reply is walked too (R19.7).")
    var oneWay = false

    /// A capture filter, as tcpdump takes it.
    @Option(name: [.customShort("f"), .long], help: ArgumentHelp("Replay only the frames this capture filter selects (tcpdump's expression language, compiled by libpcap: 'tcp port 443', 'host 10.0.7.10 and not arp'); the others are counted, not judged.", valueName: "expression"))
    var filter: String?

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
        if flows != nil && capturePoint != nil { throw ValidationError("'--capture-point' applies to captures only") }
        if flows == nil && oneWay { throw ValidationError("'--one-way' applies to '--flows' (a capture holds its replies as frames)") }
        if let filter {
            if flows != nil { throw ValidationError("'--filter' applies to captures") }
            do { _ = try CaptureFilter(filter) } catch { throw ValidationError("'--filter \(filter)': \(error)") }
        }
    }

    /// Which kind of input a replay's lines come from.
    enum Source {
        case flows
        case flowLog
        /// A capture, named when the run replays several (CSV's capture column).
        case capture(String?)

        var capture: String? {
            if case .capture(let name) = self { return name }
            return nil
        }
    }

    /// What a replay ended with: the flow logs' tally (for flow logs) and whether an input was damaged.
    struct Outcome {
        var tally: FlowLogTally?
        var failed: Bool
    }

    /// Replays the inputs — `logs` when they are flow logs (``flowLogInputs()``) — counting into
    /// `summary` and handing each packet to the lines `lines` gives for its source.
    func replay(
        topology: Topology, logs: [String]?, summary: Summary, lines: (Source) -> Replayer.Lines?, detail: PathDetail,
        splitter: CaptureSplitter? = nil, annotator: PcapngAnnotator? = nil, notesSkippedBlocks: Bool = true
    ) throws -> Outcome {
        if let flows {
            let replayer = Replayer(topology: topology, jobs: 1)
            let source = try syntheticFlows(try loadFlows(flows), file: flows, topology: topology)
            try replayer.replay(source, oneWay: oneWay, into: summary, lines: lines(.flows))
            return Outcome(tally: nil, failed: false)
        }
        if let logs {
            let (tally, failed) = try replayFlowLogs(logs, topology: topology, summary: summary, lines: lines(.flowLog), detail: detail)
            return Outcome(tally: tally, failed: failed)
        }
        let failed = try replayCaptures(
            topology: topology, summary: summary, lines: lines, detail: detail, splitter: splitter, annotator: annotator,
            notesSkippedBlocks: notesSkippedBlocks)
        return Outcome(tally: nil, failed: failed)
    }

    /// `report` (the analyzers' counts of a replay) completed with what the replay itself counted:
    /// the flow logs' tally, and the records read and filtered out, against which every judged
    /// record is accounted for (``TrafficReport/unaccounted``).
    func complete(_ report: inout TrafficReport, summary: Summary, outcome: Outcome) {
        report.flowLogs = outcome.tally ?? FlowLogTally()
        if let tally = outcome.tally {
            report.read = tally.records
        } else if flows != nil {
            report.read = report.total.records
        } else {
            report.read = summary.framesRead
            report.filtered = summary.filteredFrames
        }
    }

    /// The flow log files to read, when the inputs are flow logs (by `--input`, or by content:
    /// a folder, or a file that is neither pcap nor pcapng); `nil` for captures and flows.
    func flowLogInputs() throws -> [String]? {
        if input == .capture || flows != nil { return nil }
        var files: [String] = []
        for path in captures {
            if path == "-" {
                // Standard input is kept (StandardInput), so it can be looked at like a file.
                guard input == .flowLog || !CaptureReader.isCapture(path) else { return nil }
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
        _ files: [String], topology: Topology, summary: Summary, lines: Replayer.Lines?, detail: PathDetail
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
        // Files are independent (connection state does not cross them): up to --jobs of them are
        // replayed at once, each into its own buffer, and emitted in the order given.
        let shared = SharedLines(lines)
        let format = given
        var tally = FlowLogTally()
        var failed = false
        var next = 0
        while next < files.count {
            let batch = Array(files[next..<min(next + jobs, files.count)])
            next += batch.count
            let results = batch.map { _ in FlowLogFileResult() }
            DispatchQueue.concurrentPerform(iterations: batch.count) { index in
                results[index].replay(batch[index], topology: topology, format: format, lines: shared.lines, detail: detail)
            }
            for result in results {
                for message in result.messages { printError(message) }
                if let status = result.status { throw status }
                if let lines, !result.text.isEmpty { try result.text.withUnsafeBufferPointer { try lines.write($0) } }
                summary.merge(result.summary)
                tally += result.tally
                failed = failed || result.failed
            }
            // The batch's files are done: their per-file state may be folded together.
            lines?.settle?()
        }
        return (tally, failed)
    }

    /// Replays every capture; returns whether one was damaged (its complete frames are still reported).
    func replayCaptures(
        topology: Topology, summary: Summary, lines: (Source) -> Replayer.Lines?, detail: PathDetail, splitter: CaptureSplitter?,
        annotator: PcapngAnnotator?, notesSkippedBlocks: Bool
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
        let compiled = try filter.map { expression in
            do { return try CaptureFilter(expression) } catch {
                printError("error: --filter: \(error)")
                throw ExitStatus.badInput
            }
        }
        let replayer = Replayer(topology: topology, jobs: jobs, decapsulatesVXLAN: !noVXLAN, capturePoint: point, filter: compiled)
        var failed = false
        let progress = Progress()
        /// The comments the capture being replayed already has, kept by --annotate.
        var metadata = PcapngMetadata()
        /// Writes a frame to the capture outputs (--split, --annotate).
        func writeFrame(_ frame: CaptureFrame, _ header: PacketHeader?, _ classification: Classification) throws {
            try splitter?.write(frame, group: classification.verdict.rawValue)
            if let annotator {  // the comment is built only when written
                let via = classification.decisiveHop.map { " via \($0.resource.id)" } ?? ""
                try annotator.write(
                    frame, comment: "packet-path: \(classification.verdict.rawValue) \(classification.reason.rawValue)\(via)",
                    keeping: metadata.comments[frame.number] ?? [])
            }
        }
        for (position, capture) in captures.enumerated() {
            if let annotator {
                metadata = (try? PcapngMetadata.read(capture)) ?? PcapngMetadata()
                // The annotated capture keeps the first input's Section Header options.
                if position == 0 { annotator.sectionOptions = metadata.sectionOptions }
            }
            // Records name their capture when there are several (CSV's capture column).
            let lines = lines(.capture(captures.count > 1 ? capture : nil))
            progress.start(capture)
            defer { progress.finish() }
            do {
                let result = try replayer.replay(
                    capture, into: summary, lines: lines, frames: splitter == nil && annotator == nil ? nil : writeFrame, detail: detail,
                    progress: progress.add)
                summary.skippedBlocks.merge(result.skippedBlocks, uniquingKeysWith: +)
                summary.filteredFrames += result.filtered
                summary.framesRead += result.frames
                if !result.skippedBlocks.isEmpty && notesSkippedBlocks {
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

/// A replay's lines, handed to the workers that replay flow log files (each makes its own format
/// from them and writes into its own buffer).
final class SharedLines: @unchecked Sendable {
    let lines: Replayer.Lines?
    init(_ lines: Replayer.Lines?) { self.lines = lines }
}

/// One flow log file replayed on a worker: its lines, counts and messages, emitted in file order
/// by the caller. Unchecked `Sendable`: one worker fills it, then the caller reads it.
final class FlowLogFileResult: @unchecked Sendable {
    var text: [UInt8] = []
    let summary = Summary()
    var tally = FlowLogTally()
    /// `file:line: error: …` messages, in order.
    var messages: [String] = []
    var failed = false
    /// The exit status that ends the run (the file cannot be read).
    var status: ExitCode?

    /// Reads (`-`: standard input), decompresses, parses and replays `file`.
    func replay(_ file: String, topology: Topology, format: FlowLogFormat?, lines: Replayer.Lines?, detail: PathDetail) {
        guard var bytes = readBytes(file).map({ [UInt8]($0) }) else {
            messages.append("\(file): error: cannot read")
            status = ExitStatus.cannotRead
            return
        }
        if let compression = Compression(magic: bytes) {
            do {
                bytes = try compression.decompress(bytes)
            } catch {
                messages.append("\(file): error: \(error)")
                failed = true
                return
            }
        }
        let log = FlowLogText(utf8: bytes, format: format)
        messages += log.problems.map { "\(file):\($0.line): error: \($0.error)" }
        failed = !log.problems.isEmpty
        let buffered = lines.map { lines in
            Replayer.Lines(format: lines.format, write: { [unowned self] in self.text.append(contentsOf: $0) }, capture: lines.capture)
        }
        // Writing into memory cannot fail.
        tally = (try? Replayer(topology: topology, jobs: 1).replay(flowLog: log, file: file, into: summary, lines: buffered, detail: detail)) ?? tally
    }
}

