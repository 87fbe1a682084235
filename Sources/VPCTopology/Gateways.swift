import PathCore

/// An internet gateway (R7.1–R7.6).
public struct InternetGateway: Sendable {
    public var label: ResourceLabel
    /// The VPC it is attached to (`available` attachment), or `nil` when detached (R7.6).
    public var attachedVPC: VPCIndex?
    public init(label: ResourceLabel, attachedVPC: VPCIndex?) {
        self.label = label
        self.attachedVPC = attachedVPC
    }
}

/// An egress-only internet gateway: IPv6, outbound-initiated only (R7.7).
public struct EgressOnlyInternetGateway: Sendable {
    public var label: ResourceLabel
    public var attachedVPC: VPCIndex?
    public init(label: ResourceLabel, attachedVPC: VPCIndex?) {
        self.label = label
        self.attachedVPC = attachedVPC
    }
}

/// A NAT gateway (R8.1–R8.5).
public struct NATGateway: Sendable {
    public enum Connectivity: String, Sendable, Hashable, CaseIterable {
        case `public`
        case `private`
    }
    public var label: ResourceLabel
    public var subnet: SubnetIndex
    public var connectivity: Connectivity
    /// Lower-cased state; only `available` forwards (R8.5).
    public var state: ResourceState
    /// The NAT gateway's own interface: its private IP and, when public, its Elastic IP.
    public var interface: InterfaceIndex?

    public init(label: ResourceLabel, subnet: SubnetIndex, connectivity: Connectivity, state: ResourceState = .available) {
        self.label = label
        self.subnet = subnet
        self.connectivity = connectivity
        self.state = state
    }
}

/// A VPC peering connection (R12.1–R12.3).
public struct PeeringConnection: Sendable {
    public var label: ResourceLabel
    public var requester: VPCIndex?
    public var accepter: VPCIndex?
    /// CIDR blocks of each side, used when a side's VPC is outside the topology (R12.2).
    public var requesterCIDRs: [IPPrefix]
    public var accepterCIDRs: [IPPrefix]
    /// `Status.Code`; only `active` carries traffic (R12.1).
    public var status: ResourceState

    public init(label: ResourceLabel, requester: VPCIndex?, accepter: VPCIndex?, status: ResourceState = .active) {
        self.label = label
        self.requester = requester
        self.accepter = accepter
        self.requesterCIDRs = []
        self.accepterCIDRs = []
        self.status = status
    }

    /// The CIDR blocks on the other side of the connection, seen from `vpc`.
    public func peerCIDRs(from vpc: VPCIndex) -> [IPPrefix] { vpc == requester ? accepterCIDRs : requesterCIDRs }

    /// The VPC on the other side, when it is in the topology.
    public func peer(of vpc: VPCIndex) -> VPCIndex? { vpc == requester ? accepter : requester }
}

/// A transit gateway: its attachments and route tables (R12.4, R12.5, R19.1).
public struct TransitGateway: Sendable {
    /// One attachment: what the transit gateway connects, and the route table that routes what
    /// enters through it.
    public struct Attachment: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// A VPC, through an interface in each of `subnets` (one per Availability Zone).
            case vpc(VPCIndex)
            /// A peering attachment to another transit gateway (`nil` when it is outside the input),
            /// and the index of its side's attachment there.
            case peering(TransitGatewayIndex?, peerAttachment: Int?)
            /// A Site-to-Site VPN, a Direct Connect gateway or a Connect attachment: traffic leaves AWS.
            case hybrid(String)
            /// A VPC the input does not hold (another account's, not collected), named by the text:
            /// packets routed to it are insufficient data (R15.4).
            case outside(String)
        }
        public var label: ResourceLabel
        public var kind: Kind
        public var subnets: [SubnetIndex]
        /// Lower-cased state; only `available` carries traffic (R19.1).
        public var state: ResourceState
        /// The route table of this transit gateway associated with the attachment (R12.5).
        public var routeTable: Int?
        /// Appliance mode: both directions of a flow use one Availability Zone (R19.1).
        public var applianceMode: Bool
        /// For VPC attachments: security-group referencing support, on by default (the transit
        /// gateway's own option is off by default; references need both, R19.1).
        public var securityGroupReferencing = true
        /// For VPN and Direct Connect attachments: the on-premises networks behind it, from which
        /// traffic enters the transit gateway here (R19.1, R19.2).
        public var onPremises: [IPPrefix] = []

        public init(label: ResourceLabel, kind: Kind, subnets: [SubnetIndex] = [], state: ResourceState = .available, routeTable: Int? = nil) {
            self.label = label
            self.kind = kind
            self.subnets = subnets
            self.state = state
            self.routeTable = routeTable
            self.applianceMode = false
        }

        /// The attached VPC, for VPC attachments.
        public var vpc: VPCIndex? { if case .vpc(let vpc) = kind { return vpc } else { return nil } }
    }

    /// A route of a transit gateway route table (R12.5).
    public struct Route: Sendable, Hashable {
        public enum Target: Sendable, Hashable {
            case attachment(Int)
            case blackhole
            /// An attachment the input does not name (a snapshot route listing none): packets the
            /// route carries are insufficient data (R15.4).
            case unknown
        }
        public var destination: RouteDestination
        public var target: Target
        /// Propagated from an attachment (lower priority than static on equal prefixes, R12.5).
        public var propagated: Bool

        public init(destination: RouteDestination, target: Target, propagated: Bool = false) {
            self.destination = destination
            self.target = target
            self.propagated = propagated
        }
    }

    public struct RouteTable: Sendable {
        public var label: ResourceLabel
        public var routes: [Route]
        public init(label: ResourceLabel, routes: [Route] = []) {
            self.label = label
            self.routes = routes
        }
    }

    public var label: ResourceLabel
    public var attachments: [Attachment]
    public var routeTables: [RouteTable]
    /// Whether the route tables are known: a snapshot collected without them leaves every packet
    /// that needs them insufficient data (R15.4, R19.1).
    public var routeTablesKnown: Bool
    /// Security-group referencing support across this transit gateway (R9.4, R19.1).
    public var securityGroupReferencing: Bool

    public init(label: ResourceLabel, attachments: [Attachment] = [], routeTables: [RouteTable] = [], routeTablesKnown: Bool = true) {
        self.label = label
        self.attachments = attachments
        self.routeTables = routeTables
        self.routeTablesKnown = routeTablesKnown
        self.securityGroupReferencing = false
    }

    /// AWS's default for a transit gateway whose route tables are not written: one default route
    /// table, every attachment associated with it, and every VPC attachment propagating its VPC's
    /// blocks into it (`DefaultRouteTableAssociation` and `DefaultRouteTablePropagation`, R19.1).
    public mutating func addDefaultRouteTable(label: ResourceLabel, topology: some NetworkResources) {
        var table = RouteTable(label: label)
        for (index, attachment) in attachments.enumerated() {
            attachments[index].routeTable = routeTables.count
            guard let vpc = attachment.vpc else { continue }
            table.routes += topology[vpc].cidrs.map { Route(destination: .cidr($0), target: .attachment(index), propagated: true) }
        }
        routeTables.append(table)
    }
}

/// A virtual private gateway: the VPC side of a Site-to-Site VPN or Direct Connect.
public struct VPNGateway: Sendable {
    public var label: ResourceLabel
    public var attachedVPC: VPCIndex?
    public init(label: ResourceLabel, attachedVPC: VPCIndex?) {
        self.label = label
        self.attachedVPC = attachedVPC
    }
}

/// A Site-to-Site VPN connection of a virtual private gateway (R19.2).
public struct VPNConnection: Sendable {
    /// What carries the traffic between the gateway and the on-premises side.
    public enum Kind: String, Sendable, CaseIterable {
        /// A Site-to-Site VPN connection: static routes or BGP.
        case siteToSiteVPN = "vpn"
        /// A Direct Connect gateway associated with the virtual private gateway: always BGP.
        case directConnect = "direct-connect"
    }
    public var label: ResourceLabel
    public var kind: Kind = .siteToSiteVPN
    public var gateway: VPNGatewayIndex
    /// Lower-cased `State`; only `available` carries traffic.
    public var state: ResourceState
    /// `Options.StaticRoutesOnly`: its static routes decide what it covers; else BGP, whose
    /// learned prefixes are in no describe output.
    public var staticRoutesOnly: Bool
    /// Its static routes in state `available`.
    public var routes: [IPPrefix]
    /// On-premises networks behind it, from which traffic enters the VPC (a scenario's
    /// `on-premises-cidrs`: the input says where sources outside AWS are).
    public var onPremises: [IPPrefix]

    public init(label: ResourceLabel, gateway: VPNGatewayIndex, state: ResourceState = .available, staticRoutesOnly: Bool, routes: [IPPrefix] = []) {
        self.label = label
        self.gateway = gateway
        self.state = state
        self.staticRoutesOnly = staticRoutesOnly
        self.routes = routes
        self.onPremises = []
    }

    /// Whether it carries traffic to `destination` by its static routes.
    public func covers(_ destination: IPAddress) -> Bool { state == .available && routes.contains { $0.contains(destination) } }
}

extension NetworkResources {
    /// Whether `address` is in an on-premises network the input declares: behind a virtual
    /// private gateway's connection or a transit gateway's VPN or Direct Connect attachment.
    public func isOnPremises(_ address: IPAddress) -> Bool {
        vpnConnections.contains { $0.onPremises.contains { $0.contains(address) } }
            || transitGateways.contains { $0.attachments.contains { $0.onPremises.contains { $0.contains(address) } } }
    }
}
