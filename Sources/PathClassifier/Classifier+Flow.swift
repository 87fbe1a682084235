import PathCore
import VPCTopology

/// A flow judged by its first packet and by its reply (R19.7): a connection whose reply cannot
/// come back does not work, whatever its first packet did.
public struct FlowClassification: Sendable, Hashable {
    /// The first packet's walk.
    public var request: Classification
    /// The reply's walk, from the destination as the request reached it; `nil` when the request
    /// was dropped, when nothing answers it (an ICMP message other than an echo request), when
    /// the reply leaves the model (VPN, Direct Connect), or for a one-way judgment.
    public var reply: Classification?

    public init(request: Classification, reply: Classification?) {
        self.request = request
        self.reply = reply
    }

    /// The flow's reason: the reply's when the reply is dropped, else the request's.
    public var reason: Reason {
        if let reply, reply.verdict == .dropped { return reply.reason }
        return request.reason
    }

    public var verdict: Verdict { reason.verdict }

    /// The hop that decided the flow: where the reply stopped, else the request's deciding hop.
    public var decisiveHop: Hop? {
        if let reply, reply.verdict == .dropped { return reply.decisiveHop }
        return request.decisiveHop
    }
}

extension Classifier {
    /// Classifies a flow from `source`: its first packet, then the reply (R19.7).
    /// - Parameter oneWay: judge the first packet alone (no reply walk).
    public func classifyFlow(_ packet: PacketHeader, from source: InterfaceIndex, oneWay: Bool = false) -> FlowClassification {
        var walk = Walk(packet: packet, isReply: false, origin: source, detail: .full)
        let reason = egress(&walk)
        let request = Classification(reason: reason, hops: walk.hops, notes: walk.notes)
        guard !oneWay, reason.verdict != .dropped, let delivery = walk.delivery else { return FlowClassification(request: request, reply: nil) }
        return FlowClassification(request: request, reply: reply(to: packet, from: source, request: walk, delivery: delivery))
    }

    /// Classifies a flow opened from the internet (R11.4), `packet` addressed as the internet
    /// addresses it (R19.6): a public IPv4 address of an interface, which the internet gateway
    /// translates to its private pair, or an IPv6 address. A private destination is dropped at the
    /// edge, and an address no interface has is `no-such-host`: never replaced by a public address.
    /// Then its reply, which must leave through the internet gateway that let the request in (R19.7).
    /// A source inside an on-premises network behind a VPN connection comes in over that VPN instead (R19.2).
    public func classifyInboundFlow(_ packet: PacketHeader, oneWay: Bool = false) -> FlowClassification {
        if let onPremises = classifyOnPremisesFlow(packet, oneWay: oneWay) { return onPremises }
        func refused(_ reason: Reason, _ text: String) -> FlowClassification {
            let source = Hop(kind: .source, resource: ResourceLabel(id: packet.source.description), detail: "from outside the topology")
            let edge = Hop(kind: .internetGateway, resource: ResourceLabel(id: packet.destination.description), detail: text, passed: false)
            return FlowClassification(request: Classification(reason: reason, hops: [source, edge], notes: []), reply: nil)
        }
        var translated = packet
        let destination: InterfaceIndex
        switch packet.destination {
        case .v4(let address) where SpecialAddresses.isPrivateOrShared(packet.destination):
            guard topology.addressOwners[.v4(address)] != nil else {
                return refused(.noSuchHost, "no interface of the network has \(address) (R19.6)")
            }
            return refused(.igwNotPublicTarget, "\(address) is a private address: the internet cannot address it, only a public IP paired with it (R7.4, R7.5, R19.6)")
        case .v4(let address):
            guard let owner = topology.publicAddressOwners[address], let binding = topology[owner].ipv4.first(where: { $0.publicAddress == address }) else {
                return refused(.noSuchHost, "no interface of the network has the public address \(address) (R19.6)")
            }
            destination = owner
            translated.destination = .v4(binding.privateAddress)
        case .v6:
            guard let owner = topology.addressOwners[packet.destination]?.first else {
                return refused(.noSuchHost, "no interface of the network has \(packet.destination) (R19.6)")
            }
            destination = owner
        }
        return classifyInboundFlow(translated, to: destination, oneWay: oneWay)
    }

    /// A flow from the internet reaching `destination` with `packet` as the internet gateway
    /// translated it (its private address).
    func classifyInboundFlow(_ packet: PacketHeader, to destination: InterfaceIndex, oneWay: Bool) -> FlowClassification {
        let (requestReason, requestWalk) = inboundWalk(packet, to: destination, detail: .full)
        let request = Classification(reason: requestReason, hops: requestWalk.hops, notes: requestWalk.notes)
        guard !oneWay, request.verdict != .dropped, let header = Self.replyHeader(packet, from: packet.destination, to: packet.source) else {
            return FlowClassification(request: request, reply: nil)
        }
        // The receiver: the interface addressed, or the target a load balancer node sent it to.
        let receiver = requestWalk.delivery.flatMap { if case .interface(let i) = $0 { i } else { nil } } ?? destination
        var walk = replyWalk(header, at: receiver, request: requestWalk)
        var reason = replyEgress(&walk, request: requestWalk, receiver: receiver)
        if reason.verdict != .dropped {
            switch walk.delivery {
            case .internet(_, nat: nil):
                break
            case .internet(_, nat: let nat?):
                reason = walk.drop(
                    .asymmetricReturn,
                    "the reply leaves through \(topology[nat].label), which translates its source: the client, which addressed a public IP, never matches it (R19.7)")
            default:
                reason = walk.drop(.asymmetricReturn, "the reply does not return through the internet gateway the request came in by (R19.7)")
            }
        }
        return FlowClassification(request: request, reply: Classification(reason: reason, hops: walk.hops, notes: walk.notes))
    }

    /// The reply to `packet`: the same protocol with addresses and ports swapped, an ICMP echo
    /// answered by an echo reply; `nil` for ICMP messages nothing answers.
    static func replyHeader(_ packet: PacketHeader, from replier: IPAddress, to requester: IPAddress) -> PacketHeader? {
        var icmpType: UInt8?
        if packet.protocolNumber.isICMP {
            switch packet.icmpType {
            case 8: icmpType = 0
            case 128: icmpType = 129
            default: return nil
            }
        }
        return PacketHeader(
            source: replier, destination: requester, protocolNumber: packet.protocolNumber, sourcePort: packet.destinationPort,
            destinationPort: packet.sourcePort, icmpType: icmpType, icmpCode: packet.protocolNumber.isICMP ? 0 : nil)
    }

    /// The reply's walk, by where the request was delivered (R19.7): security groups pass it by
    /// state (R9.2), network ACLs see it again with its own ports (R10.3), routing is decided again
    /// from the replying subnet, and it must come back through what translated the request.
    /// - Parameter request: the request's finished walk: where it was delivered (its private
    ///   address, for a public one), the source address the receiver saw (a NAT gateway's, the
    ///   sender's public address for a hairpin, a load balancer node's, or the sender's), what
    ///   translated it, and the zones it crossed.
    func reply(to packet: PacketHeader, from source: InterfaceIndex, request: Walk, delivery: Delivery) -> Classification? {
        let nat = request.natGateway
        switch delivery {
        case .interface(let receiver):
            // From the receiver to the source address it saw; routed like any packet.
            guard let header = Self.replyHeader(packet, from: request.current.destination, to: request.currentSource) else { return nil }
            var walk = replyWalk(header, at: receiver, request: request)
            walk.returningNAT = nat
            walk.requestZones = request.transitZones
            var reason = replyEgress(&walk, request: request, receiver: receiver)
            if reason.verdict != .dropped, let nat, let natInterface = topology[nat].interface, walk.delivery == .interface(natInterface) {
                // A private NAT gateway translated the request: it translates the reply back and
                // routes it from its subnet to the sender (R8.1).
                reason = natReturn(&walk, nat: nat, to: source)
            } else {
                reason = arrived(&walk, reason, at: source)
            }
            return Classification(reason: reason, hops: walk.hops, notes: walk.notes)
        case .host, .outside:
            // The host answers on the host (R9.7); what leaves the model cannot be followed back.
            return nil
        case .internet, .egressOnly, .gatewayEndpoint:
            break
        }
        // From outside the VPC (the internet, a service) back to the sender.
        guard let header = Self.replyHeader(packet, from: packet.destination, to: packet.source) else { return nil }
        var walk = Walk(packet: header, isReply: true, origin: source, detail: .full)
        let reason: Reason
        switch delivery {
        case .internet(let gateway, let nat):
            reason = replyFromInternet(&walk, gateway: gateway, nat: nat, to: source)
        case .egressOnly(let gateway):
            walk.hop(.egressOnlyInternetGateway, topology[gateway].label, "lets the reply to an outbound connection in (R7.7)")
            reason = deliverReply(&walk, to: source, success: .egressOnlyIGW)
        case .gatewayEndpoint(let endpoint):
            walk.hop(.gatewayEndpoint, topology[endpoint].label, "the service's answer comes back through the endpoint (R4.2)")
            reason = deliverReply(&walk, to: source, success: .gatewayEndpoint)
        case .interface, .host, .outside:
            return nil
        }
        return Classification(reason: reason, hops: walk.hops, notes: walk.notes)
    }

    /// A reply arriving from the internet at the internet gateway, for a connection that left
    /// through it (R7.2) or through a NAT gateway (R8.1): translated back, then the network ACLs
    /// on the way in and the sender's security groups by state. Through a NAT gateway the reply
    /// meets the NAT subnet's inbound rules, the NAT subnet's route table and its outbound rules
    /// before the sender's subnet (R10.3, R11.5).
    func replyFromInternet(_ walk: inout Walk, gateway: InternetGatewayIndex, nat: NATGatewayIndex?, to source: InterfaceIndex) -> Reason {
        let gatewayLabel = topology[gateway].label
        guard let nat else {
            let destination = walk.current.destination
            let publicAddress: String
            if case .v4(let address) = destination, let paired = topology[source].publicAddress(for: address) {
                publicAddress = "public \(paired)"
            } else {
                publicAddress = "the reply"
            }
            walk.hop(.internetGateway, gatewayLabel, "translates \(publicAddress) back to \(destination) (R7.2)")
            let reason = enterVPC(&walk, through: .internetGateway(gateway), vpc: topology.vpc(of: source), success: .igwDirect)
            return arrived(&walk, reason, at: source)
        }
        let record = topology[nat]
        guard let natInterface = record.interface, let natAddress = topology[natInterface].ipv4.first?.privateAddress else {
            return walk.drop(.insufficientData, "no address for \(record.label) in the input")
        }
        walk.hop(.internetGateway, gatewayLabel, "the reply to \(record.label)'s public address enters, for \(natAddress) (R7.2)")
        walk.current.destination = .v4(natAddress)
        walk.returningNAT = nat
        let reason = enterVPC(&walk, through: .internetGateway(gateway), vpc: topology[record.subnet].vpc, success: .igwViaNAT)
        guard reason.verdict != .dropped else { return reason }
        guard walk.delivery == .interface(natInterface) else {
            return walk.drop(.asymmetricReturn, "the reply does not reach \(record.label), which translated the request (R19.7)")
        }
        let back = natReturn(&walk, nat: nat, to: source)
        return back.verdict == .dropped ? back : .igwViaNAT
    }

    /// `reason` if the reply reached `source`, else the drop that says it went elsewhere.
    func arrived(_ walk: inout Walk, _ reason: Reason, at source: InterfaceIndex) -> Reason {
        guard reason.verdict != .dropped else { return reason }
        guard walk.delivery == .interface(source) else {
            return walk.drop(.asymmetricReturn, "the reply is not delivered back to \(topology[source].label), which sent the request (R19.7)")
        }
        return reason
    }

    /// A reply at the NAT gateway that translated its connection: translated back to the sender,
    /// then out of the NAT subnet (its outbound network ACL) by the NAT subnet's route table,
    /// which must lead to the sender (R8.1, R10.3, R19.7).
    func natReturn(_ walk: inout Walk, nat: NATGatewayIndex, to source: InterfaceIndex) -> Reason {
        let record = topology[nat]
        let sender = topology[source].addresses.first { $0.family == walk.current.destination.family } ?? walk.current.destination
        walk.hop(.natGateway, record.label, "translates the reply back to \(sender) (R8.1)")
        walk.current.destination = sender
        walk.returningNAT = nil
        if let drop = networkACLCheck(&walk, subnet: record.subnet, egress: true) { return drop }
        return arrived(&walk, route(&walk, from: record.subnet), at: source)
    }

    /// A reply delivered to `source` from outside its subnet: the subnet's inbound network ACL
    /// (stateless, R10.3), then its security groups by state (R9.2).
    func deliverReply(_ walk: inout Walk, to source: InterfaceIndex, success: Reason) -> Reason {
        let interface = topology[source]
        if let drop = networkACLCheck(&walk, subnet: interface.subnet, egress: false) { return drop }
        walk.hop(.securityGroupIngress, interface.label, "reply to a tracked connection: allowed by state (R9.2)")
        let destination = walk.current.destination
        walk.hop(.destination, interface.label, "\(destination) \(ownerText(interface.owner))")
        walk.delivery = .interface(source)
        return success
    }
}
