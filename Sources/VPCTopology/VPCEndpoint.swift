import PathCore

/// A VPC endpoint (R4, R5).
public struct VPCEndpoint: Sendable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case gateway
        case interface
        case gatewayLoadBalancer = "gateway-load-balancer"
    }

    public var label: ResourceLabel
    public var kind: Kind
    public var vpc: VPCIndex
    /// The full service name, e.g. `com.amazonaws.us-east-1.s3`.
    public var serviceName: String
    /// Lower-cased state; only `available` forwards (R5.5).
    public var state: ResourceState
    /// Gateway endpoints: the tables holding the `pl-… → vpce-…` route (R4.2).
    public var routeTables: [RouteTableIndex]
    /// Interface and GWLB endpoints: one ENI per subnet (R5.1).
    public var interfaces: [InterfaceIndex]
    /// Interface endpoints: private DNS for the service's default name (R5.6).
    public var privateDNSEnabled: Bool
    /// S3 interface endpoints: `PrivateDnsOnlyForInboundResolverEndpoint` (R5.7).
    public var privateDNSOnlyForInboundResolver: Bool
    /// DNS names the endpoint answers to (Regional, zonal and private names).
    public var dnsNames: [String]
    /// GWLB endpoints: how many targets the Gateway Load Balancer behind it has registered; `nil`
    /// when the input does not say (its appliances are then taken to return every packet). None
    /// drops what the endpoint receives (R19.5).
    public var gatewayLoadBalancerTargets: Int?

    public init(label: ResourceLabel, kind: Kind, vpc: VPCIndex, serviceName: String, state: ResourceState = .available) {
        self.label = label
        self.kind = kind
        self.vpc = vpc
        self.serviceName = serviceName
        self.state = state
        self.routeTables = []
        self.interfaces = []
        self.privateDNSEnabled = false
        self.privateDNSOnlyForInboundResolver = false
        self.dnsNames = []
    }

    /// Whether the endpoint forwards traffic (R5.5).
    public var isAvailable: Bool { state == .available }
}
