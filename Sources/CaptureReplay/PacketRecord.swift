import PathClassifier
import PathCore

/// One classified packet as reporters see it: its position, header, classification and origin.
public struct PacketRecord: Sendable {
    /// 1-based position in the input, as tshark numbers frames.
    public var frame: Int
    /// The packet's header; `nil` for a frame that holds no IP packet (ARP, a malformed frame).
    public var header: PacketHeader?
    public var classification: Classification
    /// The reply's walk, for a synthetic flow judged both ways (R19.7); `nil` for captured frames
    /// (each reply is a frame of its own) and one-way judgments.
    public var reply: Classification?
    /// The synthetic flow's name, when the packet came from a flow file.
    public var flow: String?
    /// Bytes on the wire, for captured frames.
    public var length: Int?
    /// The capture timestamp, for captured frames (formatted only by the outputs that print it).
    public var time: CaptureTime?
    /// The capture file, when a run replays several.
    public var capture: String?
    /// What a flow log record observed, for records replayed from flow logs.
    public var observation: FlowLogObservation?
    /// Which interned path of the replaying worker ``classification`` is, while it holds: records
    /// with the same key have the same classification, so a renderer may reuse its rendering.
    public var pathKey: PathKey?

    /// An interned path of one worker's capture classifier, in one generation of its path table.
    public struct PathKey: Hashable, Sendable {
        public var index: UInt32
        public var generation: Int

        public init(index: UInt32, generation: Int) {
            self.index = index
            self.generation = generation
        }
    }

    public init(
        frame: Int, header: PacketHeader?, classification: Classification, flow: String? = nil, length: Int? = nil,
        time: CaptureTime? = nil
    ) {
        self.frame = frame
        self.header = header
        self.classification = classification
        self.flow = flow
        self.length = length
        self.time = time
    }

    /// A synthetic flow's packet, judged with its reply (R19.7).
    public init(frame: Int, header: PacketHeader, flow: FlowClassification, name: String?) {
        self.init(frame: frame, header: header, classification: flow.request, flow: name)
        reply = flow.reply
    }

    /// The packet's reason: the reply's when the reply is dropped, else the packet's own.
    public var reason: Reason { FlowClassification(request: classification, reply: reply).reason }

    public var verdict: Verdict { reason.verdict }

    /// Where the packet (or its reply) was stopped, else the last component it crossed.
    public var decisiveHop: Hop? { FlowClassification(request: classification, reply: reply).decisiveHop }
}

/// A capture timestamp, printed as `seconds.nanoseconds` with nine digits after the point (by the
/// reporters). Kept as integers so that outputs that do not print it (CSV, text) build no string
/// per frame.
public struct CaptureTime: Sendable, Hashable {
    public var seconds: Int64
    public var nanoseconds: UInt32

    public init(seconds: Int64, nanoseconds: UInt32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
}
