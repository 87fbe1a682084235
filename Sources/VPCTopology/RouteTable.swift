import PathCore

/// A route table: its routes and which subnets use it (R1.13).
public struct RouteTable: Sendable {
    public var label: ResourceLabel
    public var vpc: VPCIndex
    /// Whether this is the VPC's main table, used by every subnet without an explicit association.
    public var isMain: Bool
    public var routes: [Route]
    /// The gateways this table is edge-associated with: a gateway route table routes what enters
    /// the VPC through them, before the destination subnet (R2.1).
    public var gateways: [EdgeGateway] = []

    public init(label: ResourceLabel, vpc: VPCIndex, isMain: Bool, routes: [Route] = []) {
        self.label = label
        self.vpc = vpc
        self.isMain = isMain
        self.routes = routes
    }
}

/// A gateway a route table can be edge-associated with (R2.1).
public enum EdgeGateway: Sendable, Hashable {
    case internetGateway(InternetGatewayIndex)
    case vpnGateway(VPNGatewayIndex)
}

/// One route: a destination, a target, a state and an origin (R1.11, R1.12).
public struct Route: Sendable, Hashable {
    public var destination: RouteDestination
    public var target: RouteTarget
    public var state: RouteState
    public var origin: RouteOrigin

    public init(destination: RouteDestination, target: RouteTarget, state: RouteState = .active, origin: RouteOrigin) {
        self.destination = destination
        self.target = target
        self.state = state
        self.origin = origin
    }
}

/// Where a route sends packets to: a CIDR block or every entry of a managed prefix list.
public enum RouteDestination: Sendable, Hashable {
    case cidr(IPPrefix)
    case prefixList(PrefixListIndex)
}

/// What a route forwards to (R1.15).
public enum RouteTarget: Sendable, Hashable {
    /// The VPC's local router (R1.3).
    case local
    case internetGateway(InternetGatewayIndex)
    case egressOnlyInternetGateway(EgressOnlyGatewayIndex)
    case natGateway(NATGatewayIndex)
    /// A gateway endpoint (S3, DynamoDB), always on a prefix-list destination (R4.2).
    case gatewayEndpoint(EndpointIndex)
    /// A Gateway Load Balancer endpoint (R1.15).
    case gatewayLoadBalancerEndpoint(EndpointIndex)
    /// A network interface (a middlebox appliance, R1.8/R1.9); instance targets resolve to their ENI.
    case networkInterface(InterfaceIndex)
    case peeringConnection(PeeringIndex)
    case transitGateway(TransitGatewayIndex)
    case vpnGateway(VPNGatewayIndex)
    /// A target whose record is missing from the input (an incomplete snapshot); packets
    /// that need it are dropped as insufficient data, never guessed.
    case missing(id: String)
}

/// Route state (R1.11). `filtered` routes are not installed.
public enum RouteState: String, Sendable, Hashable {
    case active
    case blackhole
    case filtered
}

/// Route origin (R1.12) and, from it, the priority class used on prefix-length ties.
public enum RouteOrigin: String, Sendable, Hashable {
    /// `CreateRouteTable`: the automatic local routes.
    case createRouteTable = "CreateRouteTable"
    /// `CreateRoute`: static routes, including gateway-endpoint routes.
    case createRoute = "CreateRoute"
    /// `EnableVgwRoutePropagation`: routes propagated from a virtual private gateway.
    case propagated = "EnableVgwRoutePropagation"
    /// `Advertisement`: VPC Route Server routes, treated as propagated (R1.4, Q3).
    case advertisement = "Advertisement"

    /// Whether this origin counts as static for R1.4–R1.6.
    public var isStatic: Bool { self == .createRouteTable || self == .createRoute }
}
