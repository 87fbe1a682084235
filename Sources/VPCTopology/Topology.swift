import PathCore

/// A whole network: every resource in flat arrays, cross-referenced by typed indices.
///
/// Loaders (the YAML scenario format, the EC2 snapshot importer) fill the arrays and then
/// call ``rebuildIndexes()``; the classifier only reads.
public struct Topology: Sendable {
    /// The account and Region used when a resource does not name its own.
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
    /// Public address ranges of AWS services (ip-ranges.json style), for labels and DNS (R14).
    public var serviceRanges: [ServiceRange] = []
    /// Each account's Availability Zone names mapped to zone IDs (describe-availability-zones):
    /// the same name is a different zone in another account (R5.12).
    public var zoneIDs: [String: [String: String]] = [:]
    /// Named AWS resources reached over a service endpoint (a bucket, a table, a function).
    public var serviceResources: [String: AWSService] = [:]

    /// Which interfaces own each private address (several only across unconnected VPCs).
    public private(set) var addressOwners: [IPAddress: [InterfaceIndex]] = [:]
    /// Which interface owns each public IPv4 address (R7.2).
    public private(set) var publicAddressOwners: [IPv4Address: InterfaceIndex] = [:]
    /// The gateway route table of each edge-associated gateway (R2.1).
    public private(set) var gatewayRouteTables: [EdgeGateway: RouteTableIndex] = [:]

    public init(account: String, region: String) {
        self.account = account
        self.region = region
    }

    /// Recomputes the address maps after the arrays changed.
    public mutating func rebuildIndexes() {
        addressOwners = [:]
        publicAddressOwners = [:]
        gatewayRouteTables = [:]
        for (t, table) in routeTables.enumerated() {
            for gateway in table.gateways { gatewayRouteTables[gateway] = RouteTableIndex(t) }
        }
        for (i, interface) in interfaces.enumerated() {
            for address in interface.addresses { addressOwners[address, default: []].append(InterfaceIndex(i)) }
            for binding in interface.ipv4 {
                if let publicAddress = binding.publicAddress { publicAddressOwners[publicAddress] = InterfaceIndex(i) }
            }
        }
    }

    @inlinable public subscript(_ i: VPCIndex) -> VPC { vpcs[i.rawValue] }
    @inlinable public subscript(_ i: SubnetIndex) -> Subnet { subnets[i.rawValue] }
    @inlinable public subscript(_ i: RouteTableIndex) -> RouteTable { routeTables[i.rawValue] }
    @inlinable public subscript(_ i: PrefixListIndex) -> PrefixList { prefixLists[i.rawValue] }
    @inlinable public subscript(_ i: EndpointIndex) -> VPCEndpoint { endpoints[i.rawValue] }
    @inlinable public subscript(_ i: InterfaceIndex) -> NetworkInterface { interfaces[i.rawValue] }
    @inlinable public subscript(_ i: InstanceIndex) -> Instance { instances[i.rawValue] }
    @inlinable public subscript(_ i: LambdaIndex) -> LambdaFunction { lambdaFunctions[i.rawValue] }
    @inlinable public subscript(_ i: InternetGatewayIndex) -> InternetGateway { internetGateways[i.rawValue] }
    @inlinable public subscript(_ i: EgressOnlyGatewayIndex) -> EgressOnlyInternetGateway { egressOnlyGateways[i.rawValue] }
    @inlinable public subscript(_ i: NATGatewayIndex) -> NATGateway { natGateways[i.rawValue] }
    @inlinable public subscript(_ i: SecurityGroupIndex) -> SecurityGroup { securityGroups[i.rawValue] }
    @inlinable public subscript(_ i: NetworkACLIndex) -> NetworkACL { networkACLs[i.rawValue] }
    @inlinable public subscript(_ i: PeeringIndex) -> PeeringConnection { peeringConnections[i.rawValue] }
    @inlinable public subscript(_ i: TransitGatewayIndex) -> TransitGateway { transitGateways[i.rawValue] }
    @inlinable public subscript(_ i: VPNGatewayIndex) -> VPNGateway { vpnGateways[i.rawValue] }
    @inlinable public subscript(_ i: LoadBalancerIndex) -> LoadBalancer { loadBalancers[i.rawValue] }
    @inlinable public subscript(_ i: EndpointServiceIndex) -> EndpointService { endpointServices[i.rawValue] }

    /// The endpoint service a consumer's endpoint names, if its provider is in the topology (R19.4).
    public func endpointService(named serviceName: String) -> EndpointServiceIndex? {
        endpointServices.indices.first { endpointServices[$0].serviceName == serviceName }.map { EndpointServiceIndex($0) }
    }

    /// The Availability Zone ID of a subnet, comparable across accounts (R5.12): its own, else
    /// its account's mapping of the zone name; `nil` when neither is known.
    public func zoneID(of subnet: SubnetIndex) -> String? {
        let record = self[subnet]
        return record.availabilityZoneID ?? zoneIDs[self[record.vpc].account]?[record.availabilityZone]
    }

    /// The VPC an interface lives in.
    public func vpc(of interface: InterfaceIndex) -> VPCIndex { self[self[interface].subnet].vpc }

    /// The route table a subnet uses: its explicit association, else the main table (R1.13).
    public func routeTable(of subnet: SubnetIndex) -> RouteTableIndex? {
        self[subnet].routeTable ?? self[self[subnet].vpc].mainRouteTable
    }

    /// The network ACL a subnet uses: its association, else the VPC default (R10.1).
    public func networkACL(of subnet: SubnetIndex) -> NetworkACLIndex? {
        self[subnet].networkACL ?? self[self[subnet].vpc].defaultNetworkACL
    }

    /// The interface in `vpc` that owns the private `address`, if any.
    public func owner(of address: IPAddress, in vpc: VPCIndex) -> InterfaceIndex? {
        addressOwners[address]?.first { self.vpc(of: $0) == vpc }
    }

    /// The subnet of `vpc` whose CIDR contains `address`, if any.
    public func subnet(containing address: IPAddress, in vpc: VPCIndex) -> SubnetIndex? {
        subnets.indices.lazy.map { SubnetIndex($0) }.first { self[$0].vpc == vpc && self[$0].contains(address) }
    }

    /// The AWS-managed prefix list named `com.amazonaws.<region>.<service>`, if present (R3.4).
    public func awsManagedPrefixList(for serviceName: String) -> PrefixListIndex? {
        prefixLists.indices.map { PrefixListIndex($0) }.first {
            self[$0].isAWSManaged && self[$0].prefixListName == serviceName
        }
    }

    /// The label of whatever a route targets.
    public func label(of target: RouteTarget) -> ResourceLabel {
        switch target {
        case .local: return ResourceLabel(id: "local")
        case .internetGateway(let i): return self[i].label
        case .egressOnlyInternetGateway(let i): return self[i].label
        case .natGateway(let i): return self[i].label
        case .gatewayEndpoint(let i), .gatewayLoadBalancerEndpoint(let i): return self[i].label
        case .networkInterface(let i): return self[i].label
        case .peeringConnection(let i): return self[i].label
        case .transitGateway(let i): return self[i].label
        case .vpnGateway(let i): return self[i].label
        case .missing(let id): return ResourceLabel(id: id)
        }
    }

    /// The text of a route destination: the CIDR, or the prefix list's ID.
    public func label(of destination: RouteDestination) -> ResourceLabel {
        switch destination {
        case .cidr(let prefix): return ResourceLabel(id: prefix.description)
        case .prefixList(let i): return self[i].label
        }
    }
}
