import Dispatch
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import PathReporters
import VPCTopology

/// Replays a capture on several cores while keeping every frame's output in input order.
///
/// Frames are read and decoded on the calling thread in batches. Each frame goes to the worker of
/// its host pair (the two addresses, in order-independent form), so both directions of every
/// connection, and every fragment of a datagram, meet the same ``CaptureClassifier`` in capture
/// order: per-connection state is exactly that of a single-threaded replay. Workers classify and
/// format their frames of the batch concurrently; the caller then receives the batch in order.
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

    /// One frame of a batch: what the workers need and what they produce.
    struct Slot {
        var number = 0
        var seconds: Int64 = 0
        var nanoseconds: UInt32 = 0
        var length = 0
        var content = FrameContent.linkLocal("")
        var worker = 0
        var header: PacketHeader?
        var classification = Classification(reason: .linkLayer, hops: [], notes: [])
        var line: String?
    }

    /// The workers' classifiers and the batch they share; each worker touches only its own
    /// classifier and the slots assigned to it, so no two threads write the same memory.
    final class Workers: @unchecked Sendable {
        let classifiers: [CaptureClassifier]
        /// One formatter per worker: formatters may keep caches (``JSONLinesWriter``).
        let formatters: [((PacketRecord) -> String)?]
        var slots: [Slot] = []
        init(_ classifiers: [CaptureClassifier], formatters: [((PacketRecord) -> String)?]) {
            self.classifiers = classifiers
            self.formatters = formatters
        }
    }

    /// Calls `body` for every frame in input order with its header, classification and, when
    /// `format` is given, the line that format prints (built on the workers, each with its own
    /// formatter from `format`).
    /// - Returns: the number of frames.
    @discardableResult
    public func replay(
        _ path: String, format: (() -> (PacketRecord) -> String)?, _ body: (PacketHeader?, Classification, Int, String?) -> Void
    ) throws(CaptureError) -> Int {
        let workers = Workers(
            (0..<jobs).map { _ in CaptureClassifier(topology: topology, capturePoint: capturePoint) },
            formatters: (0..<jobs).map { _ in format?() })
        workers.slots.reserveCapacity(Self.batchSize)
        let jobs = self.jobs
        func flush() {
            let count = workers.slots.count
            DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                workers.slots.withUnsafeMutableBufferPointer { slots in
                    for i in 0..<count where slots[i].worker == worker {
                        let (header, classification) = CaptureReplayer.classify(slots[i].content, with: workers.classifiers[worker])
                        slots[i].header = header
                        slots[i].classification = classification
                        if let format = workers.formatters[worker] {
                            slots[i].line = format(Self.record(slots[i], header: header, classification: classification))
                        }
                    }
                }
            }
            for slot in workers.slots { body(slot.header, slot.classification, slot.length, slot.line) }
            workers.slots.removeAll(keepingCapacity: true)
        }
        let frames: Int
        do {
            frames = try readFrames(path, into: workers, jobs: jobs, flush: flush)
        } catch {
            flush()  // every complete frame before the damage is still reported
            throw error
        }
        flush()
        return frames
    }

    /// Reads and decodes frames into the batch, flushing it whenever it is full.
    func readFrames(_ path: String, into workers: Workers, jobs: Int, flush: () -> Void) throws(CaptureError) -> Int {
        try CaptureReader(path: path).forEach { frame in
            var slot = Slot()
            slot.number = frame.number
            slot.seconds = frame.seconds
            slot.nanoseconds = frame.nanoseconds
            slot.length = frame.originalLength
            slot.content = decoder.decode(frame.bytes, linkType: frame.linkType)
            if case .packet(let packet) = slot.content {
                // Order-independent host pair: both directions and all fragments land together.
                var hasher = Hasher()
                hasher.combine(min(packet.header.source, packet.header.destination))
                hasher.combine(max(packet.header.source, packet.header.destination))
                slot.worker = Int(UInt(bitPattern: hasher.finalize()) % UInt(jobs))
            }
            workers.slots.append(slot)
            if workers.slots.count == Self.batchSize { flush() }
        }
    }

    static func record(_ slot: Slot, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: slot.number, header: header, classification: classification, length: slot.length,
            time: CaptureReplayer.timeText(seconds: slot.seconds, nanoseconds: slot.nanoseconds))
    }
}
