import PathCore

/// The resource arrays of a network, cross-referenced by typed indices, and what can be read from
/// them alone: shared by ``TopologyBuilder`` (while a loader fills them) and ``Topology`` (after).
public protocol NetworkResources {
    /// The account and Region used when a resource does not name its own.
    var account: String { get }
    var region: String { get }

    var vpcs: [VPC] { get }
    var subnets: [Subnet] { get }
    var routeTables: [RouteTable] { get }
    var prefixLists: [PrefixList] { get }
    var endpoints: [VPCEndpoint] { get }
    var interfaces: [NetworkInterface] { get }
    var instances: [Instance] { get }
    var lambdaFunctions: [LambdaFunction] { get }
    var internetGateways: [InternetGateway] { get }
    var egressOnlyGateways: [EgressOnlyInternetGateway] { get }
    var natGateways: [NATGateway] { get }
    var securityGroups: [SecurityGroup] { get }
    var networkACLs: [NetworkACL] { get }
    var peeringConnections: [PeeringConnection] { get }
    var transitGateways: [TransitGateway] { get }
    var vpnGateways: [VPNGateway] { get }
    var vpnConnections: [VPNConnection] { get }
    var loadBalancers: [LoadBalancer] { get }
    var endpointServices: [EndpointService] { get }
    /// Public address ranges of AWS services (ip-ranges.json style), for labels and DNS (R14).
    var serviceRanges: [ServiceRange] { get }
    /// Each account's Availability Zone names mapped to zone IDs (describe-availability-zones):
    /// the same name is a different zone in another account (R5.12).
    var zoneIDs: [String: [String: String]] { get }
    /// Named AWS resources reached over a service endpoint (a bucket, a table, a function).
    var serviceResources: [String: AWSService] { get }
}

extension NetworkResources {
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

    /// Every interface by its ID (`eni-…`): flow log records and walked paths name interfaces so.
    public func interfacesByID() -> [String: InterfaceIndex] {
        var found: [String: InterfaceIndex] = [:]
        for index in interfaces.indices { found[interfaces[index].label.id] = InterfaceIndex(index) }
        return found
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
