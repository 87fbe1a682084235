import PathCore
import VPCTopology

/// The state of one packet's walk: hops so far, notes, and what NAT changed.
///
/// A walk that does not record its path (``recordsPath`` false) decides exactly as one that does,
/// since nothing reads the hops back, but builds no hop or note: their texts are autoclosures that
/// are never called. Counting replays use it; every output that prints a path records it.
struct Walk {
    let packet: PacketHeader
    let isReply: Bool
    /// Whether hops and notes are recorded.
    let recordsPath: Bool
    /// The interface the packet left.
    let origin: InterfaceIndex
    /// The source address as the next hop sees it (a NAT gateway changes it).
    var currentSource: IPAddress
    /// The NAT gateway that translated the packet, if any.
    var natGateway: NATGatewayIndex?
    /// NAT hand-offs so far (loop guard).
    var depth = 0
    var hops: [Hop] = []
    var notes: [String] = []

    init(packet: PacketHeader, isReply: Bool, origin: InterfaceIndex, recordsPath: Bool = true) {
        self.packet = packet
        self.isReply = isReply
        self.recordsPath = recordsPath
        self.origin = origin
        self.currentSource = packet.source
    }

    mutating func hop(_ kind: HopKind, _ resource: @autoclosure () -> ResourceLabel, _ detail: @autoclosure () -> String, passed: Bool = true) {
        guard recordsPath else { return }
        hops.append(Hop(kind: kind, resource: resource(), detail: detail(), passed: passed))
    }

    mutating func note(_ text: @autoclosure () -> String) {
        guard recordsPath else { return }
        notes.append(text())
    }

    /// Records a failed hop at the source and returns `reason`.
    mutating func drop(_ reason: Reason, _ detail: @autoclosure () -> String) -> Reason {
        guard recordsPath else { return reason }
        let last = hops.last ?? Hop(kind: .source, resource: ResourceLabel(id: packet.source.description), detail: "")
        hops.append(Hop(kind: last.kind, resource: last.resource, detail: detail(), passed: false))
        return reason
    }
}
