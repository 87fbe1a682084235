import Dispatch
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import VPCTopology

/// Replays a capture: every frame read, decoded, classified with connection state and counted,
/// exactly once and in order, then handed to the sinks — lines formatted per frame (text, CSV,
/// JSONL) and frames handed back with their classification (`--split`, `--annotate`, tests).
///
/// The calling thread reads and decodes: each frame becomes a fixed-size record of a batch (its
/// number, time, lengths and ``FrameContent``); its bytes are copied into the batch only when a
/// frame sink will write them. The workers route a batch by ranges, then classify it: each frame
/// goes to the worker of its host pair (the two addresses, in order-independent form), so both
/// directions of every connection, and every fragment of a datagram, meet the same
/// ``CaptureClassifier`` in capture order and per-connection state is exactly that of one worker.
/// Workers count into their own ``Summary`` and format their frames; meanwhile the calling thread
/// reads the next batch (up to ``Pipeline/depth`` batches in flight), then hands finished batches
/// to the sinks in order.
///
/// `jobs` counts the reading thread: with one job, the one worker classifies each batch on the
/// reading thread (the same code, no other thread); with more, `jobs - 1` workers classify while
/// the reader reads.
public struct Replayer {
    public let topology: Topology
    package var decoder: FrameDecoder
    public var capturePoint: InterfaceIndex?
    public let jobs: Int
    /// Frames per batch.
    package static let batchSize = 8192

    public init(topology: Topology, jobs: Int, decapsulatesVXLAN: Bool = true, capturePoint: InterfaceIndex? = nil, filter: CaptureFilter? = nil) {
        self.topology = topology
        self.jobs = max(1, jobs)
        self.decoder = FrameDecoder(decapsulatesVXLAN: decapsulatesVXLAN)
        self.capturePoint = capturePoint
        self.filter = filter
    }

    /// The capture filter (`--filter`): frames it refuses are read and counted, not judged.
    public let filter: CaptureFilter?

    /// What the reader records of a frame: its place, time, lengths and link type, where its bytes
    /// are in the batch (when kept), and what it holds.
    struct FrameInfo {
        var number: Int
        var seconds: Int64
        var nanoseconds: UInt32
        var length: Int
        var capturedLength: Int
        var linkType: LinkType
        var byteOffset: Int
        var content: FrameContent
    }

    /// A formatter: appends a frame's line, with its line feed, to a worker's text.
    public typealias Format = (PacketRecord, LineBuffer) -> Void

    /// Per-frame lines: a formatter per worker (formatters may keep caches), and where the lines
    /// go, several at a time, in frame order.
    public struct Lines {
        public var format: () -> Format
        public var write: (UnsafeBufferPointer<UInt8>) throws -> Void
        /// The capture's name for each record (``PacketRecord/capture``), when a run replays several.
        public var capture: String?
        /// Called when every format made so far has formatted its last record (after each batch
        /// of flow log files), so that per-format state can be folded together early.
        public var settle: (() -> Void)?

        public init(
            format: @escaping () -> Format, write: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void, capture: String? = nil,
            settle: (() -> Void)? = nil
        ) {
            self.format = format
            self.write = write
            self.capture = capture
            self.settle = settle
        }

        /// These lines, with each record handed to `other`'s format too (which writes nothing of its
        /// own: a counting pass beside the lines).
        public func alongside(_ other: Lines) -> Lines {
            let format = format
            return Lines(
                format: {
                    let first = format(), second = other.format()
                    return { packet, text in
                        first(packet, text)
                        second(packet, text)
                    }
                }, write: write, capture: capture, settle: { [settle, other] in settle?(); other.settle?() })
        }

        /// Writes what `text` holds and empties it, once it holds at least `threshold` bytes: the
        /// single-threaded sources (synthetic flows, flow logs) format into one buffer and write it
        /// a piece at a time.
        func flush(_ text: LineBuffer, atLeast threshold: Int = 1) throws {
            guard text.count >= max(threshold, 1) else { return }
            try text.withBytes { try write($0) }
            text.removeAll()
        }
    }

    /// A frame handed back in capture order with its header (if IP) and classification (as much of
    /// it as the replay's ``PathDetail`` records); the frame's bytes are valid during the call.
    public typealias FrameSink = (CaptureFrame, PacketHeader?, Classification) throws -> Void

    /// What a worker made of a frame, for the frame sink.
    struct FrameOutcome {
        var header: PacketHeader?
        var classification: Classification
    }

    /// A batch: the reader's frames and the workers' lines and outcomes. Each worker appends its
    /// frames' lines to its own text and notes, per frame, its worker and where its line ends, so
    /// the lines are written in frame order without a `String` per line. Batches are recycled, so
    /// their buffers are allocated once.
    final class Batch: Sendable {
        /// The frames, ``count`` of them, built in place by the reader and freed by ``clear(keepingOutcomes:)``.
        let frames: SharedBuffer<FrameInfo>
        /// The frames' bytes, when a frame sink needs them (``FrameInfo/byteOffset``).
        let frameBytes = SharedBuffer<[UInt8]>(repeating: [], count: 1)
        /// Frames read, frames formatted.
        let counts = SharedBuffer<Int>(repeating: 0, count: 2)
        var count: Int { counts[0] }
        /// Per frame, what its worker made of it, when a frame sink needs it.
        let outcomes: SharedBuffer<FrameOutcome?>
        /// Per worker, its frames' lines in frame order.
        let texts: SharedBuffer<LineBuffer>
        /// Per frame: the worker that formatted it and the end of its line in that worker's text.
        let owners: SharedBuffer<Int32>
        let lineEnds: SharedBuffer<Int>

        /// - Parameters:
        ///   - capacity: frames per batch (``Replayer/batchSize``, fewer for a smaller capture).
        ///   - formats, keepsOutcomes: whether lines and outcomes are kept (their buffers are
        ///     empty otherwise).
        init(capacity: Int, workers: Int, formats: Bool, keepsOutcomes: Bool) {
            frames = SharedBuffer(uninitializedCapacity: capacity)
            outcomes = SharedBuffer(repeating: nil, count: keepsOutcomes ? capacity : 0)
            texts = SharedBuffer(count: formats ? workers : 0) { _ in LineBuffer(capacity: capacity * 64 / workers) }
            owners = SharedBuffer(repeating: 0, count: formats ? capacity : 0)
            lineEnds = SharedBuffer(repeating: 0, count: formats ? capacity : 0)
        }

        var capacity: Int { frames.capacity }

        deinit { frames.deinitialize(first: count) }

        /// Forgets the frames, lines and outcomes (they are handed on); the buffers keep their capacity.
        func clear(keepingOutcomes: Bool) {
            for worker in 0..<texts.count { texts[worker].removeAll() }
            if keepingOutcomes { for i in 0..<count { outcomes[i] = nil } }
            frameBytes[0].removeAll(keepingCapacity: true)
            frames.deinitialize(first: count)
            counts[0] = 0
            counts[1] = 0
        }

        /// Calls `sink` with every frame, its bytes and its outcome, in frame order.
        func handFrames(to sink: FrameSink) throws {
            try frameBytes[0].withUnsafeBytes { bytes in
                for i in 0..<count {
                    let info = frames[i]
                    guard let outcome = outcomes[i] else { preconditionFailure("frame \(info.number) has no outcome") }
                    let frame = CaptureFrame(
                        number: info.number, seconds: info.seconds, nanoseconds: info.nanoseconds, capturedLength: info.capturedLength,
                        originalLength: info.length, linkType: info.linkType,
                        bytes: UnsafeRawBufferPointer(rebasing: bytes[info.byteOffset..<info.byteOffset + info.capturedLength]))
                    try sink(frame, outcome.header, outcome.classification)
                }
            }
        }

        /// Calls `write` with the lines in frame order, each run of consecutive frames of one
        /// worker at once (with one worker, the whole batch).
        func writeLines(_ write: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
            var written = [Int](repeating: 0, count: texts.count)
            let lineCount = counts[1]
            var i = 0
            while i < lineCount {
                let worker = Int(owners[i])
                var end = lineEnds[i]
                i += 1
                while i < lineCount, Int(owners[i]) == worker {
                    end = lineEnds[i]
                    i += 1
                }
                try texts[worker].withBytes(written[worker]..<end) { try write($0) }
                written[worker] = end
            }
        }
    }

    /// Frame indices by routing part and worker: `indices[(part * jobs + worker) * chunk ...]`,
    /// `counts[part * jobs + worker]` of them. Parts are consecutive ranges, so a worker reading
    /// its lists part by part meets its frames in capture order without scanning the others'.
    /// Shared by the workers: each part writes only its own lists.
    struct Routing: Sendable {
        let indices: SharedBuffer<Int32>
        let counts: SharedBuffer<Int>
        let chunk: Int
    }

    /// One worker's classifier, summary and formatter (formatters may keep caches of renderings).
    struct Worker {
        let classifier: CaptureClassifier
        let summary: Summary
        let format: Format?
    }

    /// The workers, each touched only by its own thread during a batch.
    final class Workers: Sendable {
        let workers: SharedBuffer<Worker>
        var count: Int { workers.count }
        /// Whether each frame's outcome is kept for a frame sink, and whether lines are formatted.
        let keepsOutcomes: Bool
        let formats: Bool
        /// The capture's name put in every record, if any.
        let capture: String?
        /// Which frames of a batch each worker classifies.
        let route: Routing

        init(_ workers: [Worker], keepsOutcomes: Bool, capture: String?) {
            self.capture = capture
            self.workers = SharedBuffer(repeating: workers[0], count: workers.count)
            for (i, worker) in workers.enumerated() { self.workers[i] = worker }
            self.keepsOutcomes = keepsOutcomes
            formats = workers[0].format != nil
            let jobs = workers.count
            let chunk = (Replayer.batchSize + jobs - 1) / jobs
            route = Routing(indices: SharedBuffer(repeating: 0, count: jobs * jobs * chunk), counts: SharedBuffer(repeating: 0, count: jobs * jobs), chunk: chunk)
        }

        /// Classifies, counts and formats a batch on every worker.
        func process(_ batch: Batch) {
            batch.counts[1] = formats ? batch.count : 0
            let jobs = count
            let route = self.route
            if jobs == 1 {
                // One worker takes every frame, in order: nothing to route.
                route.counts[0] = batch.count
                for i in 0..<batch.count { route.indices[i] = Int32(i) }
            } else {
                self.route(batch)
            }
            let keepsOutcomes = self.keepsOutcomes
            let capture = self.capture
            /// Classifies, counts and formats the frames of `worker`.
            @Sendable func work(_ worker: Int) {
                // The buffers and the worker's state are held in locals for the whole batch: no
                // reference is retained per frame.
                let state = workers[worker]
                let classifier = state.classifier, summary = state.summary, format = state.format
                let frames = batch.frames, texts = batch.texts, owners = batch.owners, lineEnds = batch.lineEnds, outcomes = batch.outcomes
                for part in 0..<jobs {
                    let list = part * jobs + worker
                    for n in 0..<route.counts[list] {
                        let i = Int(route.indices[list * route.chunk + n])
                        // The frame is read in place (``SharedBuffer``'s addressors), never copied whole.
                        let (header, id, conversation) = classifier.classifyCounting(frames[i].content)
                        summary.add(id.reason, conversation: conversation, length: frames[i].length)
                        if let format {
                            var record = Replayer.record(frames[i], header: header, classification: classifier.path(id))
                            record.pathKey = PacketRecord.PathKey(index: id.index, generation: classifier.generation)
                            record.capture = capture
                            format(record, texts[worker])
                            owners[i] = Int32(worker)
                            lineEnds[i] = texts[worker].count
                        }
                        if keepsOutcomes { outcomes[i] = FrameOutcome(header: header, classification: classifier.path(id)) }
                    }
                }
            }
            // One worker works on the calling thread, without the thread pool.
            if jobs == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: jobs, execute: work) }
        }

        /// Fills ``route``: the workers split the batch into consecutive parts and list each part's
        /// frames by the worker of their host pair.
        private func route(_ batch: Batch) {
            let jobs = count
            let total = batch.count
            let route = self.route
            DispatchQueue.concurrentPerform(iterations: jobs) { part in
                for worker in 0..<jobs { route.counts[part * jobs + worker] = 0 }
                for i in min(total, part * route.chunk)..<min(total, (part + 1) * route.chunk) {
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
        /// Whether the worker processes each batch on the reading thread (one job).
        let inline: Bool
        let queue = DispatchQueue(label: "packet-path.replay.workers")
        var inFlight: [(batch: Batch, done: DispatchSemaphore)] = []
        /// Batches handed to the sinks, ready for reuse.
        var spares: [Batch] = []
        /// The batch the reader fills.
        var current: Batch
        /// Frames per batch.
        let capacity: Int
        let lines: ((UnsafeBufferPointer<UInt8>) throws -> Void)?
        let frames: FrameSink?

        init(_ workers: Workers, capacity: Int, inline: Bool, lines: ((UnsafeBufferPointer<UInt8>) throws -> Void)?, frames: FrameSink?) {
            self.capacity = capacity
            self.workers = workers
            self.inline = inline
            self.lines = lines
            self.frames = frames
            current = Batch(capacity: capacity, workers: workers.count, formats: workers.formats, keepsOutcomes: workers.keepsOutcomes)
        }

        /// Waits for the oldest batch in flight, hands it to the sinks and keeps it for reuse.
        func finishOldest() throws {
            guard !inFlight.isEmpty else { return }
            let (batch, done) = inFlight.removeFirst()
            done.wait()
            defer {
                batch.clear(keepingOutcomes: workers.keepsOutcomes)
                spares.append(batch)
            }
            if let lines { try batch.writeLines(lines) }
            if let frames { try batch.handFrames(to: frames) }
        }

        /// Waits for every batch in flight, handing them to the sinks in order.
        func finishAll() throws {
            while !inFlight.isEmpty { try finishOldest() }
        }

        /// Waits for every batch in flight without handing them on: an output failed.
        func drain() {
            while !inFlight.isEmpty { inFlight.removeFirst().done.wait() }
        }

        /// Queues the current batch for the workers, first finishing the oldest batch when
        /// ``depth`` are in flight; with one job, processes and finishes it here.
        /// - Returns: the batch the reader fills next (a spare one).
        @discardableResult
        func launch() throws -> Batch {
            if inFlight.count >= Self.depth { try finishOldest() }
            let batch = current
            current = spares.popLast() ?? Batch(capacity: capacity, workers: workers.count, formats: workers.formats, keepsOutcomes: workers.keepsOutcomes)
            let done = DispatchSemaphore(value: 0)
            inFlight.append((batch, done))
            if inline {
                workers.process(batch)
                done.signal()
                try finishOldest()
                return current
            }
            queue.async { [workers] in
                workers.process(batch)
                done.signal()
            }
            return current
        }
    }

    /// Replays `path`, counting every frame into `summary` and handing it to the sinks in frame
    /// order: its line to `lines` (formatted on the workers), the frame itself to `frames`.
    /// `progress` receives each batch's frames and bytes read.
    /// - Parameter detail: what of each path the sinks read; without sinks, only the reason is
    ///   walked, with compiled route tables.
    /// - Returns: the frames read (and pcapng blocks skipped).
    /// - Throws: ``CaptureError`` for damage (after every complete frame before it is handed on),
    ///   or what a sink throws, which ends the replay at once.
    @discardableResult
    public func replay(
        _ path: String, into summary: Summary, lines: Lines? = nil, frames frameSink: FrameSink? = nil, detail requested: PathDetail = .full,
        progress: (_ frames: Int, _ bytes: Int) -> Void = { _, _ in }
    ) throws -> CaptureReader.Result {
        let workerCount = max(1, jobs - 1)
        let detail = lines == nil && frameSink == nil ? PathDetail.reason : requested
        let compiled = detail == .reason ? CompiledRoutes(topology) : nil
        let workers = Workers(
            (0..<workerCount).map { _ in
                // One worker counts straight into the caller's summary; several count apart and merge.
                let counting = workerCount == 1 ? summary : Summary()
                return Worker(
                    classifier: CaptureClassifier(topology: topology, capturePoint: capturePoint, detail: detail, summary: counting, compiledRoutes: compiled),
                    summary: counting, format: lines?.format())
            },
            keepsOutcomes: frameSink != nil, capture: lines?.capture)
        let reader = CaptureReader(path: path, filter: filter)
        let pipeline = Pipeline(
            workers, capacity: min(Self.batchSize, reader.frameLimit ?? Self.batchSize), inline: jobs == 1, lines: lines?.write, frames: frameSink)
        // The reader's state lives in locals touched only by the non-escaping closure below, so
        // the compiler checks their exclusive access statically, not once per frame.
        let decoder = self.decoder
        let keepsBytes = frameSink != nil
        var batch = pipeline.current
        var fileBytes = 0
        var failure: CaptureError?
        var result = CaptureReader.Result(frames: 0)
        do {
            result = try reader.forEach { frame in
                // Decoding here, not on the workers, costs the reader about what copying the
                // frame's bytes would, and a batch is then small fixed-size records (docs/decisions.md).
                var offset = 0
                if keepsBytes {
                    offset = batch.frameBytes[0].count
                    batch.frameBytes[0].append(contentsOf: frame.bytes)
                }
                // Built in its slot: a frame record is never copied.
                let slot = batch.count
                batch.frames.initialize(slot, to: FrameInfo(
                    number: frame.number, seconds: frame.seconds, nanoseconds: frame.nanoseconds, length: frame.originalLength,
                    capturedLength: frame.capturedLength, linkType: frame.linkType, byteOffset: offset,
                    content: decoder.decode(frame.bytes, linkType: frame.linkType)))
                batch.counts[0] = slot + 1
                fileBytes += frame.capturedLength + PcapFormat.recordHeaderSize
                if batch.count == batch.capacity {
                    progress(batch.count, fileBytes)
                    fileBytes = 0
                    batch = try pipeline.launch()
                }
            }
        } catch let damage as CaptureError {
            failure = damage  // every complete frame before the damage is still handed on
        } catch {
            pipeline.drain()
            throw error
        }
        progress(batch.count, fileBytes)
        do {
            try pipeline.launch()
            try pipeline.finishAll()
        } catch {
            pipeline.drain()
            throw error
        }
        if workerCount > 1 {
            for worker in 0..<workers.count { summary.merge(workers.workers[worker].summary) }
        }
        if let failure { throw failure }
        return result
    }

    /// The record reporters print for a frame: its number, header, classification, length and time.
    package static func record(_ frame: CaptureFrame, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: frame.number, header: header, classification: classification, length: frame.originalLength,
            time: CaptureTime(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }

    static func record(_ frame: FrameInfo, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: frame.number, header: header, classification: classification, length: frame.length,
            time: CaptureTime(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }
}
