import PathCore
import VPCTopology

/// Network Load Balancers (R19.3) and the endpoint services that publish them (R19.4).
extension Classifier {
    /// A packet a Network Load Balancer node received: a listener for its protocol and port, a
    /// target within reach of the node's Availability Zone, the addresses rewritten as the target
    /// sees them, then out of the node like any packet (its security groups outbound, its subnet's
    /// network ACL and route table), to the target's network ACL and security groups (R19.3).
    /// - Parameters:
    ///   - node: the node that received the packet.
    ///   - entry: the interface the client addressed: the node, or a consumer's interface endpoint
    ///     (R19.4), which the reply comes back from.
    ///   - success: the reason when the target receives it through the local route.
    func loadBalancer(_ walk: inout Walk, _ index: LoadBalancerIndex, node: InterfaceIndex, entry: InterfaceIndex, success: Reason) -> Reason {
        let record = topology[index]
        let packet = walk.current
        let throughEndpoint = entry != node
        guard record.listenersKnown else {
            walk.hop(.loadBalancer, record.label, "its listeners are not in the input (aws elbv2 describe-listeners)", passed: false)
            return .insufficientData
        }
        guard record.kind == .network, let port = packet.destinationPort,
            let listener = record.listener(for: packet.protocolNumber, port: port)
        else {
            walk.hop(.loadBalancer, record.label, "no listener for \(trafficText(packet, egress: false)) (R19.3)", passed: false)
            return .lbNoListener
        }
        let group = record.targetGroups[listener.targetGroup]
        guard group.targetsKnown else {
            walk.hop(.loadBalancer, record.label, "the targets of \(group.label) are not in the input (aws elbv2 describe-target-health)", passed: false)
            return .insufficientData
        }
        let zone = topology[topology[node].subnet].availabilityZone
        let eligible = record.eligibleTargets(of: group, nodeZone: zone) { zoneOfTarget($0, in: record.vpc) }
        guard let target = eligible.first else {
            let why = group.targets.isEmpty ? "has no registered target" : "has no target in \(zone) and cross-zone load balancing is off"
            walk.hop(.loadBalancer, record.label, "target group \(group.label) \(why) (R19.3)", passed: false)
            return .lbNoTarget
        }
        guard let targetAddress = address(of: target, family: packet.destination.family),
            let nodeAddress = topology[node].addresses.first(where: { $0.family == packet.destination.family })
        else {
            walk.hop(.loadBalancer, record.label, "no \(packet.destination.family) address for the target or the node in the input", passed: false)
            return .insufficientData
        }
        guard walk.handOff(at: .loadBalancer, record.label) else { return .loop }
        // R19.3, R19.4: through an endpoint service the target always sees the node's address.
        let preserves = !throughEndpoint && group.preservesClientIP(over: listener.listenerProtocol)
        var forwarded = packet
        forwarded.destination = targetAddress
        forwarded.destinationPort = target.port ?? group.port
        if !preserves { forwarded.source = nodeAddress }
        walk.hop(
            .loadBalancer, record.label,
            "listener \(listener.listenerProtocol.rawValue.uppercased()) \(port) → target group \(group.label.name ?? group.label.id) → \(targetAddress) port \(forwarded.destinationPort ?? 0), "
                + "seen from \(forwarded.source) (client IP preservation \(preserves ? "on" : "off"), R19.3)")
        if eligible.count > 1 {
            walk.note("\(record.label) spreads flows over \(eligible.count) targets by a hash of the flow; this walk follows the first registered one")
        }
        walk.balancer = BalancerCrossing(loadBalancer: index, node: node, entry: entry, received: packet, forwarded: forwarded)
        walk.current = forwarded
        let reason = forward(&walk, from: node)
        return reason == .local ? success : reason
    }

    /// The Availability Zone of a target, `nil` for an IP address outside the load balancer's VPC
    /// (any node reaches it, R19.3).
    func zoneOfTarget(_ target: LoadBalancer.Target, in vpc: VPCIndex) -> String? {
        switch target.kind {
        case .instance(let instance):
            return topology[instance].interfaces.first.map { topology[topology[$0].subnet].availabilityZone }
        case .ip(let address):
            return topology.owner(of: address, in: vpc).map { topology[topology[$0].subnet].availabilityZone }
        }
    }

    /// The address a target receives on: an instance's primary address of the family.
    func address(of target: LoadBalancer.Target, family: AddressFamily) -> IPAddress? {
        switch target.kind {
        case .instance(let instance):
            return topology[instance].interfaces.first.flatMap { topology[$0].addresses.first { $0.family == family } }
        case .ip(let address):
            return address.family == family ? address : nil
        }
    }

    /// A consumer's interface endpoint for an endpoint service whose provider is in the topology
    /// (R19.4): the provider's load balancer node in the endpoint's Availability Zone — zones
    /// compared by ID, names differ between accounts (R5.12) — takes the packet.
    func endpointService(_ walk: inout Walk, _ service: EndpointServiceIndex, endpoint: EndpointIndex, at entry: InterfaceIndex, success: Reason) -> Reason {
        let record = topology[service]
        let endpointLabel = topology[endpoint].label
        let (lb, node, zoneID): (LoadBalancerIndex, InterfaceIndex, String)
        switch serviceNode(&walk, service, for: topology[entry].subnet, hop: .interfaceEndpoint, endpointLabel) {
        case .found(let b, let n, let z): (lb, node, zoneID) = (b, n, z)
        case .refused(let reason): return reason
        }
        walk.hop(
            .interfaceEndpoint, endpointLabel,
            "PrivateLink to endpoint service \(record.label) (\(record.serviceName)): load balancer \(topology[lb].label) node in zone \(zoneID) (R19.4)")
        walk.enteredFromOutside = true
        if topology[lb].hasSecurityGroups && topology[lb].enforcesInboundRulesOnPrivateLink {
            // With enforcement on, the node's inbound rules see the consumer's private address.
            if let drop = securityGroupCheck(&walk, interface: node, egress: false) { return drop }
        }
        return loadBalancer(&walk, lb, node: node, entry: entry, success: success)
    }

    /// The walk of the reply to `request`, delivered to `receiver`: `header` is the receiver's
    /// answer; when the request crossed a load balancer, the reply starts as the client's side sees
    /// it, at the interface the client addressed (``replyEgress(_:request:receiver:)`` walks the
    /// target's part).
    func replyWalk(_ header: PacketHeader, at receiver: InterfaceIndex, request: Walk) -> Walk {
        guard let crossing = request.balancer,
            let client = Self.replyHeader(crossing.received, from: crossing.received.destination, to: crossing.received.source)
        else { return Walk(packet: header, isReply: true, origin: receiver, detail: .full) }
        return Walk(packet: client, isReply: true, origin: crossing.entry, detail: .full)
    }

    /// The reply leaving `receiver`: back through the load balancer the request crossed, if any,
    /// else out of the receiver like any packet (R19.3, R19.7).
    func replyEgress(_ walk: inout Walk, request: Walk, receiver: InterfaceIndex) -> Reason {
        guard let crossing = request.balancer else { return egress(&walk) }
        return replyThroughLoadBalancer(&walk, crossing, target: receiver)
    }

    /// Where an endpoint service takes what an endpoint in one subnet sends.
    enum ServiceNode {
        /// The load balancer node in the endpoint's zone, and the zone's ID.
        case found(LoadBalancerIndex, InterfaceIndex, zoneID: String)
        /// No node takes it; the refusing hop is recorded.
        case refused(Reason)
    }

    /// The node of `service`'s load balancers in the Availability Zone of `subnet`, zones compared
    /// by ID because names differ between accounts (R5.12) — by name when the IDs are not in the
    /// input and every subnet involved is in one account. None is `endpoint-service-not-in-az`;
    /// zones that cannot be compared are `insufficient-data`.
    func serviceNode(_ walk: inout Walk, _ service: EndpointServiceIndex, for subnet: SubnetIndex, hop kind: HopKind, _ endpoint: ResourceLabel) -> ServiceNode {
        let record = topology[service]
        let subnets = record.loadBalancers.flatMap { lb in topology[lb].nodes.map { (lb, $0) } }.map { ($0.0, $0.1, topology[$0.1].subnet) }
        let oneAccount = Set((subnets.map(\.2) + [subnet]).map { topology[topology[$0].vpc].account }).count == 1
        func zone(_ s: SubnetIndex) -> String? { topology.zoneID(of: s) ?? (oneAccount ? topology[s].availabilityZone : nil) }
        let nodes = subnets.map { ($0.0, $0.1, zone($0.2)) }
        guard let zoneID = zone(subnet), nodes.allSatisfy({ $0.2 != nil }) else {
            walk.hop(
                kind, endpoint,
                "the Availability Zone IDs of the endpoint's or the service's subnets are not in the input; zone names cannot be compared across accounts (R5.12)",
                passed: false)
            return .refused(.insufficientData)
        }
        guard let (lb, node, _) = nodes.first(where: { $0.2 == zoneID }) else {
            let zones = Set(nodes.compactMap(\.2)).sorted().joined(separator: ", ")
            walk.hop(
                kind, endpoint,
                "endpoint service \(record.label) has no load balancer node in zone \(zoneID) (it is in: \(zones.isEmpty ? "none" : zones)) (R5.12, R19.4)",
                passed: false)
            return .refused(.endpointServiceNotInAZ)
        }
        return .found(lb, node, zoneID: zoneID)
    }

    /// The Gateway Load Balancer fleet behind a GWLB endpoint whose endpoint service is in the
    /// topology: a node in the endpoint's zone (by zone ID, R5.12) with a registered target in
    /// reach (R19.5). `nil` when the appliances take the packet.
    func gatewayLoadBalancerFleet(_ walk: inout Walk, _ service: EndpointServiceIndex, endpoint: ResourceLabel, subnet: SubnetIndex) -> Reason? {
        let (lb, node): (LoadBalancerIndex, InterfaceIndex)
        switch serviceNode(&walk, service, for: subnet, hop: .gatewayLoadBalancerEndpoint, endpoint) {
        case .found(let b, let n, _): (lb, node) = (b, n)
        case .refused(let reason): return reason
        }
        let balancer = topology[lb]
        let zone = topology[topology[node].subnet].availabilityZone
        let inReach = balancer.targetGroups.flatMap { balancer.eligibleTargets(of: $0, nodeZone: zone) { zoneOfTarget($0, in: balancer.vpc) } }
        guard !inReach.isEmpty else {
            walk.hop(
                .gatewayLoadBalancerEndpoint, endpoint,
                "Gateway Load Balancer \(balancer.label) has no registered target in \(zone)\(balancer.crossZone ? "" : " (cross-zone load balancing off)") (R19.5)",
                passed: false)
            return .lbNoTarget
        }
        return nil
    }

    /// The reply of a target to a flow a load balancer forwarded: it returns through the node that
    /// forwarded the request whatever the target subnet's route table says, meeting the target
    /// subnet's outbound network ACL; the node translates it back and it leaves from the interface
    /// the client addressed (the node, or the consumer's endpoint) toward the client (R19.3, R19.4).
    /// - Parameter walk: the reply as the client's side sees it (from the address the client
    ///   addressed, to the client), its origin the interface the client addressed.
    func replyThroughLoadBalancer(_ walk: inout Walk, _ crossing: BalancerCrossing, target: InterfaceIndex) -> Reason {
        let client = walk.current
        guard let fromTarget = Self.replyHeader(crossing.forwarded, from: crossing.forwarded.destination, to: crossing.forwarded.source) else {
            return walk.drop(.insufficientData, "no reply to \(crossing.forwarded.protocolNumber)")
        }
        walk.current = fromTarget
        let record = topology[crossing.loadBalancer]
        let targetInterface = topology[target]
        let nodeSubnet = topology[crossing.node].subnet
        walk.hop(.source, targetInterface.label, "\(crossing.forwarded.destination) replies to \(crossing.forwarded.source) through \(record.label) (R19.3)")
        walk.hop(.securityGroupEgress, targetInterface.label, "reply to a tracked connection: allowed by state (R9.2)")
        if targetInterface.subnet != nodeSubnet {
            if let drop = networkACLCheck(&walk, subnet: targetInterface.subnet, egress: true) { return drop }
            if let drop = networkACLCheck(&walk, subnet: nodeSubnet, egress: false) { return drop }
        }
        walk.hop(.loadBalancer, record.label, "translates the reply back: from \(client.source) to \(client.destination) (R19.3)")
        walk.current = client
        guard crossing.entry != crossing.node else { return forward(&walk, from: crossing.node) }
        walk.hop(.interfaceEndpoint, topology[crossing.entry].label, "over PrivateLink back to the consumer's endpoint (R19.4)")
        return forward(&walk, from: crossing.entry)
    }
}

/// A load balancer a request crossed: what its reply returns through (R19.3).
struct BalancerCrossing: Equatable {
    var loadBalancer: LoadBalancerIndex
    /// The node that forwarded the request.
    var node: InterfaceIndex
    /// The interface the client addressed: the node, or a consumer's interface endpoint (R19.4).
    var entry: InterfaceIndex
    /// The request as the client's side addressed it, and as the target received it.
    var received: PacketHeader
    var forwarded: PacketHeader
}
