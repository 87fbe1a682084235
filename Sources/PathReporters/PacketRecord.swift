import PathClassifier
import PathCore

/// One classified packet as reporters see it: its position, header, classification and origin.
public struct PacketRecord: Sendable {
    /// 1-based position in the input, as tshark numbers frames.
    public var frame: Int
    /// The packet's header; `nil` for a frame that holds no IP packet (ARP, a malformed frame).
    public var header: PacketHeader?
    public var classification: Classification
    /// The synthetic flow's name, when the packet came from a flow file.
    public var flow: String?
    /// Bytes on the wire, for captured frames.
    public var length: Int?
    /// The capture timestamp, for captured frames (formatted only by the outputs that print it).
    public var time: CaptureTime?
    /// The capture file, when a run replays several.
    public var capture: String?

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
}

/// A capture timestamp, printed as `seconds.nanoseconds` with nine digits after the point. Kept as
/// integers so that outputs that do not print it (CSV, text) build no string per frame.
public struct CaptureTime: Sendable, Hashable, CustomStringConvertible {
    public var seconds: Int64
    public var nanoseconds: UInt32

    public init(seconds: Int64, nanoseconds: UInt32) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public var description: String { ByteLine.text { $0.add(self) } }
}
