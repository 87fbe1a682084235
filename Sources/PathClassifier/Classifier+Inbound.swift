import PathCore
import VPCTopology

/// Packets that arrive at an interface from outside the topology (R11.3, R11.4).
extension Classifier {
    /// A new connection from the internet to `destination`, seen at the interface after the internet
    /// gateway translated the public address to the private one (R7.2, R7.4, R11.4).
    /// - Parameter detail: what of the path to record; every choice decides the same reason.
    public func classifyInbound(_ packet: PacketHeader, to destination: InterfaceIndex, detail: PathDetail = .full) -> Classification {
        let (reason, walk) = inboundWalk(packet, to: destination, detail: detail)
        return Classification(reason: reason, hops: walk.hops, notes: walk.notes)
    }

    /// The walk of a new connection from the internet to `destination`, and its reason.
    func inboundWalk(_ packet: PacketHeader, to destination: InterfaceIndex, detail: PathDetail) -> (Reason, Walk) {
        var walk = Walk(packet: packet, isReply: false, origin: destination, detail: detail)
        walk.hop(.source, ResourceLabel(id: packet.source.description), "from outside the topology to \(topology[destination].label)")
        let reason = inbound(&walk, interface: destination, vpc: topology.vpc(of: destination))
        return (reason, walk)
    }

    func inbound(_ walk: inout Walk, interface index: InterfaceIndex, vpc: VPCIndex) -> Reason {
        let packet = walk.current
        let interface = topology[index]
        if SpecialAddresses.isPrivateOrShared(packet.source) {
            walk.hop(
                .source, ResourceLabel(id: packet.source.description),
                "a private source outside the topology (peering, VPN or transit gateway not in the input)", passed: false)
            return .unknownSource
        }
        let gateway = topology.internetGateways.indices.map { InternetGatewayIndex($0) }.first { topology[$0].attachedVPC == vpc }
        guard let gateway else {
            if case .v6 = packet.destination,
                let eigw = topology.egressOnlyGateways.first(where: { $0.attachedVPC == vpc })
            {
                walk.hop(.egressOnlyInternetGateway, eigw.label, "lets only replies in; this is a new inbound connection (R7.7)", passed: false)
                return .eigwUnsolicitedInbound
            }
            walk.hop(.internetGateway, topology[vpc].label, "the VPC has no internet gateway (R7.1)", passed: false)
            return .igwNotPublicTarget
        }
        guard passesBPA(&walk, .inbound, subnet: interface.subnet, kind: .internetGateway, gateway: topology[gateway].label) else {
            return .bpaBlocked
        }
        switch packet.destination {
        case .v4(let privateAddress):
            // R7.4: the internet reaches an interface only through a public IP paired with this private IP.
            guard let publicAddress = interface.publicAddress(for: privateAddress), interface.isAttached else {
                walk.hop(
                    .internetGateway, topology[gateway].label, "\(privateAddress) has no public IPv4: the internet cannot address it (R7.4)",
                    passed: false)
                return .igwNotPublicTarget
            }
            walk.hop(.internetGateway, topology[gateway].label, "translates public \(publicAddress) to \(privateAddress) (R7.2)")
        case .v6:
            walk.hop(.internetGateway, topology[gateway].label, "IPv6 arrives untranslated")
        }
        let reason = enterVPC(&walk, through: .internetGateway(gateway), vpc: vpc, success: .igwInbound)
        return reason == .interfaceEndpoint ? .endpointCannotInitiate : reason
    }

    /// A packet entering `vpc` through `gateway`: the gateway's route table routes it when the
    /// gateway is edge-associated with one (to an appliance or a Gateway Load Balancer endpoint
    /// for inspection, R2.1, R19.5), else the VPC's local routing delivers it. A delivery by the
    /// local route is reported as `success`.
    func enterVPC(_ walk: inout Walk, through gateway: EdgeGateway, vpc: VPCIndex, success: Reason) -> Reason {
        guard let table = topology.gatewayRouteTables[gateway] else {
            return deliverInVPC(&walk, vpc: vpc, from: nil, success: success)
        }
        let reason = route(&walk, table: table, from: nil)
        return reason == .local ? success : reason
    }

    /// A reply arriving at `destination` from outside the topology, to a connection whose first
    /// packet left with `forward`: the same path back, with the destination subnet's network ACL
    /// checked again (stateless, R10.3) and security groups passed by state (R9.2).
    /// - Parameter detail: what of the path to record; every choice decides the same reason.
    package func classifyReply(
        _ packet: PacketHeader, to destination: InterfaceIndex, forward: Classification, detail: PathDetail = .full
    ) -> Classification {
        var walk = Walk(packet: packet, isReply: true, origin: destination, detail: detail)
        let interface = topology[destination]
        walk.hop(.source, ResourceLabel(id: packet.source.description), "reply to a connection \(interface.label) opened (\(forward.reason.rawValue))")
        // No ACL between interfaces of one subnet (R10.4), and none can block the Resolver or IMDS (R9.7).
        let checksACL = forward.reason != .awsDNS && forward.reason != .awsLinkLocal
            && (forward.reason != .local || !topology[interface.subnet].contains(packet.source))
        if forward.verdict != .dropped, checksACL {
            if let drop = networkACLCheck(&walk, subnet: interface.subnet, egress: false) {
                return Classification(reason: drop, hops: walk.hops, notes: walk.notes)
            }
        }
        walk.hop(.securityGroupIngress, interface.label, "reply to a tracked connection: allowed by state (R9.2)")
        walk.hop(.destination, interface.label, "\(packet.destination) \(ownerText(interface.owner))")
        return Classification(reason: forward.reason, hops: walk.hops, notes: walk.notes)
    }
}
