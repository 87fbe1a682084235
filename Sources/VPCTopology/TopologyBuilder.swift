import PathCore

/// A network being assembled: the loaders (the YAML scenario format, the EC2 snapshot importer)
/// append resources and fill in their cross-references, then call ``build()`` once. What
/// ``Topology`` derives from the arrays (which interface owns an address, which table a gateway
/// uses) is computed there, so no loader can forget it and nothing can change it afterwards.
public struct TopologyBuilder: NetworkResources, Sendable {
    // The resources (documented by NetworkResources).
    public var account: String
    public var region: String

    public var vpcs: [VPC] = []
    public var subnets: [Subnet] = []
    public var routeTables: [RouteTable] = []
    public var prefixLists: [PrefixList] = []
    public var endpoints: [VPCEndpoint] = []
    public var interfaces: [NetworkInterface] = []
    public var instances: [Instance] = []
    public var lambdaFunctions: [LambdaFunction] = []
    public var internetGateways: [InternetGateway] = []
    public var egressOnlyGateways: [EgressOnlyInternetGateway] = []
    public var natGateways: [NATGateway] = []
    public var securityGroups: [SecurityGroup] = []
    public var networkACLs: [NetworkACL] = []
    public var peeringConnections: [PeeringConnection] = []
    public var transitGateways: [TransitGateway] = []
    public var vpnGateways: [VPNGateway] = []
    public var vpnConnections: [VPNConnection] = []
    public var loadBalancers: [LoadBalancer] = []
    public var endpointServices: [EndpointService] = []
    public var serviceRanges: [ServiceRange] = []
    public var zoneIDs: [String: [String: String]] = [:]
    public var serviceResources: [String: AWSService] = [:]

    public init(account: String, region: String) {
        self.account = account
        self.region = region
    }

    /// A builder holding `topology`'s resources, to derive a changed topology from it.
    public init(_ topology: Topology) {
        account = topology.account
        region = topology.region
        vpcs = topology.vpcs
        subnets = topology.subnets
        routeTables = topology.routeTables
        prefixLists = topology.prefixLists
        endpoints = topology.endpoints
        interfaces = topology.interfaces
        instances = topology.instances
        lambdaFunctions = topology.lambdaFunctions
        internetGateways = topology.internetGateways
        egressOnlyGateways = topology.egressOnlyGateways
        natGateways = topology.natGateways
        securityGroups = topology.securityGroups
        networkACLs = topology.networkACLs
        peeringConnections = topology.peeringConnections
        transitGateways = topology.transitGateways
        vpnGateways = topology.vpnGateways
        vpnConnections = topology.vpnConnections
        loadBalancers = topology.loadBalancers
        endpointServices = topology.endpointServices
        serviceRanges = topology.serviceRanges
        zoneIDs = topology.zoneIDs
        serviceResources = topology.serviceResources
    }

    /// The finished, immutable topology.
    public func build() -> Topology { Topology(self) }
}
