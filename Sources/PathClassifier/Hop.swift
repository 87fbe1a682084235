import VPCTopology

/// What kind of component a hop is, in the order a packet meets them (R11).
public enum HopKind: String, Sendable, Hashable, CaseIterable {
    case source
    case dns
    case securityGroupEgress = "security-group-egress"
    case networkACLEgress = "network-acl-egress"
    case routeTable = "route-table"
    case internetGateway = "internet-gateway"
    case egressOnlyInternetGateway = "egress-only-internet-gateway"
    case natGateway = "nat-gateway"
    case gatewayEndpoint = "gateway-endpoint"
    case gatewayLoadBalancerEndpoint = "gwlb-endpoint"
    case interfaceEndpoint = "interface-endpoint"
    case loadBalancer = "load-balancer"
    case peeringConnection = "peering-connection"
    case transitGateway = "transit-gateway"
    case vpnGateway = "vpn-gateway"
    case networkACLIngress = "network-acl-ingress"
    case securityGroupIngress = "security-group-ingress"
    case destination
    case awsService = "aws-service"
}

/// One step of a packet's path: which component, which resource, and the rule or route that matched.
public struct Hop: Sendable, Hashable {
    public var kind: HopKind
    public var resource: ResourceLabel
    /// The rule, route or fact that decided this hop, e.g. `route pl-… → vpce-…`.
    public var detail: String
    /// Whether the packet got past this hop; the last hop of a dropped packet is `false`.
    public var passed: Bool
    /// Which entry of the resource decided, by position: a security-group rule among its group's
    /// rules of this direction, a network ACL entry among its ACL's entries of this direction
    /// (the `*` rule after the numbered ones), a route among its table's routes; `nil` for other hops. Rule
    /// coverage counts hits by it.
    public var rule: Int?

    public init(kind: HopKind, resource: ResourceLabel, detail: String, passed: Bool = true, rule: Int? = nil) {
        self.kind = kind
        self.resource = resource
        self.detail = detail
        self.passed = passed
        self.rule = rule
    }
}

/// The answer for one packet: a reason (which implies the verdict), the hop path and notes.
public struct Classification: Sendable, Hashable {
    public var reason: Reason
    public var hops: [Hop]
    /// Informational remarks: a more specific route won, a prefix-list tie, the destination is an
    /// AWS public range (R4.11, R15.4).
    public var notes: [String]

    public init(reason: Reason, hops: [Hop], notes: [String]) {
        self.reason = reason
        self.hops = hops
        self.notes = notes
    }

    public var verdict: Verdict { reason.verdict }

    /// The hop that decided: where a dropped packet stopped, else the last component it crossed
    /// (the gateway, endpoint or interface), not the informational service label after it.
    public var decisiveHop: Hop? {
        guard verdict != .dropped, hops.count >= 2, hops[hops.count - 1].kind == .awsService,
            hops[hops.count - 2].kind != .source
        else { return hops.last }
        return hops[hops.count - 2]
    }
}
