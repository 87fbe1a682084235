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
    public enum Connectivity: String, Sendable, Hashable {
        case `public`
        case `private`
    }
    public var label: ResourceLabel
    public var subnet: SubnetIndex
    public var connectivity: Connectivity
    /// Lower-cased state; only `available` forwards (R8.5).
    public var state: String
    /// The NAT gateway's own interface: its private IP and, when public, its Elastic IP.
    public var interface: InterfaceIndex?

    public init(label: ResourceLabel, subnet: SubnetIndex, connectivity: Connectivity, state: String = "available") {
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
    public var status: String

    public init(label: ResourceLabel, requester: VPCIndex?, accepter: VPCIndex?, status: String = "active") {
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

/// A transit gateway with its VPC attachments (R12.4).
public struct TransitGateway: Sendable {
    public struct Attachment: Sendable, Hashable {
        public var vpc: VPCIndex
        public var subnets: [SubnetIndex]
        public init(vpc: VPCIndex, subnets: [SubnetIndex]) {
            self.vpc = vpc
            self.subnets = subnets
        }
    }
    public var label: ResourceLabel
    public var attachments: [Attachment]
    public init(label: ResourceLabel, attachments: [Attachment] = []) {
        self.label = label
        self.attachments = attachments
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
