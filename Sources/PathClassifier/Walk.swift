import PathCore
import VPCTopology

/// The state of one packet's walk: hops so far, notes, and what NAT changed.
struct Walk {
    let packet: PacketHeader
    let isReply: Bool
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

    init(packet: PacketHeader, isReply: Bool, origin: InterfaceIndex) {
        self.packet = packet
        self.isReply = isReply
        self.origin = origin
        self.currentSource = packet.source
    }

    mutating func hop(_ kind: HopKind, _ resource: ResourceLabel, _ detail: String, passed: Bool = true) {
        hops.append(Hop(kind: kind, resource: resource, detail: detail, passed: passed))
    }

    mutating func note(_ text: String) { notes.append(text) }

    /// Records a failed hop at the source and returns `reason`.
    mutating func drop(_ reason: Reason, _ detail: String) -> Reason {
        let last = hops.last ?? Hop(kind: .source, resource: ResourceLabel(id: packet.source.description), detail: "")
        hops.append(Hop(kind: last.kind, resource: last.resource, detail: detail, passed: false))
        return reason
    }
}
