import PathCore

/// A VPC: its CIDR blocks, Region and DNS attributes.
public struct VPC: Sendable {
    public var label: ResourceLabel
    public var account: String
    public var region: String
    /// IPv4 CIDR blocks in `associated` state; the first is the primary (R1.3, R13.1).
    public var ipv4CIDRs: [IPv4Prefix]
    /// IPv6 CIDR blocks in `associated` state (R1.3).
    public var ipv6CIDRs: [IPv6Prefix]
    /// `enableDnsSupport` (default true): the Route 53 Resolver answers (R13.3).
    public var dnsSupport: Bool
    /// `enableDnsHostnames`: with ``dnsSupport``, needed for interface-endpoint private DNS (R5.6).
    public var dnsHostnames: Bool
    /// VPC Block Public Access for this VPC's Region (R7.8).
    public var blockPublicAccess: BlockPublicAccess = .off
    /// A BPA exclusion for the whole VPC, if any (R7.8).
    public var blockPublicAccessExclusion: BlockPublicAccess.Exclusion?
    /// The main route table (R1.13); `nil` only in an incomplete snapshot.
    public var mainRouteTable: RouteTableIndex?
    /// The default network ACL (R10.1).
    public var defaultNetworkACL: NetworkACLIndex?
    /// The default security group (R9.6).
    public var defaultSecurityGroup: SecurityGroupIndex?

    public init(
        label: ResourceLabel, account: String, region: String, ipv4CIDRs: [IPv4Prefix], ipv6CIDRs: [IPv6Prefix],
        dnsSupport: Bool = true, dnsHostnames: Bool = true
    ) {
        self.label = label
        self.account = account
        self.region = region
        self.ipv4CIDRs = ipv4CIDRs
        self.ipv6CIDRs = ipv6CIDRs
        self.dnsSupport = dnsSupport
        self.dnsHostnames = dnsHostnames
    }

    /// All CIDR blocks of the VPC, IPv4 first.
    public var cidrs: [IPPrefix] { ipv4CIDRs.map { .v4($0) } + ipv6CIDRs.map { .v6($0) } }

    /// Whether `address` lies in one of the VPC's CIDR blocks.
    public func contains(_ address: IPAddress) -> Bool { cidrs.contains { $0.contains(address) } }

    /// The Amazon DNS server address: the primary IPv4 CIDR's base plus two (R13.1, R13.3).
    public var dnsServer: IPv4Address? {
        ipv4CIDRs.first.map { IPv4Address($0.network.rawValue &+ 2) }
    }
}

/// A subnet: one Availability Zone, one IPv4 block and optionally one IPv6 block.
public struct Subnet: Sendable {
    public var label: ResourceLabel
    public var vpc: VPCIndex
    public var availabilityZone: String
    /// The zone's ID (`use1-az1`), when the input gives it (R5.12).
    public var availabilityZoneID: String?
    public var ipv4CIDR: IPv4Prefix?
    public var ipv6CIDR: IPv6Prefix?
    /// An explicitly associated route table; `nil` means the VPC's main table (R1.13).
    public var routeTable: RouteTableIndex?
    /// The associated network ACL; `nil` means the VPC's default NACL (R10.1).
    public var networkACL: NetworkACLIndex?
    /// A BPA exclusion for this subnet, if any (R7.8).
    public var blockPublicAccessExclusion: BlockPublicAccess.Exclusion?

    public init(
        label: ResourceLabel, vpc: VPCIndex, availabilityZone: String, ipv4CIDR: IPv4Prefix?, ipv6CIDR: IPv6Prefix?
    ) {
        self.label = label
        self.vpc = vpc
        self.availabilityZone = availabilityZone
        self.ipv4CIDR = ipv4CIDR
        self.ipv6CIDR = ipv6CIDR
    }

    /// The subnet's CIDR blocks.
    public var cidrs: [IPPrefix] { [ipv4CIDR.map { IPPrefix.v4($0) }, ipv6CIDR.map { IPPrefix.v6($0) }].compactMap { $0 } }

    /// Whether `address` is on-link in this subnet (layer 2, R1.14).
    public func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): return ipv4CIDR?.contains(a) ?? false
        case .v6(let a): return ipv6CIDR?.contains(a) ?? false
        }
    }

    /// Whether `address` is one of the five IPv4 addresses AWS reserves in the subnet:
    /// network, +1 router, +2 DNS, +3 future use, and the last (broadcast) (R13.1).
    public func isReserved(_ address: IPAddress) -> Bool {
        guard case .v4(let a) = address, let cidr = ipv4CIDR, cidr.contains(a) else { return false }
        let offset = a.rawValue &- cidr.network.rawValue
        return offset <= 3 || a == cidr.last
    }
}

/// VPC Block Public Access (R7.8): whether traffic to and from internet gateways is blocked.
public enum BlockPublicAccess: String, Sendable, Hashable {
    case off
    /// All traffic to and from internet and egress-only internet gateways is dropped.
    case blockBidirectional = "block-bidirectional"
    /// Internet-initiated inbound traffic is dropped; only traffic through NAT gateways and
    /// egress-only internet gateways is allowed.
    case blockIngress = "block-ingress"

    /// An exclusion re-allowing access for a VPC or subnet.
    public enum Exclusion: String, Sendable, Hashable {
        case allowBidirectional = "allow-bidirectional"
        case allowEgress = "allow-egress"
    }
}
