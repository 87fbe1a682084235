import PacketWire
import PathClassifier
import PathCore
import VPCTopology

/// Decoded frames, classified: IP packets by the walk, link-local frames and malformed ones by
/// what they are.
extension CaptureClassifier {
    /// The header and interned path of a decoded frame.
    package func classify(_ content: FrameContent) -> (PacketHeader?, PathID) {
        let (header, id, _) = classifyCounting(content)
        return (header, id)
    }

    /// The header, interned path and conversation number of a decoded frame (see
    /// ``classifyFrame(_:fragment:)``); -1 for frames that are not IP.
    @inline(__always)
    func classifyCounting(_ content: FrameContent) -> (PacketHeader?, PathID, Int32) {
        switch content {
        case .packet(let packet):
            let header = packet.header
            let (id, conversation) = classifyFrame(header, fragment: packet.fragment.map { ($0.identification, $0.isFirst) })
            guard let network = packet.vxlanNetwork else { return (header, id, conversation) }
            return (header, annotated(id, note: "decapsulated from a VPC Traffic Mirroring session (VXLAN network \(network))"), conversation)
        case .linkLocal(let what):
            return (nil, intern(Classification(
                reason: .linkLayer,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: "link"), detail: "\(what): stays on the link, never routed (R1.14)")],
                notes: [])), -1)
        case .malformed(let error):
            return (nil, intern(Classification(
                reason: .malformedFrame,
                hops: [Hop(kind: .source, resource: ResourceLabel(id: error.code.rawValue), detail: error.description, passed: false)],
                notes: [])), -1)
        }
    }
}
