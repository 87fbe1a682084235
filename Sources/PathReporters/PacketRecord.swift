import PathClassifier
import PathCore

/// One classified packet as reporters see it: its position, header, classification and flow name.
public struct PacketRecord: Sendable {
    /// 1-based position in the input, as tshark numbers frames.
    public var frame: Int
    public var header: PacketHeader
    public var classification: Classification
    /// The synthetic flow's name, when the packet came from a flow file.
    public var flow: String?

    public init(frame: Int, header: PacketHeader, classification: Classification, flow: String? = nil) {
        self.frame = frame
        self.header = header
        self.classification = classification
        self.flow = flow
    }
}
