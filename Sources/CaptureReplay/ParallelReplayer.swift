import Dispatch
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import VPCTopology

/// Replays a capture on several cores while keeping every frame's output in input order.
///
/// The calling thread reads and decodes: each frame becomes a fixed-size record of a batch (its
/// number, time, length and ``FrameContent``), so no frame bytes are copied or kept. The workers
/// route a batch by ranges, then classify it in parallel: each frame goes to the worker of its
/// host pair (the two addresses, in order-independent form), so both directions of every
/// connection, and every fragment of a datagram, meet the same ``CaptureClassifier`` in capture
/// order and per-connection state is exactly that of a single-threaded replay. Workers count into
/// their own ``Summary`` and format their frames; meanwhile the calling thread reads the next
/// batch (up to ``Pipeline/depth`` batches in flight), then writes finished batches' lines in order.
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

    /// What the reader records of a frame: its place, time and length, and what it holds.
    struct FrameInfo {
        var number: Int
        var seconds: Int64
        var nanoseconds: UInt32
        var length: Int
        var content: FrameContent
    }

    /// A formatter: appends a frame's line, with its line feed, to a worker's text.
    public typealias Format = (PacketRecord, inout [UInt8]) -> Void

    /// A batch: the reader's frames and the workers' lines. Each worker appends its frames'
    /// lines to its own text and notes, per frame, its worker and where its line ends, so the
    /// lines are written in frame order without a `String` per line. Batches are recycled, so
    /// their buffers are allocated once.
    final class Batch: @unchecked Sendable {
        var frames: [FrameInfo] = []
        /// Per worker, its frames' lines in frame order.
        let texts: UnsafeMutablePointer<[UInt8]>
        let workerCount: Int
        /// Per frame: the worker that formatted it and the end of its line in that worker's text.
        let owners = UnsafeMutablePointer<Int32>.allocate(capacity: ParallelReplayer.batchSize)
        let lineEnds = UnsafeMutablePointer<Int>.allocate(capacity: ParallelReplayer.batchSize)
        /// Frames formatted.
        var lineCount = 0

        init(workers: Int) {
            workerCount = workers
            texts = .allocate(capacity: workers)
            texts.initialize(repeating: [], count: workers)
        }

        /// Forgets the lines (they are written); the buffers keep their capacity.
        func clearLines() {
            for worker in 0..<workerCount { texts[worker].removeAll(keepingCapacity: true) }
            lineCount = 0
        }

        /// Calls `write` with the lines in frame order, each run of consecutive frames of one
        /// worker at once (with one worker, the whole batch).
        func writeLines(_ write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
            var written = [Int](repeating: 0, count: workerCount)
            var i = 0
            while i < lineCount {
                let worker = Int(owners[i])
                var end = lineEnds[i]
                i += 1
                while i < lineCount, Int(owners[i]) == worker {
                    end = lineEnds[i]
                    i += 1
                }
                try texts[worker].withUnsafeBufferPointer { try write(UnsafeBufferPointer(rebasing: $0[written[worker]..<end])) }
                written[worker] = end
            }
        }

        deinit {
            texts.deinitialize(count: workerCount)
            texts.deallocate()
            owners.deallocate()
            lineEnds.deallocate()
        }
    }

    /// Frame indices by routing part and worker: `indices[(part * jobs + worker) * chunk ...]`,
    /// `counts[part * jobs + worker]` of them. Parts are consecutive ranges, so a worker reading
    /// its lists part by part meets its frames in capture order without scanning the others'.
    /// Shared by the workers: each part writes only its own lists.
    struct Routing: @unchecked Sendable {
        let indices: UnsafeMutablePointer<Int32>
        let counts: UnsafeMutablePointer<Int>
        let chunk: Int
    }

    /// A batch's memory as the workers share it: each worker writes only its own text and its
    /// own frames' owners and line ends.
    struct Shared: @unchecked Sendable {
        let frames: UnsafeBufferPointer<FrameInfo>
        let texts: UnsafeMutablePointer<[UInt8]>
        let owners: UnsafeMutablePointer<Int32>
        let lineEnds: UnsafeMutablePointer<Int>
    }

    /// The workers' classifiers, summaries and formatters.
    final class Workers: @unchecked Sendable {
        let classifiers: [CaptureClassifier]
        let summaries: [Summary]
        /// One formatter per worker: formatters may keep caches (``JSONLinesWriter``).
        let formatters: [Format?]

        /// Which frames of a batch each worker classifies.
        let route: Routing

        init(_ classifiers: [CaptureClassifier], formatters: [Format?]) {
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

        /// Classifies, counts and formats a batch on every worker.
        func process(_ batch: Batch) {
            batch.lineCount = formatters[0] == nil ? 0 : batch.frames.count
            batch.frames.withUnsafeBufferPointer { frames in
                process(Shared(frames: frames, texts: batch.texts, owners: batch.owners, lineEnds: batch.lineEnds))
            }
        }

        private func process(_ batch: Shared) {
            let jobs = classifiers.count
            let route = self.route
            if jobs == 1 {
                // One worker takes every frame, in order: nothing to route.
                route.counts[0] = batch.frames.count
                for i in 0..<batch.frames.count { route.indices[i] = Int32(i) }
            } else {
                self.route(batch)
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
                    let (header, id, conversation) = CaptureReplayer.classify(batch.frames[i].content, with: classifier) {
                        summary.conversation(of: $0)
                    }
                    summary.add(id.reason, conversation: conversation, length: batch.frames[i].length)
                    if let format {
                        format(ParallelReplayer.record(batch.frames[i], header: header, classification: classifier.path(id)), &batch.texts[worker])
                        batch.owners[i] = Int32(worker)
                        batch.lineEnds[i] = batch.texts[worker].count
                    }
                }
            }
        }

        /// Fills ``route``: the workers split the batch into consecutive parts and list each part's
        /// frames by the worker of their host pair.
        private func route(_ batch: Shared) {
            let jobs = classifiers.count
            let count = batch.frames.count
            let route = self.route
            DispatchQueue.concurrentPerform(iterations: jobs) { part in
                for worker in 0..<jobs { route.counts[part * jobs + worker] = 0 }
                for i in min(count, part * route.chunk)..<min(count, (part + 1) * route.chunk) {
                    var worker = 0
                    if case .packet(let packet) = batch.frames[i].content {
                        // Order-independent host pair: both directions and all fragments land together.
                        let h = packet.header
                        let (low, high) = h.source < h.destination ? (h.source, h.destination) : (h.destination, h.source)
                        worker = Int(PacketKey(low, high, tag: 0).mixedHash % UInt64(jobs))
                    }
                    let list = part * jobs + worker
                    route.indices[list * route.chunk + route.counts[list]] = Int32(i)
                    route.counts[list] += 1
                }
            }
        }
    }

    /// The batches in flight, oldest first: processed one after another, in order, on a serial
    /// queue, while the reader fills the next. With several in flight, a batch that takes the
    /// workers longer does not stop the reader, nor a slow read the workers.
    final class Pipeline {
        let workers: Workers
        /// Batches queued or being processed at most.
        static let depth = 3
        let queue = DispatchQueue(label: "packet-path.replay.workers")
        var inFlight: [(batch: Batch, done: DispatchSemaphore)] = []
        /// Batches whose lines were written, ready for reuse.
        var spares: [Batch] = []

        init(_ workers: Workers) { self.workers = workers }

        /// Waits for the oldest batch in flight, writes its lines and keeps it for reuse.
        func finishOldest(write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
            guard !inFlight.isEmpty else { return }
            let (batch, done) = inFlight.removeFirst()
            done.wait()
            defer {
                batch.clearLines()
                spares.append(batch)
            }
            try batch.writeLines(write)
        }

        /// Waits for every batch in flight, writing their lines in order.
        func finishAll(write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
            while !inFlight.isEmpty { try finishOldest(write: write) }
        }

        /// Waits for every batch in flight without writing: the output failed.
        func drain() {
            while !inFlight.isEmpty { inFlight.removeFirst().done.wait() }
        }

        /// Queues the frames read so far for the workers (first finishing the oldest batch when
        /// ``depth`` are in flight); the reader gets a spare batch's emptied buffer in exchange.
        func launch(_ frames: inout [FrameInfo], write: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
            if inFlight.count >= Self.depth { try finishOldest(write: write) }
            let batch = spares.popLast() ?? Batch(workers: workers.classifiers.count)
            swap(&batch.frames, &frames)
            frames.removeAll(keepingCapacity: true)
            let done = DispatchSemaphore(value: 0)
            queue.async { [workers] in
                workers.process(batch)
                done.signal()
            }
            inFlight.append((batch, done))
        }
    }

    /// Replays `path`, adding every frame to `summary`; when `format` is given, calls `write` with
    /// the frames' lines as UTF-8 bytes in input order, several lines at a time (built on the
    /// workers, each with its own formatter from `format`, which reads `detail` of each path).
    /// `progress` receives each batch's frames and bytes read.
    /// - Returns: the frames read (and pcapng blocks skipped).
    /// - Throws: ``CaptureError`` for damage (after every complete frame before it is written), or
    ///   what `write` throws, which ends the replay at once.
    @discardableResult
    public func replay(
        _ path: String, into summary: Summary, format: (() -> Format)?, detail: PathDetail = .full,
        write: (UnsafeBufferPointer<UInt8>) throws -> Void, progress: (_ frames: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> CaptureReader.Result {
        let workerCount = max(1, jobs - 1)
        let compiled = format == nil ? CompiledRoutes(topology) : nil
        let workers = Workers(
            (0..<workerCount).map { _ in
                CaptureClassifier(topology: topology, capturePoint: capturePoint, detail: format == nil ? .reason : detail, compiledRoutes: compiled)
            },
            formatters: (0..<workerCount).map { _ in format?() })
        let pipeline = Pipeline(workers)
        // The reader's state lives in locals touched only by the non-escaping closure below, so
        // the compiler checks their exclusive access statically, not once per frame.
        let decoder = self.decoder
        var frames: [FrameInfo] = []
        var fileBytes = 0
        frames.reserveCapacity(Self.batchSize)
        var failure: CaptureError?
        var result = CaptureReader.Result(frames: 0)
        do {
            result = try CaptureReader(path: path).forEach { frame in
                // Decoding here, not on the workers, costs the reader about what copying the
                // frame's bytes did, and a batch is then small fixed-size records (docs/decisions.md).
                frames.append(FrameInfo(
                    number: frame.number, seconds: frame.seconds, nanoseconds: frame.nanoseconds, length: frame.originalLength,
                    content: decoder.decode(frame.bytes, linkType: frame.linkType)))
                fileBytes += frame.capturedLength + 16
                if frames.count == Self.batchSize {
                    progress(frames.count, fileBytes)
                    fileBytes = 0
                    try pipeline.launch(&frames, write: write)
                }
            }
        } catch let damage as CaptureError {
            failure = damage  // every complete frame before the damage is still reported
        } catch {
            pipeline.drain()
            throw error
        }
        progress(frames.count, fileBytes)
        do {
            try pipeline.launch(&frames, write: write)
            try pipeline.finishAll(write: write)
        } catch {
            pipeline.drain()
            throw error
        }
        for worker in workers.summaries { summary.merge(worker) }
        if let failure { throw failure }
        return result
    }

    static func record(_ frame: FrameInfo, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: frame.number, header: header, classification: classification, length: frame.length,
            time: CaptureTime(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }
}
