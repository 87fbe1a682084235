import Dispatch
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import PathReporters
import VPCTopology

/// Replays a capture on several cores while keeping every frame's output in input order.
///
/// The calling thread only reads: it copies each frame's bytes into a batch. The workers decode a
/// batch in parallel (by ranges), then classify it in parallel: each frame goes to the worker of
/// its host pair (the two addresses, in order-independent form), so both directions of every
/// connection, and every fragment of a datagram, meet the same ``CaptureClassifier`` in capture
/// order and per-connection state is exactly that of a single-threaded replay. Workers count into
/// their own ``Summary`` and format their frames; meanwhile the calling thread reads the next
/// batch (two batches in flight), then writes the finished batch's lines in order.
///
/// `jobs` counts the reading thread: `jobs - 1` workers (at least one) classify.
public struct ParallelReplayer {
    public let topology: Topology
    public var decoder: FrameDecoder
    public var capturePoint: InterfaceIndex?
    public let jobs: Int
    /// Frames per batch.
    public static let batchSize = 8192

    public init(topology: Topology, jobs: Int, decapsulatesVXLAN: Bool = true, capturePoint: InterfaceIndex? = nil) {
        self.topology = topology
        self.jobs = max(1, jobs)
        self.decoder = FrameDecoder(decapsulatesVXLAN: decapsulatesVXLAN)
        self.capturePoint = capturePoint
    }

    /// What the reader records of a frame: plain values, cheap to append.
    struct FrameInfo {
        var number: Int
        var seconds: Int64
        var nanoseconds: UInt32
        var length: Int
        var linkType: LinkType
        /// The captured bytes: `bytes[offset..<offset + captured]` of the batch.
        var offset: Int
        var captured: Int
    }

    /// What the workers make of a frame.
    struct Result {
        var content: FrameContent
        var worker: Int
        var line: String?
    }

    /// A batch in flight: the reader's frames and bytes, and the workers' results (each worker
    /// writes only its own frames' results).
    final class Batch: @unchecked Sendable {
        let frames: [FrameInfo]
        let bytes: [UInt8]
        let results: UnsafeMutablePointer<Result>

        init(frames: [FrameInfo], bytes: [UInt8]) {
            self.frames = frames
            self.bytes = bytes
            results = .allocate(capacity: frames.count)
            results.initialize(repeating: Result(content: .linkLocal(""), worker: 0), count: frames.count)
        }

        deinit {
            results.deinitialize(count: frames.count)
            results.deallocate()
        }
    }

    /// The workers' decoder, classifiers, summaries and formatters.
    final class Workers: @unchecked Sendable {
        let decoder: FrameDecoder
        let classifiers: [CaptureClassifier]
        let summaries: [Summary]
        /// One formatter per worker: formatters may keep caches (``JSONLinesWriter``).
        let formatters: [((PacketRecord) -> String)?]

        init(decoder: FrameDecoder, _ classifiers: [CaptureClassifier], formatters: [((PacketRecord) -> String)?]) {
            self.decoder = decoder
            self.classifiers = classifiers
            self.summaries = classifiers.map { _ in Summary() }
            self.formatters = formatters
        }

        /// Decodes, classifies, counts and formats a batch on every worker.
        func process(_ batch: Batch) {
            let jobs = classifiers.count
            let count = batch.frames.count
            let chunk = (count + jobs - 1) / jobs
            DispatchQueue.concurrentPerform(iterations: jobs) { part in
                batch.bytes.withUnsafeBytes { bytes in
                    for i in part * chunk..<min(count, (part + 1) * chunk) {
                        let frame = batch.frames[i]
                        let content = decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[frame.offset..<frame.offset + frame.captured]), linkType: frame.linkType)
                        var worker = 0
                        if case .packet(let packet) = content {
                            // Order-independent host pair: both directions and all fragments land together.
                            let h = packet.header
                            let (low, high) = h.source < h.destination ? (h.source, h.destination) : (h.destination, h.source)
                            worker = Int(PacketKey(low, high, tag: 0).mixedHash % UInt64(jobs))
                        }
                        batch.results[i] = Result(content: content, worker: worker)
                    }
                }
            }
            DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                let classifier = classifiers[worker]
                let summary = summaries[worker]
                let format = formatters[worker]
                for i in 0..<count where batch.results[i].worker == worker {
                    let (header, id) = CaptureReplayer.classify(batch.results[i].content, with: classifier)
                    summary.add(id.reason, header: header, length: batch.frames[i].length)
                    if let format {
                        batch.results[i].line = format(ParallelReplayer.record(batch.frames[i], header: header, classification: classifier.path(id)))
                    }
                }
            }
        }
    }

    /// The batches in flight: at most one is being processed while the reader fills the next.
    final class Pipeline {
        let workers: Workers
        let done = DispatchGroup()
        var inFlight: Batch?
        let writesLines: Bool

        init(_ workers: Workers, writesLines: Bool) {
            self.workers = workers
            self.writesLines = writesLines
        }

        /// Waits for the batch in flight and writes its lines.
        func finishInFlight(write: (String) -> Void) {
            guard let batch = inFlight else { return }
            done.wait()
            if writesLines {
                for i in 0..<batch.frames.count { if let line = batch.results[i].line { write(line) } }
            }
            inFlight = nil
        }

        /// Hands the frames read so far to the workers once the previous batch is written, and
        /// leaves the reader empty arrays of the same capacity.
        func launch(_ frames: inout [FrameInfo], _ bytes: inout [UInt8], write: (String) -> Void) {
            finishInFlight(write: write)
            let batch = Batch(frames: frames, bytes: bytes)
            done.enter()
            DispatchQueue.global().async { [workers, done] in
                workers.process(batch)
                done.leave()
            }
            inFlight = batch
            frames = []
            frames.reserveCapacity(ParallelReplayer.batchSize)
            bytes = []
            bytes.reserveCapacity(batch.bytes.count)
        }
    }

    /// Replays `path`, adding every frame to `summary`; when `format` is given, calls `write` with
    /// every frame's line in input order (built on the workers, each with its own formatter from
    /// `format`). `progress` receives each batch's frames and bytes read.
    /// - Returns: the number of frames.
    @discardableResult
    public func replay(
        _ path: String, into summary: Summary, format: (() -> (PacketRecord) -> String)?,
        write: (String) -> Void, progress: (_ frames: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws(CaptureError) -> Int {
        let workerCount = max(1, jobs - 1)
        let workers = Workers(
            decoder: decoder, (0..<workerCount).map { _ in
                // Counting alone needs reasons, not hops.
                CaptureClassifier(topology: topology, capturePoint: capturePoint, recordsPaths: format != nil)
            },
            formatters: (0..<workerCount).map { _ in format?() })
        let pipeline = Pipeline(workers, writesLines: format != nil)
        // The reader's state lives in locals touched only by the non-escaping closure below, so
        // the compiler checks their exclusive access statically, not once per frame.
        var frames: [FrameInfo] = []
        var bytes: [UInt8] = []
        var fileBytes = 0
        frames.reserveCapacity(Self.batchSize)
        var failure: CaptureError?
        let count: Int
        do {
            count = try CaptureReader(path: path).forEach { frame in
                frames.append(FrameInfo(
                    number: frame.number, seconds: frame.seconds, nanoseconds: frame.nanoseconds, length: frame.originalLength,
                    linkType: frame.linkType, offset: bytes.count, captured: frame.bytes.count))
                bytes.append(contentsOf: frame.bytes)
                fileBytes += frame.capturedLength + 16
                if frames.count == Self.batchSize {
                    progress(frames.count, fileBytes)
                    fileBytes = 0
                    pipeline.launch(&frames, &bytes, write: write)
                }
            }
        } catch {
            failure = error  // every complete frame before the damage is still reported
            count = 0
        }
        progress(frames.count, fileBytes)
        pipeline.launch(&frames, &bytes, write: write)
        pipeline.finishInFlight(write: write)
        for worker in workers.summaries { summary.merge(worker) }
        if let failure { throw failure }
        return count
    }

    static func record(_ frame: FrameInfo, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: frame.number, header: header, classification: classification, length: frame.length,
            time: CaptureReplayer.timeText(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }
}
