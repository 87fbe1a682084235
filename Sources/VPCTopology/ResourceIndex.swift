/// A typed position of a resource in one of the ``Topology`` arrays.
///
/// `ResourceIndex<Subnet>` and `ResourceIndex<RouteTable>` are different types, so a
/// subnet index can never be used to look up a route table.
public struct ResourceIndex<Resource>: Hashable, Comparable, Sendable {
    public let rawValue: Int
    @inlinable
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    @inlinable
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a resource is shown to people: its AWS ID and, when it has one, its name.
public struct ResourceLabel: Hashable, Sendable, CustomStringConvertible {
    /// The AWS ID (`subnet-…`, `rtb-…`, `vpce-…`).
    public var id: String
    /// The scenario name or `Name` tag, if any.
    public var name: String?

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name
    }

    /// `name (id)` when named, otherwise the ID.
    public var description: String {
        if let name, name != id { return "\(name) (\(id))" }
        return id
    }
}

public typealias VPCIndex = ResourceIndex<VPC>
public typealias SubnetIndex = ResourceIndex<Subnet>
public typealias RouteTableIndex = ResourceIndex<RouteTable>
public typealias PrefixListIndex = ResourceIndex<PrefixList>
public typealias EndpointIndex = ResourceIndex<VPCEndpoint>
public typealias InterfaceIndex = ResourceIndex<NetworkInterface>
public typealias InstanceIndex = ResourceIndex<Instance>
public typealias LambdaIndex = ResourceIndex<LambdaFunction>
public typealias InternetGatewayIndex = ResourceIndex<InternetGateway>
public typealias EgressOnlyGatewayIndex = ResourceIndex<EgressOnlyInternetGateway>
public typealias NATGatewayIndex = ResourceIndex<NATGateway>
public typealias SecurityGroupIndex = ResourceIndex<SecurityGroup>
public typealias NetworkACLIndex = ResourceIndex<NetworkACL>
public typealias PeeringIndex = ResourceIndex<PeeringConnection>
public typealias TransitGatewayIndex = ResourceIndex<TransitGateway>
public typealias VPNGatewayIndex = ResourceIndex<VPNGateway>
public typealias LoadBalancerIndex = ResourceIndex<LoadBalancer>
public typealias EndpointServiceIndex = ResourceIndex<EndpointService>
