import PathCore
import VPCTopology

/// The state of one packet's walk: hops so far, notes, and what NAT changed.
///
/// A walk decides the same way whatever it records (``PathDetail``), since nothing reads the hops
/// back: hop and note texts are autoclosures, called only when the full path is recorded.
struct Walk {
    let packet: PacketHeader
    let isReply: Bool
    /// What of the path is recorded.
    let detail: PathDetail
    /// Whether the full path (hop texts and notes) is recorded.
    var recordsPath: Bool { detail == .full }
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

    init(packet: PacketHeader, isReply: Bool, origin: InterfaceIndex, detail: PathDetail = .full) {
        self.packet = packet
        self.isReply = isReply
        self.detail = detail
        self.origin = origin
        self.currentSource = packet.source
    }

    mutating func hop(_ kind: HopKind, _ resource: @autoclosure () -> ResourceLabel, _ text: @autoclosure () -> String, passed: Bool = true) {
        switch detail {
        case .reason: return
        case .full: hops.append(Hop(kind: kind, resource: resource(), detail: text(), passed: passed))
        case .decisive: keepLastTwo(Hop(kind: kind, resource: resource(), detail: "", passed: passed))
        }
    }

    /// Appends `hop`, keeping the last two hops only (all ``Classification/decisiveHop`` reads).
    private mutating func keepLastTwo(_ hop: Hop) {
        if hops.count == 2 {
            hops[0] = hops[1]
            hops[1] = hop
        } else {
            hops.append(hop)
        }
    }

    mutating func note(_ text: @autoclosure () -> String) {
        guard recordsPath else { return }
        notes.append(text())
    }

    /// Records a failed hop at the source and returns `reason`.
    mutating func drop(_ reason: Reason, _ text: @autoclosure () -> String) -> Reason {
        guard detail != .reason else { return reason }
        let last = hops.last ?? Hop(kind: .source, resource: ResourceLabel(id: packet.source.description), detail: "")
        hop(last.kind, last.resource, text(), passed: false)
        return reason
    }
}

/// How much of its path a walk records.
public enum PathDetail: Sendable, Hashable {
    /// The reason alone (counting: `--format summary`).
    case reason
    /// The last two hops, without their texts: what ``Classification/decisiveHop`` reads (CSV,
    /// text lines, `--split`, `--annotate`).
    case decisive
    /// Every hop with its text, and the notes (JSONL, `trace`).
    case full
}
