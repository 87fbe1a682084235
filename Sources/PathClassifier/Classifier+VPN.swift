import PathCore
import VPCTopology

/// Virtual private gateways and Site-to-Site VPN (R19.2): out over a connection whose routes cover
/// the destination; in from an on-premises network behind one.
extension Classifier {
    /// A packet routed to `gateway` from `vpc`.
    func vpnGateway(_ walk: inout Walk, gateway: VPNGatewayIndex, vpc: VPCIndex) -> Reason {
        let label = topology[gateway].label
        guard isAttached(&walk, .vpnGateway, label, topology[gateway].attachedVPC, to: vpc) else { return .gatewayState }
        let destination = walk.current.destination
        let connections = topology.vpnConnections.filter { $0.gateway == gateway }
        walk.delivery = .outside
        walk.leftAt = .vpnGateway(gateway)
        guard !connections.isEmpty else {
            walk.hop(.vpnGateway, label, "leaves AWS towards the VPN or Direct Connect side")
            walk.note("no VPN connection or Direct Connect gateway of \(label) is in the input: the on-premises side is not modelled (R19.2)")
            return .vpnGateway
        }
        if let connection = connections.first(where: { $0.staticRoutesOnly && $0.covers(destination) }) {
            walk.hop(.vpnGateway, label, "over \(connection.label), whose static route covers \(destination) (R19.2)")
            return .vpnGateway
        }
        // BGP (every Direct Connect gateway, VPNs without static routes): the learned prefixes are
        // in no describe output; a propagated route stands for them.
        if let connection = connections.first(where: { !$0.staticRoutesOnly && $0.state == .available }) {
            let over = connection.kind == .directConnect ? "Direct Connect gateway \(connection.label)" : "\(connection.label)"
            if walk.routeOrigin == .propagated {
                walk.hop(.vpnGateway, label, "over \(over): BGP propagated the route that matched (R19.2)")
            } else {
                walk.hop(.vpnGateway, label, "over \(over), by BGP (R19.2)")
                walk.note("on-premises routes learned by BGP are not in the input: packet-path cannot say whether \(destination) is among them (R19.2)")
            }
            return .vpnGateway
        }
        let names = connections.map(\.label.description).joined(separator: ", ")
        walk.hop(.vpnGateway, label, "no available VPN connection or Direct Connect gateway (\(names)) has a route covering \(destination) (R19.2)", passed: false)
        walk.delivery = nil
        walk.leftAt = nil
        return .vpnNoRoute
    }

    /// A flow from an on-premises network into AWS (R19.2): behind a virtual private gateway's
    /// connection, or behind a transit gateway's VPN or Direct Connect attachment (R19.1); and its
    /// reply, which must leave where the request came in.
    /// - Returns: `nil` when no connection or attachment has the source's network behind it.
    func classifyOnPremisesFlow(_ packet: PacketHeader, oneWay: Bool) -> FlowClassification? {
        if let connection = topology.vpnConnections.first(where: { $0.onPremises.contains { $0.contains(packet.source) } }),
            let vpc = topology[connection.gateway].attachedVPC
        {
            let gateway = topology[connection.gateway].label
            return onPremisesFlow(packet, behind: connection.label, edge: .vpnGateway(connection.gateway), oneWay: oneWay) { walk in
                guard connection.state == .available else {
                    walk.hop(.vpnGateway, gateway, "\(connection.label) is \(connection.state) (R19.2)", passed: false)
                    return .gatewayState
                }
                walk.hop(.vpnGateway, gateway, "in over \(connection.label) (R19.2)")
                walk.enteredFromOutside = true
                // Delivered by the local route: `vpn-inbound`; to an interface endpoint: `interface-endpoint`.
                let reason = enterVPC(&walk, through: .vpnGateway(connection.gateway), vpc: vpc, success: .local)
                return reason == .local ? .vpnInbound : reason
            }
        }
        for (t, gateway) in topology.transitGateways.enumerated() {
            for (a, attachment) in gateway.attachments.enumerated() where attachment.onPremises.contains(where: { $0.contains(packet.source) }) {
                let index = TransitGatewayIndex(t)
                return onPremisesFlow(packet, behind: attachment.label, edge: .transitGateway(index, attachment: a), oneWay: oneWay) { walk in
                    // No Availability Zone on this side: the attachment subnet is the first (R19.1).
                    let reason = transit(&walk, gateway: index, ingress: a, zone: "")
                    return reason == .transitGateway ? .vpnInbound : reason
                }
            }
        }
        return nil
    }

    /// The request from on premises, walked by `enter` from the edge to the interface owning its
    /// destination, then the reply from there, which must leave AWS at `edge` again (R19.7).
    func onPremisesFlow(
        _ packet: PacketHeader, behind: ResourceLabel, edge: OnPremisesEdge, oneWay: Bool, enter: (inout Walk) -> Reason
    ) -> FlowClassification {
        let sourceHop = Hop(kind: .source, resource: ResourceLabel(id: packet.source.description), detail: "on premises, behind \(behind)")
        guard let receiver = topology.addressOwners[packet.destination]?.first else {
            let missing = Hop(kind: .destination, resource: ResourceLabel(id: packet.destination.description), detail: "no interface has \(packet.destination) (R19.2)", passed: false)
            return FlowClassification(request: Classification(reason: .noSuchHost, hops: [sourceHop, missing], notes: []), reply: nil)
        }
        var walk = Walk(packet: packet, isReply: false, origin: receiver, detail: .full)
        walk.hops.append(sourceHop)
        let reason = enter(&walk)
        let request = Classification(reason: reason, hops: walk.hops, notes: walk.notes)
        guard !oneWay, reason.verdict != .dropped, case .interface(let receiver) = walk.delivery,
            let header = Self.replyHeader(packet, from: walk.current.destination, to: packet.source)
        else { return FlowClassification(request: request, reply: nil) }
        var back = replyWalk(header, at: receiver, request: walk)
        var replyReason = replyEgress(&back, request: walk, receiver: receiver)
        if replyReason.verdict != .dropped && back.leftAt != edge {
            replyReason = back.drop(.asymmetricReturn, "the reply does not leave AWS where the request came in (R19.7)")
        }
        return FlowClassification(request: request, reply: Classification(reason: replyReason, hops: back.hops, notes: back.notes))
    }
}
