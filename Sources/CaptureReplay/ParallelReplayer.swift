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
        var line: String?
    }

    /// A batch: the reader's frames and bytes, and the workers' results (each worker writes only
    /// its own frames' results). Batches are recycled, so their buffers are allocated once: a fresh
    /// multi-megabyte buffer per batch cost a page fault per 4 KiB read.
    final class Batch: @unchecked Sendable {
        var frames: [FrameInfo] = []
        var bytes: [UInt8] = []
        let results = UnsafeMutablePointer<Result>.allocate(capacity: ParallelReplayer.batchSize)
        /// Results initialized.
        var resultCount = 0

        /// Forgets the results (their lines are written); the buffers keep their capacity.
        func clearResults() {
            results.deinitialize(count: resultCount)
            resultCount = 0
        }

        deinit {
            clearResults()
            results.deallocate()
        }
    }

    /// Frame indices by decoding part and worker: `indices[(part * jobs + worker) * chunk ...]`,
    /// `counts[part * jobs + worker]` of them. Parts are consecutive ranges, so a worker reading
    /// its lists part by part meets its frames in capture order without scanning the others'.
    /// Shared by the workers: each part writes only its own lists.
    struct Routing: @unchecked Sendable {
        let indices: UnsafeMutablePointer<Int32>
        let counts: UnsafeMutablePointer<Int>
        let chunk: Int
    }

    /// A batch's memory as the workers share it: each worker writes only its own results.
    struct Shared: @unchecked Sendable {
        let frames: UnsafeBufferPointer<FrameInfo>
        let bytes: UnsafeRawBufferPointer
        let results: UnsafeMutablePointer<Result>
    }

    /// The workers' decoder, classifiers, summaries and formatters.
    final class Workers: @unchecked Sendable {
        let decoder: FrameDecoder
        let classifiers: [CaptureClassifier]
        let summaries: [Summary]
        /// One formatter per worker: formatters may keep caches (``JSONLinesWriter``).
        let formatters: [((PacketRecord) -> String)?]

        /// Which frames of a batch each worker classifies.
        let route: Routing

        init(decoder: FrameDecoder, _ classifiers: [CaptureClassifier], formatters: [((PacketRecord) -> String)?]) {
            self.decoder = decoder
            self.classifiers = classifiers
            self.summaries = classifiers.map { _ in Summary() }
            self.formatters = formatters
            let jobs = classifiers.count
            let chunk = (ParallelReplayer.batchSize + jobs - 1) / jobs
            route = Routing(indices: .allocate(capacity: jobs * jobs * chunk), counts: .allocate(capacity: jobs * jobs), chunk: chunk)
        }

        deinit {
            route.indices.deallocate()
            route.counts.deallocate()
        }

        /// Decodes, classifies, counts and formats a batch on every worker.
        func process(_ batch: Batch) {
            batch.frames.withUnsafeBufferPointer { frames in
                batch.bytes.withUnsafeBytes { bytes in
                    process(Shared(frames: frames, bytes: bytes, results: batch.results))
                }
            }
            batch.resultCount = batch.frames.count
        }

        private func process(_ batch: Shared) {
            let jobs = classifiers.count
            let count = batch.frames.count
            let route = self.route
            DispatchQueue.concurrentPerform(iterations: jobs) { part in
                for worker in 0..<jobs { route.counts[part * jobs + worker] = 0 }
                for i in min(count, part * route.chunk)..<min(count, (part + 1) * route.chunk) {
                    let frame = batch.frames[i]
                    let content = decoder.decode(UnsafeRawBufferPointer(rebasing: batch.bytes[frame.offset..<frame.offset + frame.captured]), linkType: frame.linkType)
                    var worker = 0
                    if case .packet(let packet) = content {
                        // Order-independent host pair: both directions and all fragments land together.
                        let h = packet.header
                        let (low, high) = h.source < h.destination ? (h.source, h.destination) : (h.destination, h.source)
                        worker = Int(PacketKey(low, high, tag: 0).mixedHash % UInt64(jobs))
                    }
                    (batch.results + i).initialize(to: Result(content: content))
                    let list = part * jobs + worker
                    route.indices[list * route.chunk + route.counts[list]] = Int32(i)
                    route.counts[list] += 1
                }
            }
            DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                let classifier = classifiers[worker]
                let summary = summaries[worker]
                let format = formatters[worker]
                for part in 0..<jobs {
                    let list = part * jobs + worker
                    for n in 0..<route.counts[list] { classify(Int(route.indices[list * route.chunk + n])) }
                }
                func classify(_ i: Int) {
                    let (header, id, conversation) = CaptureReplayer.classify(batch.results[i].content, with: classifier) {
                        summary.conversation(of: $0)
                    }
                    summary.add(id.reason, conversation: conversation, length: batch.frames[i].length)
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
        /// The batch whose lines were written last, ready for reuse.
        var spare: Batch?
        let writesLines: Bool

        init(_ workers: Workers, writesLines: Bool) {
            self.workers = workers
            self.writesLines = writesLines
        }

        /// Waits for the batch in flight, writes its lines and keeps it for reuse.
        func finishInFlight(write: (String) -> Void) {
            guard let batch = inFlight else { return }
            done.wait()
            if writesLines {
                for i in 0..<batch.resultCount { if let line = batch.results[i].line { write(line) } }
            }
            batch.clearResults()
            spare = batch
            inFlight = nil
        }

        /// Hands the frames read so far to the workers once the previous batch is written; the
        /// reader gets the spare batch's emptied buffers in exchange.
        func launch(_ frames: inout [FrameInfo], _ bytes: inout [UInt8], write: (String) -> Void) {
            finishInFlight(write: write)
            let batch = spare ?? Batch()
            spare = nil
            swap(&batch.frames, &frames)
            swap(&batch.bytes, &bytes)
            frames.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            done.enter()
            DispatchQueue.global().async { [workers, done] in
                workers.process(batch)
                done.leave()
            }
            inFlight = batch
        }
    }

    /// Replays `path`, adding every frame to `summary`; when `format` is given, calls `write` with
    /// every frame's line in input order (built on the workers, each with its own formatter from
    /// `format`, which reads `detail` of each path). `progress` receives each batch's frames and
    /// bytes read.
    /// - Returns: the number of frames.
    @discardableResult
    public func replay(
        _ path: String, into summary: Summary, format: (() -> (PacketRecord) -> String)?, detail: PathDetail = .full,
        write: (String) -> Void, progress: (_ frames: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws(CaptureError) -> Int {
        let workerCount = max(1, jobs - 1)
        let compiled = format == nil ? CompiledRoutes(topology) : nil
        let workers = Workers(
            decoder: decoder, (0..<workerCount).map { _ in
                CaptureClassifier(topology: topology, capturePoint: capturePoint, detail: format == nil ? .reason : detail, compiledRoutes: compiled)
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
            time: CaptureTime(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }
}
