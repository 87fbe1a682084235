import PathCore
import VPCTopology

/// A synthetic flow as people write it: names or addresses, a protocol and ports.
public struct FlowRequest: Sendable, Hashable {
    public var name: String?
    /// An instance, interface or VPC-attached Lambda function name, or an address.
    public var from: String
    /// A name, an address, or an AWS service (`s3`, `com.amazonaws.us-east-1.s3`).
    public var to: String
    public var protocolNumber: IPProtocolNumber
    /// Destination port; `nil` means the service's port, else 443 (TCP/UDP only).
    public var port: UInt16?
    /// Source port; `nil` means a deterministic ephemeral port (R10.6).
    public var sourcePort: UInt16?
    public var icmpType: UInt8?
    public var icmpCode: UInt8?
    public var family: AddressFamily
    public var packets: Int
    /// What the flow must come to (`expect:`), for `check`.
    public var expect: FlowExpectation?
    /// The flow's line in its file, for messages.
    public var line: Int?

    public init(
        name: String? = nil, from: String, to: String, protocolNumber: IPProtocolNumber = .tcp, port: UInt16? = nil,
        sourcePort: UInt16? = nil, icmpType: UInt8? = nil, icmpCode: UInt8? = nil, family: AddressFamily = .ipv4,
        packets: Int = 1
    ) {
        self.name = name
        self.from = from
        self.to = to
        self.protocolNumber = protocolNumber
        self.port = port
        self.sourcePort = sourcePort
        self.icmpType = icmpType
        self.icmpCode = icmpCode
        self.family = family
        self.packets = packets
    }
}

/// What a flow must come to (`expect:` in a flow file, checked by `packet-path check`): a verdict,
/// and optionally the reason and a resource its path must cross — a gateway, an endpoint, a peering
/// connection, an instance (an appliance), by name or ID.
public struct FlowExpectation: Sendable, Hashable {
    public var verdict: Verdict
    public var reason: Reason?
    public var via: String?

    public init(verdict: Verdict, reason: Reason? = nil, via: String? = nil) {
        self.verdict = verdict
        self.reason = reason
        self.via = via
    }

    /// Whether `flow` meets the expectation: its verdict and reason (the reply's when the reply is
    /// dropped, R19.7), and a hop of the request on the `via` resource (a reply that alone crosses
    /// it, say an inspection appliance on an asymmetric path, does not count).
    public func isMet(by flow: FlowClassification) -> Bool {
        guard flow.verdict == verdict, reason.map({ $0 == flow.reason }) ?? true else { return false }
        guard let via else { return true }
        // An instance is met by its interfaces, named `instance/eth0`.
        return flow.request.hops.contains { hop in
            hop.passed && (hop.resource.id == via || hop.resource.name == via || hop.resource.name?.hasPrefix(via + "/") == true)
        }
    }

    /// `private via s3-gw`, `dropped (network-acl-ingress)`.
    public var description: String {
        verdict.rawValue + (reason.map { " (\($0.rawValue))" } ?? "") + (via.map { " via \($0)" } ?? "")
    }
}

/// A flow made concrete: the sending interface, the packet header, and how names resolved.
public struct ResolvedFlow: Sendable, Hashable {
    public var request: FlowRequest
    public var source: InterfaceIndex
    public var header: PacketHeader
    /// How DNS answered, when the destination was a name.
    public var dnsAnswer: String?
}

extension NameResolver {
    /// The first ephemeral port used for synthetic flows: inside the Linux range 32768–60999 and
    /// the Lambda and NAT gateway range 1024–65535 (R10.6).
    package static let firstEphemeralPort: UInt16 = 40000

    /// The packet of a request between two addresses: ports (the service's, else 443; an ephemeral
    /// source port from the flow's position, R10.6) or an ICMP echo request.
    static func header(_ request: FlowRequest, from source: IPAddress, to destination: IPAddress, ordinal: Int, servicePort: UInt16?) -> PacketHeader {
        var header = PacketHeader(source: source, destination: destination, protocolNumber: request.protocolNumber)
        if request.protocolNumber.hasPorts {
            header.sourcePort = request.sourcePort ?? (firstEphemeralPort &+ UInt16(truncatingIfNeeded: ordinal))
            header.destinationPort = request.port ?? servicePort ?? 443
        } else if request.protocolNumber.isICMP {
            header.icmpType = request.icmpType ?? (request.protocolNumber == .icmp ? 8 : 128)
            header.icmpCode = request.icmpCode ?? 0
        }
        return header
    }

    /// Resolves a request into a packet header.
    /// - Parameter ordinal: the flow's position in its file, which picks a distinct ephemeral port.
    public func resolve(_ request: FlowRequest, ordinal: Int) throws(Failure) -> ResolvedFlow {
        let source = try source(request.from, family: request.family)
        let destination = try destination(request.to, from: source.interface, family: request.family)
        let header = Self.header(request, from: source.address, to: destination.address, ordinal: ordinal, servicePort: destination.service?.defaultPort)
        return ResolvedFlow(request: request, source: source.interface, header: header, dnsAnswer: destination.dnsAnswer)
    }
}

extension NameResolver {
    /// A flow from outside the topology (`from` is an address no interface owns) into it, as the
    /// internet addresses it (R19.6): `to` an address is taken as written (a public IPv4 the
    /// internet gateway translates, an IPv6 address, or a private address the internet cannot
    /// reach); `to` a name is the interface's public IPv4 when it has one (what public DNS would
    /// answer), else its own address. Returns `nil` when the request is not of that shape.
    package func resolveInbound(_ request: FlowRequest, ordinal: Int) -> PacketHeader? {
        guard let source = IPAddress(request.from), topology.addressOwners[source] == nil else { return nil }
        let destination: IPAddress
        if let address = IPAddress(request.to) {
            destination = address
        } else if let resolved = try? self.source(request.to, family: source.family) {
            // From on premises (a network behind a VPN or Direct Connect) names answer private addresses.
            let onPremises = topology.isOnPremises(source)
            let paired = topology[resolved.interface].ipv4.first { IPAddress.v4($0.privateAddress) == resolved.address }?.publicAddress
            destination = onPremises ? resolved.address : paired.map { .v4($0) } ?? resolved.address
        } else {
            return nil
        }
        guard destination.family == source.family else { return nil }
        return Self.header(request, from: source, to: destination, ordinal: ordinal, servicePort: nil)
    }
}
