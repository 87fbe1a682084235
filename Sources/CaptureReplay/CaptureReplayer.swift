import PacketSources
import PacketWire
import PathClassifier
import PathCore
import PathReporters
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
    /// - Returns: the number of frames.
    @discardableResult
    public func replay(_ path: String, _ body: (CaptureFrame, PacketHeader?, Classification) -> Void) throws(CaptureError) -> Int {
        let classifier = CaptureClassifier(topology: topology, capturePoint: capturePoint)
        return try CaptureReader(path: path).forEach { frame in
            let (header, classification) = Self.classify(decoder.decode(frame.bytes, linkType: frame.linkType), with: classifier)
            body(frame, header, classification)
        }
    }

    /// The record reporters print for a frame: its number, header, classification, length and time.
    public static func record(_ frame: CaptureFrame, header: PacketHeader?, classification: Classification) -> PacketRecord {
        PacketRecord(
            frame: frame.number, header: header, classification: classification, length: frame.originalLength,
            time: timeText(seconds: frame.seconds, nanoseconds: frame.nanoseconds))
    }

    /// `seconds.nanoseconds`, nine digits after the point.
    static func timeText(seconds: Int64, nanoseconds: UInt32) -> String {
        let digits = String(nanoseconds)
        return "\(seconds).\(String(repeating: "0", count: max(0, 9 - digits.count)))\(digits)"
    }

    /// The header and classification of a decoded frame.
    public static func classify(_ content: FrameContent, with classifier: CaptureClassifier) -> (PacketHeader?, Classification) {
        switch content {
        case .packet(let packet):
            let header = packet.header
            var classification = classifier.classify(header, fragment: packet.fragment.map { ($0.identification, $0.isFirst) })
            if let network = packet.vxlanNetwork {
                classification.notes.append("decapsulated from a VPC Traffic Mirroring session (VXLAN network \(network))")
            }
            return (header, classification)
        case .linkLocal(let what):
            return (nil, Classification(
                reason: .linkLayer,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: "link"), detail: "\(what): stays on the link, never routed (R1.14)")],
                notes: []))
        case .malformed(let error):
            return (nil, Classification(
                reason: .malformedFrame,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: error.code.rawValue), detail: error.description, passed: false)],
                notes: []))
        }
    }
}
