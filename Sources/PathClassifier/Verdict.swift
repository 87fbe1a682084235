/// Which way a packet goes: exactly one per packet.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    /// Delivered without traversing an internet gateway.
    case `private`
    /// Leaves the VPC through an internet gateway (directly, via NAT, or egress-only).
    case internet
    /// Not delivered.
    case dropped
}

/// Why a packet got its verdict: a closed vocabulary, documented in docs/reasons.md with the
/// matching Reachability Analyzer explanation code and Batfish flow disposition (R15.4).
public enum Reason: String, Sendable, Hashable, CaseIterable {
    // private
    case local
    case interfaceEndpoint = "interface-endpoint"
    case gatewayEndpoint = "gateway-endpoint"
    case peering
    case transitGateway = "transit-gateway"
    case vpnGateway = "vpn-gateway"
    case tgwHybrid = "tgw-hybrid"
    case vpnInbound = "vpn-inbound"
    case awsDNS = "aws-dns"
    case awsLinkLocal = "aws-link-local"
    case linkLayer = "link-layer"
    // internet
    case igwDirect = "igw-direct"
    case igwViaNAT = "igw-via-nat"
    case egressOnlyIGW = "egress-only-igw"
    case igwInbound = "igw-inbound"
    case igwHairpin = "igw-hairpin"
    // dropped
    case noRoute = "no-route"
    case blackholeRoute = "blackhole-route"
    case securityGroupEgress = "sg-egress"
    case securityGroupIngress = "sg-ingress"
    case networkACLEgress = "nacl-egress"
    case networkACLIngress = "nacl-ingress"
    case igwNoPublicIP = "igw-no-public-ip"
    case igwPrivateAddress = "igw-private-address"
    case bpaBlocked = "bpa-blocked"
    case sourceDestCheck = "src-dest-check"
    case noSuchHost = "no-such-host"
    case reservedAddress = "reserved-address"
    case dnsDisabled = "dns-disabled"
    case peeringNotTransitive = "peering-not-transitive"
    case gatewayEndpointProtocol = "gateway-endpoint-protocol"
    case gatewayEndpointNotExtensible = "gateway-endpoint-not-extensible"
    case vpnNoRoute = "vpn-no-route"
    case endpointProtocol = "endpoint-protocol"
    case endpointNotAvailable = "endpoint-not-available"
    case endpointCannotInitiate = "endpoint-cannot-initiate"
    case lambdaENINotInbound = "lambda-eni-not-inbound"
    case natNotAvailable = "nat-not-available"
    case natProtocol = "nat-protocol"
    case transitGatewayAZ = "tgw-az"
    case tgwNoRoute = "tgw-no-route"
    case tgwBlackhole = "tgw-blackhole"
    case gatewayState = "gateway-state"
    case loop
    case lbNoTarget = "lb-no-target"
    case lbNoListener = "lb-no-listener"
    case endpointServiceNotInAZ = "endpoint-service-not-in-az"
    case insufficientData = "insufficient-data"
    case unknownSource = "unknown-source"
    case igwNotPublicTarget = "igw-not-public-target"
    case eigwUnsolicitedInbound = "eigw-unsolicited-inbound"
    case asymmetricReturn = "asymmetric-return"
    case notInTopology = "not-in-topology"
    case fragmentWithoutFirst = "fragment-without-first"
    case malformedFrame = "malformed-frame"

    /// This reason's position in `allCases` (declaration order), for counting in arrays: a
    /// payload-free enum is stored as its case's index (a test checks every case).
    @inlinable
    public var ordinal: Int { Int(unsafeBitCast(self, to: UInt8.self)) }

    /// The verdict this reason implies.
    public var verdict: Verdict {
        switch self {
        case .local, .interfaceEndpoint, .gatewayEndpoint, .peering,
            .transitGateway, .vpnGateway, .tgwHybrid, .vpnInbound, .awsDNS, .awsLinkLocal, .linkLayer:
            return .private
        case .igwDirect, .igwViaNAT, .egressOnlyIGW, .igwInbound, .igwHairpin:
            return .internet
        default:
            return .dropped
        }
    }

    /// The nearest VPC Reachability Analyzer explanation code (R15.2, R15.4); `nil` when reachable
    /// or when Reachability Analyzer has no such code.
    public var reachabilityAnalyzerCode: String? {
        switch self {
        case .local, .interfaceEndpoint, .gatewayEndpoint, .peering,
            .transitGateway, .vpnGateway, .tgwHybrid, .vpnInbound, .awsDNS, .awsLinkLocal, .igwDirect, .igwViaNAT, .egressOnlyIGW, .linkLayer,
            .igwInbound, .igwHairpin:
            return nil
        case .noRoute: return "NO_ROUTE_TO_DESTINATION"
        case .blackholeRoute: return "BAD_STATE_ROUTE"
        case .securityGroupEgress, .securityGroupIngress: return "ENI_SG_RULES_MISMATCH"
        case .networkACLEgress, .networkACLIngress: return "SUBNET_ACL_RESTRICTION"
        case .igwNoPublicIP: return "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
        case .igwPrivateAddress: return "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
        case .bpaBlocked: return "VPC_BLOCK_PUBLIC_ACCESS_ENABLED"
        case .sourceDestCheck: return "ENI_SOURCE_DEST_CHECK_RESTRICTION"
        case .noSuchHost: return "NO_POSSIBLE_DESTINATION"
        case .reservedAddress, .dnsDisabled, .lambdaENINotInbound, .loop, .unknownSource, .eigwUnsolicitedInbound,
            .notInTopology, .fragmentWithoutFirst, .malformedFrame:
            return nil
        case .asymmetricReturn: return "NO_ROUTE_TO_DESTINATION"
        case .igwNotPublicTarget: return "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
        case .peeringNotTransitive: return "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
        case .gatewayEndpointProtocol: return "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
        case .endpointProtocol: return "PROTOCOL_RESTRICTION"
        case .endpointNotAvailable, .natNotAvailable: return "BAD_STATE"
        case .endpointCannotInitiate: return "VPCE_INTRA_VPC_TRAFFIC"
        case .natProtocol: return "PROTOCOL_RESTRICTION"
        case .transitGatewayAZ: return "TGW_ROUTE_AZ_RESTRICTION"
        case .tgwNoRoute: return "TGW_RTB_CANNOT_ROUTE"
        case .vpnNoRoute: return "VGW_NO_ROUTE"
        case .gatewayEndpointNotExtensible: return "VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION"
        case .tgwBlackhole: return "TGW_RTB_BAD_STATE_ROUTE"
        case .gatewayState: return "BAD_STATE_ATTACHMENT"
        case .insufficientData: return "UNKNOWN_RESOURCE"
        case .lbNoTarget: return "ELBV2_NO_TARGETS_IN_AZ"
        case .lbNoListener: return "ELBV2_LISTENER_PORT_RESTRICTION"
        case .endpointServiceNotInAZ: return "VPCE_SERVICE_NOT_INSTALLED_IN_AZ"
        }
    }

    /// The Batfish flow disposition closest to this reason (R15.3, R15.4).
    public var batfishDisposition: String {
        switch self {
        case .local, .interfaceEndpoint, .peering: return "ACCEPTED"
        case .transitGateway: return "ACCEPTED"
        case .gatewayEndpoint, .tgwHybrid, .vpnGateway, .awsDNS, .awsLinkLocal,
            .igwDirect, .igwViaNAT, .egressOnlyIGW, .linkLayer:
            return "EXITS_NETWORK"
        case .igwInbound, .igwHairpin, .vpnInbound: return "ACCEPTED"
        case .vpnNoRoute: return "NO_ROUTE"
        case .gatewayEndpointNotExtensible: return "DENIED_IN"
        case .igwNotPublicTarget, .eigwUnsolicitedInbound, .fragmentWithoutFirst: return "DENIED_IN"
        case .asymmetricReturn: return "NO_ROUTE"
        case .notInTopology, .malformedFrame: return "INSUFFICIENT_INFO"
        case .noRoute, .peeringNotTransitive, .transitGatewayAZ, .tgwNoRoute: return "NO_ROUTE"
        case .tgwBlackhole: return "NULL_ROUTED"
        case .blackholeRoute, .reservedAddress, .natNotAvailable, .gatewayState: return "NULL_ROUTED"
        case .securityGroupEgress, .networkACLEgress, .igwNoPublicIP, .igwPrivateAddress, .bpaBlocked, .sourceDestCheck,
            .gatewayEndpointProtocol, .endpointCannotInitiate, .dnsDisabled, .unknownSource:
            return "DENIED_OUT"
        case .securityGroupIngress, .networkACLIngress, .endpointProtocol,
            .endpointNotAvailable, .lambdaENINotInbound, .natProtocol:
            return "DENIED_IN"
        case .noSuchHost: return "NEIGHBOR_UNREACHABLE"
        case .loop: return "LOOP"
        case .lbNoTarget: return "NEIGHBOR_UNREACHABLE"
        case .lbNoListener: return "DENIED_IN"
        case .endpointServiceNotInAZ: return "NO_ROUTE"
        case .insufficientData: return "INSUFFICIENT_INFO"
        }
    }

    /// One sentence saying what happened.
    public var summary: String {
        switch self {
        case .local: return "Delivered to an interface in the VPC over the local route or on the same subnet."
        case .interfaceEndpoint: return "Delivered to an interface endpoint's ENI (PrivateLink)."
        case .gatewayEndpoint: return "Routed by a prefix-list route to a gateway endpoint (S3, DynamoDB)."
        case .peering: return "Crossed an active VPC peering connection into the peer VPC."
        case .transitGateway: return "Delivered to an interface in another VPC across a transit gateway."
        case .tgwHybrid: return "Left AWS through a transit gateway's VPN, Direct Connect or Connect attachment (or to a peer transit gateway outside the input)."
        case .tgwNoRoute: return "The transit gateway route table associated with the ingress attachment has no route for the destination."
        case .tgwBlackhole: return "The transit gateway route that matched is a blackhole."
        case .vpnGateway: return "Left AWS through a virtual private gateway, over a VPN connection that covers the destination (or with no VPN data in the input)."
        case .awsDNS: return "Answered by the Route 53 Resolver on the host (VPC+2, 169.254.169.253, fd00:ec2::253)."
        case .awsLinkLocal: return "Answered by a link-local AWS service on the host (IMDS, Time Sync)."
        case .igwDirect: return "Left through the internet gateway with the source's own public IP (or IPv6)."
        case .igwViaNAT: return "Translated by a public NAT gateway, then left through the internet gateway."
        case .egressOnlyIGW: return "IPv6 left through an egress-only internet gateway."
        case .noRoute: return "No route in the route table matches the destination."
        case .blackholeRoute: return "The best matching route is a blackhole (its target is gone)."
        case .securityGroupEgress: return "No outbound rule of the source's security groups allows the packet."
        case .securityGroupIngress: return "No inbound rule of the destination's security groups allows the packet."
        case .networkACLEgress: return "The source subnet's network ACL denies the packet outbound."
        case .networkACLIngress: return "The destination subnet's network ACL denies the packet inbound."
        case .igwNoPublicIP: return "Routed to the internet gateway, but the source has no public IPv4 paired with its address."
        case .igwPrivateAddress: return "Routed to the internet gateway, but the destination is RFC 1918 or RFC 6598 space."
        case .bpaBlocked: return "VPC Block Public Access blocks traffic to or from the internet gateway here."
        case .sourceDestCheck: return "An interface with source/destination check on received a packet not addressed to it."
        case .noSuchHost: return "No interface owns the destination address (or the owner accepts no connections)."
        case .reservedAddress: return "The destination is an address AWS reserves or never routes (subnet reserved, link-local)."
        case .dnsDisabled: return "The VPC's enableDnsSupport is false: the Resolver does not answer."
        case .peeringNotTransitive: return "The destination is not inside the peer VPC: peering is not transitive."
        case .gatewayEndpointProtocol: return "A gateway endpoint accepts only TCP and ICMP echo."
        case .endpointProtocol: return "An interface endpoint carries TCP only."
        case .endpointNotAvailable: return "The endpoint is not in the available state."
        case .endpointCannotInitiate: return "An endpoint's interface only answers; it cannot initiate connections."
        case .lambdaENINotInbound: return "A Lambda Hyperplane ENI accepts no inbound connections."
        case .natNotAvailable: return "The NAT gateway is not available (failed, deleted, pending)."
        case .natProtocol: return "A NAT gateway carries TCP, UDP and ICMP only."
        case .transitGatewayAZ: return "The transit gateway attachment has no subnet in the source's Availability Zone."
        case .gatewayState: return "The gateway or connection is detached, not active, or not attached to this VPC."
        case .loop: return "The packet was forwarded in a loop."
        case .lbNoTarget: return "The load balancer has no target to send the packet to: none registered, or none in the node's Availability Zone with cross-zone load balancing off."
        case .lbNoListener: return "The Network Load Balancer has no listener for the packet's protocol and port."
        case .endpointServiceNotInAZ: return "The endpoint service's load balancer has no node in the Availability Zone (by zone ID) of the consumer's endpoint."
        case .insufficientData: return "A resource the packet depends on is missing from the input; packet-path does not guess."
        case .unknownSource: return "No interface in the topology owns the source address."
        case .linkLayer: return "A frame that never leaves its subnet: ARP, NDP, MLD, LLDP, IPv6 link-local."
        case .igwInbound: return "Entered from the internet through the internet gateway to an interface's public address."
        case .igwHairpin: return "Sent to another interface's public address: out through the internet gateway and back in through the destination's."
        case .vpnInbound: return "Entered a VPC from an on-premises network over a Site-to-Site VPN or Direct Connect, at a virtual private gateway or a transit gateway."
        case .vpnNoRoute: return "Routed to a virtual private gateway, but no available VPN connection covers the destination."
        case .gatewayEndpointNotExtensible: return "Entered the VPC from outside it (a transit gateway, a VPN), then met a gateway endpoint, which serves only the VPC's own traffic."
        case .igwNotPublicTarget: return "From the internet, but the destination has no public address in a VPC with an internet gateway."
        case .eigwUnsolicitedInbound: return "Unsolicited IPv6 from the internet: an egress-only gateway lets replies in only."
        case .asymmetricReturn: return "The reply does not come back the way the request went (through the gateway that translated it, or to the sender)."
        case .notInTopology: return "Neither address belongs to the topology: packet-path cannot place the frame."
        case .fragmentWithoutFirst: return "A later IP fragment whose first fragment was not in the capture."
        case .malformedFrame: return "The frame's headers are short or inconsistent; it cannot be decoded."
        }
    }

    /// The rules of docs/aws-semantics.md this reason implements.
    public var rules: [String] {
        switch self {
        case .local: return ["R1.3", "R11.2"]
        case .interfaceEndpoint: return ["R5.1", "R5.2", "R5.6"]
        case .gatewayEndpoint: return ["R4.2", "R4.3"]
        case .peering: return ["R12.1", "R12.2"]
        case .transitGateway: return ["R12.4", "R12.5", "R19.1"]
        case .tgwHybrid: return ["R19.1"]
        case .tgwNoRoute, .tgwBlackhole: return ["R12.5", "R19.1"]
        case .vpnGateway: return ["R11.2", "R19.2"]
        case .awsDNS: return ["R9.7", "R13.3"]
        case .awsLinkLocal: return ["R1.10"]
        case .igwDirect: return ["R7.1", "R7.2"]
        case .igwViaNAT: return ["R8.1"]
        case .egressOnlyIGW: return ["R7.7"]
        case .noRoute: return ["R11.1"]
        case .blackholeRoute: return ["R1.11"]
        case .securityGroupEgress, .securityGroupIngress: return ["R9.1"]
        case .networkACLEgress, .networkACLIngress: return ["R10.2"]
        case .igwNoPublicIP: return ["R7.3", "R6.3", "R8.3"]
        case .igwPrivateAddress: return ["R7.5"]
        case .bpaBlocked: return ["R7.8"]
        case .sourceDestCheck: return ["R13.2"]
        case .noSuchHost: return ["R11.2"]
        case .reservedAddress: return ["R1.10", "R13.1"]
        case .dnsDisabled: return ["R13.3"]
        case .peeringNotTransitive: return ["R12.2"]
        case .gatewayEndpointProtocol: return ["R4.7"]
        case .endpointProtocol: return ["R5.4"]
        case .endpointNotAvailable: return ["R5.5"]
        case .endpointCannotInitiate: return ["R5.3"]
        case .lambdaENINotInbound: return ["R6.2"]
        case .natNotAvailable: return ["R8.5"]
        case .natProtocol: return ["R8.2"]
        case .transitGatewayAZ: return ["R12.4"]
        case .gatewayState: return ["R7.6", "R12.1"]
        case .loop: return ["R19.5"]
        case .lbNoTarget: return ["R19.3", "R19.5"]
        case .lbNoListener: return ["R19.3"]
        case .endpointServiceNotInAZ: return ["R5.12", "R19.4"]
        case .insufficientData: return ["R15.4"]
        case .unknownSource: return ["R11.1"]
        case .linkLayer: return ["R1.14"]
        case .igwInbound: return ["R7.2", "R7.4", "R11.4"]
        case .igwHairpin: return ["R7.2", "R19.6"]
        case .vpnInbound, .vpnNoRoute: return ["R19.2"]
        case .gatewayEndpointNotExtensible: return ["R4.6"]
        case .igwNotPublicTarget: return ["R7.4"]
        case .eigwUnsolicitedInbound: return ["R7.7"]
        case .asymmetricReturn: return ["R19.7"]
        case .notInTopology: return ["R11.1"]
        case .fragmentWithoutFirst: return []
        case .malformedFrame: return []
        }
    }
}
