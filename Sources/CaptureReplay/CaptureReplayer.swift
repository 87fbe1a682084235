import PacketSources
import PacketWire
import PathClassifier
import PathCore
import VPCTopology

/// Replays one capture: every frame decoded and classified, in order, exactly once.
public struct CaptureReplayer {
    public let topology: Topology
    public var decoder: FrameDecoder
    /// The interface the capture was taken on, if known (R13.2).
    public var capturePoint: InterfaceIndex?

    public init(topology: Topology, decapsulatesVXLAN: Bool = true, capturePoint: InterfaceIndex? = nil) {
        self.topology = topology
        self.decoder = FrameDecoder(decapsulatesVXLAN: decapsulatesVXLAN)
        self.capturePoint = capturePoint
    }

    /// Calls `body` with every frame, its header (if IP) and its classification. Frames before
    /// damage are delivered; the damage is then thrown. Nothing is formatted here: callers that
    /// print per frame build a ``PacketRecord`` with ``record(_:header:classification:)``.
    /// - Returns: the frames read (and pcapng blocks skipped).
    /// - Throws: ``CaptureError`` for damage, or what `body` throws (which ends the replay).
    @discardableResult
    public func replay(_ path: String, _ body: (CaptureFrame, PacketHeader?, Classification) throws -> Void) throws -> CaptureReader.Result {
        try replayPaths(path) { frame, header, id, classifier in try body(frame, header, classifier.path(id)) }
    }

    /// Calls `body` with every frame, its header (if IP), its interned path and the classifier
    /// that holds the path: the line-rate form, nothing copied or allocated per frame.
    /// - Parameters:
    ///   - detail: what of each path to record (`.decisive` for lines that name only the
    ///     deciding resource; `.reason` for counting, with compiled route tables).
    ///   - summary: when given, every frame is counted into it before `body` is called, its
    ///     conversation number kept with its connection (as ``count(_:into:_:)`` does).
    /// - Returns: the frames read (and pcapng blocks skipped).
    /// - Throws: ``CaptureError`` for damage, or what `body` throws (which ends the replay).
    @discardableResult
    public func replayPaths(
        _ path: String, detail: PathDetail = .full, countingInto summary: Summary? = nil,
        _ body: (CaptureFrame, PacketHeader?, CaptureClassifier.PathID, CaptureClassifier) throws -> Void
    ) throws -> CaptureReader.Result {
        let classifier = CaptureClassifier(
            topology: topology, capturePoint: capturePoint, detail: detail,
            compiledRoutes: detail == .reason ? CompiledRoutes(topology) : nil)
        return try CaptureReader(path: path).forEach { frame in
            let content = decoder.decode(frame.bytes, linkType: frame.linkType)
            guard let summary else {
                let (header, id) = Self.classify(content, with: classifier)
                return try body(frame, header, id, classifier)
            }
            let (header, id, conversation) = Self.classify(content, with: classifier) { summary.conversation(of: $0) }
            summary.add(id.reason, conversation: conversation, length: frame.originalLength)
            try body(frame, header, id, classifier)
        }
    }

    /// Counts every frame into `summary`, the line-rate way: walks without hop text, compiled
    /// route tables, and each connection's conversation number remembered with the connection, so
    /// a frame costs one probe.
    /// - Returns: the frames read (and pcapng blocks skipped).
    @discardableResult
    public func count(_ path: String, into summary: Summary, _ progress: (CaptureFrame) -> Void = { _ in }) throws -> CaptureReader.Result {
        try replayPaths(path, detail: .reason, countingInto: summary) { frame, _, _, _ in progress(frame) }
    }

    /// The record reporters print for a frame: its number, header, classification, length and time.
    public static func record(_ frame: CaptureFrame, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: frame.number, header: header, classification: classification, length: frame.originalLength,
            time: CaptureTime(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }

    /// The header and interned path of a decoded frame.
    @inlinable
    public static func classify(_ content: FrameContent, with classifier: CaptureClassifier) -> (PacketHeader?, CaptureClassifier.PathID) {
        let (header, id, _) = classify(content, with: classifier) { _ in -1 }
        return (header, id)
    }

    /// The header, interned path and connection label of a decoded frame (see
    /// ``CaptureClassifier/classifyFrame(_:fragment:label:)``); -1 for frames that are not IP.
    /// Always inlined: called once per frame, with a closure that would otherwise be retained per call.
    @inlinable @inline(__always)
    public static func classify(
        _ content: FrameContent, with classifier: CaptureClassifier, label: (PacketHeader) -> Int32
    ) -> (PacketHeader?, CaptureClassifier.PathID, Int32) {
        switch content {
        case .packet(let packet):
            let header = packet.header
            let (id, labelled) = classifier.classifyFrame(header, fragment: packet.fragment.map { ($0.identification, $0.isFirst) }, label: label)
            guard let network = packet.vxlanNetwork else { return (header, id, labelled) }
            return (header, classifier.annotated(id, note: "decapsulated from a VPC Traffic Mirroring session (VXLAN network \(network))"), labelled)
        case .linkLocal(let what):
            return (nil, classifier.intern(Classification(
                reason: .linkLayer,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: "link"), detail: "\(what): stays on the link, never routed (R1.14)")],
                notes: [])), -1)
        case .malformed(let error):
            return (nil, classifier.intern(Classification(
                reason: .malformedFrame,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: error.code.rawValue), detail: error.description, passed: false)],
                notes: [])), -1)
        }
    }
}
