import PathCore

/// A whole network: every resource in flat arrays, cross-referenced by typed indices, and the
/// address maps derived from them. Built once by ``TopologyBuilder/build()`` and immutable after:
/// the classifier only reads.
public struct Topology: NetworkResources, Sendable {
    // The resources (documented by NetworkResources).
    public let account: String
    public let region: String

    public let vpcs: [VPC]
    public let subnets: [Subnet]
    public let routeTables: [RouteTable]
    public let prefixLists: [PrefixList]
    public let endpoints: [VPCEndpoint]
    public let interfaces: [NetworkInterface]
    public let instances: [Instance]
    public let lambdaFunctions: [LambdaFunction]
    public let internetGateways: [InternetGateway]
    public let egressOnlyGateways: [EgressOnlyInternetGateway]
    public let natGateways: [NATGateway]
    public let securityGroups: [SecurityGroup]
    public let networkACLs: [NetworkACL]
    public let peeringConnections: [PeeringConnection]
    public let transitGateways: [TransitGateway]
    public let vpnGateways: [VPNGateway]
    public let vpnConnections: [VPNConnection]
    public let loadBalancers: [LoadBalancer]
    public let endpointServices: [EndpointService]
    public let serviceRanges: [ServiceRange]
    public let zoneIDs: [String: [String: String]]
    public let serviceResources: [String: AWSService]

    /// Which interfaces own each private address (several only across unconnected VPCs).
    public let addressOwners: [IPAddress: [InterfaceIndex]]
    /// Which interface owns each public IPv4 address (R7.2).
    public let publicAddressOwners: [IPv4Address: InterfaceIndex]
    /// The gateway route table of each edge-associated gateway (R2.1).
    public let gatewayRouteTables: [EdgeGateway: RouteTableIndex]

    init(_ builder: TopologyBuilder) {
        account = builder.account
        region = builder.region
        vpcs = builder.vpcs
        subnets = builder.subnets
        routeTables = builder.routeTables
        prefixLists = builder.prefixLists
        endpoints = builder.endpoints
        interfaces = builder.interfaces
        instances = builder.instances
        lambdaFunctions = builder.lambdaFunctions
        internetGateways = builder.internetGateways
        egressOnlyGateways = builder.egressOnlyGateways
        natGateways = builder.natGateways
        securityGroups = builder.securityGroups
        networkACLs = builder.networkACLs
        peeringConnections = builder.peeringConnections
        transitGateways = builder.transitGateways
        vpnGateways = builder.vpnGateways
        vpnConnections = builder.vpnConnections
        loadBalancers = builder.loadBalancers
        endpointServices = builder.endpointServices
        serviceRanges = builder.serviceRanges
        zoneIDs = builder.zoneIDs
        serviceResources = builder.serviceResources
        var addressOwners: [IPAddress: [InterfaceIndex]] = [:]
        var publicAddressOwners: [IPv4Address: InterfaceIndex] = [:]
        var gatewayRouteTables: [EdgeGateway: RouteTableIndex] = [:]
        for (t, table) in routeTables.enumerated() {
            for gateway in table.gateways { gatewayRouteTables[gateway] = RouteTableIndex(t) }
        }
        for (i, interface) in interfaces.enumerated() {
            for address in interface.addresses { addressOwners[address, default: []].append(InterfaceIndex(i)) }
            for binding in interface.ipv4 {
                if let publicAddress = binding.publicAddress { publicAddressOwners[publicAddress] = InterfaceIndex(i) }
            }
        }
        self.addressOwners = addressOwners
        self.publicAddressOwners = publicAddressOwners
        self.gatewayRouteTables = gatewayRouteTables
    }

    /// The interface in `vpc` that owns the private `address`, if any.
    public func owner(of address: IPAddress, in vpc: VPCIndex) -> InterfaceIndex? {
        addressOwners[address]?.first { self.vpc(of: $0) == vpc }
    }
}

extension Topology {
    /// Every resource's label: what a name or ID given by a user (`expect: {via: …}`) may mean.
    public var resourceLabels: [ResourceLabel] {
        vpcs.map(\.label) + subnets.map(\.label) + routeTables.map(\.label) + prefixLists.map(\.label) + endpoints.map(\.label)
            + interfaces.map(\.label) + instances.map(\.label) + lambdaFunctions.map(\.label) + internetGateways.map(\.label)
            + egressOnlyGateways.map(\.label) + natGateways.map(\.label) + securityGroups.map(\.label) + networkACLs.map(\.label)
            + peeringConnections.map(\.label) + transitGateways.map(\.label) + vpnGateways.map(\.label) + vpnConnections.map(\.label)
            + loadBalancers.map(\.label) + endpointServices.map(\.label)
    }
}
