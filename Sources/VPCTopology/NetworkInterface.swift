import PathCore

/// An elastic network interface (R13.2, R16.6).
public struct NetworkInterface: Sendable {
    /// What created the interface; it decides which checks apply (R5.3, R6.2, R8.1).
    public enum Owner: Sendable, Hashable {
        case instance(InstanceIndex)
        /// A Lambda Hyperplane ENI, shared by functions with the same subnet and SGs (R6.1).
        case lambda([LambdaIndex])
        case interfaceEndpoint(EndpointIndex)
        case gatewayLoadBalancerEndpoint(EndpointIndex)
        case natGateway(NATGatewayIndex)
        /// A Network Load Balancer's node in one Availability Zone (R19.3).
        case loadBalancer(LoadBalancerIndex)
        /// An interface AWS manages for something that carries traffic but is no host (a transit
        /// gateway attachment; a NAT gateway missing from a snapshot): it accepts no connections to
        /// itself. The text names what it belongs to.
        case managed(String)
        /// A detached or otherwise unowned interface.
        case none
    }

    /// One private IPv4 address and the public IPv4 (auto-assigned or Elastic IP) paired with it (R7.2).
    public struct IPv4Binding: Sendable, Hashable {
        public var privateAddress: IPv4Address
        public var publicAddress: IPv4Address?
        public init(privateAddress: IPv4Address, publicAddress: IPv4Address? = nil) {
            self.privateAddress = privateAddress
            self.publicAddress = publicAddress
        }
    }

    public var label: ResourceLabel
    public var subnet: SubnetIndex
    public var owner: Owner
    /// Private IPv4 addresses, primary first.
    public var ipv4: [IPv4Binding]
    public var ipv6: [IPv6Address]
    public var securityGroups: [SecurityGroupIndex]
    /// Source/destination check (R13.2), on by default.
    public var sourceDestCheck: Bool
    /// Whether the interface is attached (an unattached ENI cannot send or receive, R7.4).
    public var isAttached: Bool

    public init(label: ResourceLabel, subnet: SubnetIndex, owner: Owner) {
        self.label = label
        self.subnet = subnet
        self.owner = owner
        self.ipv4 = []
        self.ipv6 = []
        self.securityGroups = []
        self.sourceDestCheck = true
        self.isAttached = true
    }

    /// Every private address of the interface, IPv4 first.
    public var addresses: [IPAddress] { ipv4.map { .v4($0.privateAddress) } + ipv6.map { .v6($0) } }

    /// Whether `address` is one of the interface's private addresses.
    public func owns(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): return ipv4.contains { $0.privateAddress == a }
        case .v6(let a): return ipv6.contains(a)
        }
    }

    /// The public IPv4 paired with the private `address`, if any (R7.2).
    public func publicAddress(for address: IPv4Address) -> IPv4Address? {
        ipv4.first { $0.privateAddress == address }?.publicAddress
    }
}

/// An EC2 instance; its interfaces carry the addresses.
public struct Instance: Sendable {
    public var label: ResourceLabel
    /// `running`, `stopped`, … (R16.11).
    public var state: ResourceState
    public var interfaces: [InterfaceIndex]

    public init(label: ResourceLabel, state: ResourceState = .running, interfaces: [InterfaceIndex] = []) {
        self.label = label
        self.state = state
        self.interfaces = interfaces
    }

    public var isRunning: Bool { state == .running }
}

/// A Lambda function, outside any VPC (R6.6) or attached through Hyperplane ENIs (R6.1).
public struct LambdaFunction: Sendable {
    public var label: ResourceLabel
    public var region: String
    /// The Hyperplane ENIs it sends from; empty for a function outside any VPC.
    public var interfaces: [InterfaceIndex]
    /// `VpcConfig.Ipv6AllowedForDualStack` (R6.5).
    public var ipv6AllowedForDualStack: Bool

    public init(label: ResourceLabel, region: String, interfaces: [InterfaceIndex] = [], ipv6AllowedForDualStack: Bool = false) {
        self.label = label
        self.region = region
        self.interfaces = interfaces
        self.ipv6AllowedForDualStack = ipv6AllowedForDualStack
    }

    /// Whether the function is attached to a VPC.
    public var isInVPC: Bool { !interfaces.isEmpty }
}
