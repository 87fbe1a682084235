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
    /// The packet as the next hop sees it: a NAT gateway changes its source (R8.1), and its
    /// destination when it translates a reply back (R19.7). Rules and routes read this one.
    var current: PacketHeader
    /// The source address as the next hop sees it.
    var currentSource: IPAddress {
        get { current.source }
        set { current.source = newValue }
    }
    /// The NAT gateway that translated the packet, if any.
    var natGateway: NATGatewayIndex?
    /// NAT, appliance, endpoint and transit-gateway hand-offs so far (loop guard, R19.5).
    var depth = 0
    /// Where a delivered packet ended, for the reply's walk (R19.7); `nil` while walking and for
    /// dropped packets.
    var delivery: Delivery?
    /// For a reply: the NAT gateway that translated its connection's request, which receives the
    /// reply at its own address and translates it back (R8.1).
    var returningNAT: NATGatewayIndex?
    /// The transit gateway the packet crossed last: security-group references match across it
    /// only with referencing support (R9.4, R19.1).
    var crossedTransitGateway: TransitGatewayIndex?
    /// The origin of the last route the walk took: a VPN decides by it whether BGP covers the
    /// destination (R19.2).
    var routeOrigin: RouteOrigin?
    /// Whether the packet entered its current VPC from outside it (a transit gateway, a VPN): a
    /// gateway endpoint does not take such traffic (R4.6).
    var enteredFromOutside = false
    /// Where the packet left AWS for on premises, if it did: a reply from on premises must leave
    /// where its request came in (R19.7).
    var leftAt: OnPremisesEdge?
    /// The load balancer the request crossed, if any: its reply returns through it (R19.3).
    var balancer: BalancerCrossing?
    /// The Availability Zones in which the walk entered VPCs from transit gateways; recorded only
    /// with the full path (flows), so the counting path allocates nothing.
    var transitZones: [TransitZone] = []
    /// For a reply: its request's ``transitZones``; appliance mode keeps both directions of a flow
    /// in one zone (R19.1).
    var requestZones: [TransitZone] = []
    var hops: [Hop] = []
    var notes: [String] = []

    init(packet: PacketHeader, isReply: Bool, origin: InterfaceIndex, detail: PathDetail = .full) {
        self.packet = packet
        self.isReply = isReply
        self.detail = detail
        self.origin = origin
        self.current = packet
    }

    mutating func hop(
        _ kind: HopKind, _ resource: @autoclosure () -> ResourceLabel, _ text: @autoclosure () -> String, passed: Bool = true, rule: Int? = nil
    ) {
        switch detail {
        case .reason: return
        case .full: hops.append(Hop(kind: kind, resource: resource(), detail: text(), passed: passed, rule: rule))
        case .decisive: keepLastTwo(Hop(kind: kind, resource: resource(), detail: "", passed: passed))
        case .hops: hops.append(Hop(kind: kind, resource: resource(), detail: "", passed: passed, rule: rule))
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

    /// Counts a hand-off to a NAT gateway, an appliance, an endpoint, a load balancer or a transit
    /// gateway at `kind` `label`; past ``Classifier/maximumForwardingDepth`` records the refusing
    /// hop there and returns `false` (a routing loop, R19.5).
    mutating func handOff(at kind: HopKind, _ label: @autoclosure () -> ResourceLabel) -> Bool {
        depth += 1
        guard depth <= Classifier.maximumForwardingDepth else {
            hop(kind, label(), "forwarded more than \(Classifier.maximumForwardingDepth) times: a routing loop (R19.5)", passed: false)
            return false
        }
        return true
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

/// Where a delivered packet ended: what its reply starts from and must return through (R19.7).
enum Delivery: Equatable {
    /// An interface received it (local, peering, transit gateway, an appliance's destination).
    case interface(InterfaceIndex)
    /// It left through an internet gateway, translated by a NAT gateway or with the sender's own
    /// public address.
    case internet(InternetGatewayIndex, nat: NATGatewayIndex?)
    /// IPv6 left through an egress-only internet gateway.
    case egressOnly(EgressOnlyGatewayIndex)
    /// A gateway endpoint took it to its AWS service.
    case gatewayEndpoint(EndpointIndex)
    /// An AWS service on the host answered it (the Resolver, IMDS, Time Sync).
    case host
    /// It left the model (a VPN or Direct Connect side, a peer VPC outside the input): its reply is
    /// not walked.
    case outside
}

/// An attachment of a transit gateway a walk entered a VPC by, and the Availability Zone.
struct TransitZone: Equatable {
    var gateway: TransitGatewayIndex
    var attachment: Int
    var zone: String
}

/// Where traffic crosses between AWS and on premises (R19.2, R19.1).
enum OnPremisesEdge: Equatable {
    /// A virtual private gateway (its VPN connections or Direct Connect gateway).
    case vpnGateway(VPNGatewayIndex)
    /// A transit gateway's VPN or Direct Connect attachment.
    case transitGateway(TransitGatewayIndex, attachment: Int)
}

/// How much of its path a walk records.
public enum PathDetail: Sendable, Hashable {
    /// The reason alone (counting: `--format summary`).
    case reason
    /// The last two hops, without their texts: what ``Classification/decisiveHop`` reads (CSV,
    /// text lines, `--split`, `--annotate`).
    case decisive
    /// Every hop with its resource and rule position, without texts or notes: what rule coverage
    /// and the summary document read; the last two are the decisive ones.
    case hops
    /// Every hop with its text, and the notes (JSONL, `trace`).
    case full
}
