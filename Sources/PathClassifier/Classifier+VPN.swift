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
        guard !connections.isEmpty else {
            walk.hop(.vpnGateway, label, "leaves AWS towards the VPN or Direct Connect side")
            walk.note("no VPN connection of \(label) is in the input: the on-premises side is not modelled (R19.2)")
            return .vpnGateway
        }
        if let connection = connections.first(where: { $0.staticRoutesOnly && $0.covers(destination) }) {
            walk.hop(.vpnGateway, label, "over \(connection.label), whose static route covers \(destination) (R19.2)")
            return .vpnGateway
        }
        // BGP: the learned prefixes are in no describe output; a propagated route stands for them.
        if let connection = connections.first(where: { !$0.staticRoutesOnly && $0.state == "available" }) {
            if walk.routeOrigin == .propagated {
                walk.hop(.vpnGateway, label, "over \(connection.label): BGP propagated the route that matched (R19.2)")
            } else {
                walk.hop(.vpnGateway, label, "over \(connection.label), a BGP connection (R19.2)")
                walk.note("on-premises routes learned by BGP are not in the input: packet-path cannot say whether \(destination) is among them (R19.2)")
            }
            return .vpnGateway
        }
        let names = connections.map(\.label.description).joined(separator: ", ")
        walk.hop(.vpnGateway, label, "no available VPN connection (\(names)) has a route covering \(destination) (R19.2)", passed: false)
        walk.delivery = nil
        return .vpnNoRoute
    }

    /// A flow from an on-premises network behind a VPN connection into its VPC (R19.2): through
    /// the virtual private gateway's route table when edge-associated (R2.1), then the VPC's
    /// local routing; and its reply, which must leave by a VPN connection of that gateway.
    /// - Returns: `nil` when no VPN connection has the source's network behind it.
    func classifyOnPremisesFlow(_ packet: PacketHeader, oneWay: Bool) -> FlowClassification? {
        guard let connection = topology.vpnConnections.first(where: { $0.onPremises.contains { $0.contains(packet.source) } }),
            let vpc = topology[connection.gateway].attachedVPC
        else { return nil }
        let sourceHop = Hop(kind: .source, resource: ResourceLabel(id: packet.source.description), detail: "on premises, behind \(connection.label)")
        guard let receiver = topology.owner(of: packet.destination, in: vpc) else {
            let edge = Hop(
                kind: .vpnGateway, resource: topology[connection.gateway].label,
                detail: "no interface of \(topology[vpc].label) has \(packet.destination) (R19.2)", passed: false)
            return FlowClassification(request: Classification(reason: .noSuchHost, hops: [sourceHop, edge], notes: []), reply: nil)
        }
        var walk = Walk(packet: packet, isReply: false, origin: receiver, detail: .full)
        walk.hops.append(sourceHop)
        let request: Classification
        guard connection.state == "available" else {
            walk.hop(.vpnGateway, topology[connection.gateway].label, "\(connection.label) is \(connection.state) (R19.2)", passed: false)
            return FlowClassification(request: Classification(reason: .gatewayState, hops: walk.hops, notes: walk.notes), reply: nil)
        }
        walk.hop(.vpnGateway, topology[connection.gateway].label, "in over \(connection.label) (R19.2)")
        walk.enteredFromOutside = true
        // Delivered by the local route: `vpn-inbound`; to an interface endpoint: `interface-endpoint`.
        let reason = enterVPC(&walk, through: .vpnGateway(connection.gateway), vpc: vpc, success: .local)
        request = Classification(reason: reason == .local ? .vpnInbound : reason, hops: walk.hops, notes: walk.notes)
        guard !oneWay, reason.verdict != .dropped, case .interface(let receiver) = walk.delivery,
            let header = Self.replyHeader(packet, from: walk.current.destination, to: packet.source)
        else { return FlowClassification(request: request, reply: nil) }
        var back = Walk(packet: header, isReply: true, origin: receiver, detail: .full)
        var replyReason = egress(&back)
        if replyReason.verdict != .dropped && replyReason != .vpnGateway {
            replyReason = back.drop(.asymmetricReturn, "the reply does not go back over the VPN the request came in by (R19.7)")
        }
        return FlowClassification(request: request, reply: Classification(reason: replyReason, hops: back.hops, notes: back.notes))
    }
}
