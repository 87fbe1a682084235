import PathCore
import VPCTopology

/// The reference packet walk: given a topology and a packet, which way it goes and why.
///
/// It follows the order of docs/aws-semantics.md §11 (R11.1–R11.3): source interface, security
/// group egress, same-subnet delivery, network ACL egress, route lookup, then the target. It is
/// written to be read, not to be fast; the compiled fast path is checked against it.
public struct Classifier: Sendable {
    public let topology: Topology
    let rules: RuleEvaluation
    /// How route tables are looked up (the walk does not know which way).
    let routeLookup: RouteLookup

    /// The most hand-offs to NAT gateways, appliances and endpoints one walk follows before it
    /// is a routing loop (R19.5: more than 8).
    package static let maximumForwardingDepth = 8

    public init(topology: Topology, routes: RouteLookup = .reference) {
        self.topology = topology
        self.rules = RuleEvaluation(topology: topology)
        self.routeLookup = routes
    }

    /// Classifies a packet sent from the interface that owns its source address.
    ///
    /// - Parameters:
    ///   - packet: the packet.
    ///   - isReply: whether connection tracking saw the opposite direction first; a reply passes
    ///     security groups by state (R9.2) but not network ACLs (R10.3).
    /// - Returns: the verdict, reason, hops and notes. Never throws: a dropped packet is a verdict.
    public func classify(_ packet: PacketHeader, isReply: Bool = false) -> Classification {
        guard let owners = topology.addressOwners[packet.source], let source = owners.first else {
            return Classification(
                reason: .unknownSource,
                hops: [
                    Hop(
                        kind: .source, resource: ResourceLabel(id: packet.source.description),
                        detail: "no interface in the topology owns \(packet.source)", passed: false)
                ], notes: [])
        }
        var classification = classify(packet, from: source, isReply: isReply)
        if owners.count > 1 {
            classification.notes.append(
                "\(packet.source) belongs to \(owners.count) interfaces in different VPCs; classified from \(topology[source].label)")
        }
        return classification
    }

    /// Classifies a packet leaving `source` (R11.1).
    /// - Parameter detail: what of the path to record; every choice decides the same reason.
    public func classify(_ packet: PacketHeader, from source: InterfaceIndex, isReply: Bool = false, detail: PathDetail = .full) -> Classification {
        var walk = Walk(packet: packet, isReply: isReply, origin: source, detail: detail)
        let reason = egress(&walk)
        return Classification(reason: reason, hops: walk.hops, notes: walk.notes)
    }

    // MARK: - R11.1 egress

    func egress(_ walk: inout Walk) -> Reason {
        let packet = walk.current
        let interface = topology[walk.origin]
        let subnetIndex = interface.subnet
        let subnet = topology[subnetIndex]
        let vpc = topology[subnet.vpc]
        walk.hop(.source, interface.label, "\(packet.source) \(ownerText(interface.owner)) in subnet \(subnet.label)")

        // R5.3: an endpoint only answers; R13.2 is moot here because the source owns the address.
        if case .interfaceEndpoint = interface.owner, !walk.isReply {
            return walk.drop(.endpointCannotInitiate, "an interface endpoint cannot initiate connections (R5.3)")
        }
        if case .instance(let instance) = interface.owner, !topology[instance].isRunning {
            walk.note("instance \(topology[instance].label) is \(topology[instance].state); a stopped instance sends nothing")
        }

        // R1.10, R9.7, R13.3: AWS link-local services are answered on the host, before SGs and NACLs.
        if let service = SpecialAddresses.linkLocalService(packet.destination, in: vpc) {
            if service == .dns && !vpc.dnsSupport {
                walk.hop(.dns, vpc.label, "enableDnsSupport is false: the Resolver does not answer", passed: false)
                return .dnsDisabled
            }
            walk.hop(
                .awsService, ResourceLabel(id: packet.destination.description, name: service.rawValue),
                "answered on the host; security groups and network ACLs do not apply (R9.7, R13.3)")
            walk.delivery = .host
            return service == .dns ? .awsDNS : .awsLinkLocal
        }
        if SpecialAddresses.isUnroutableLinkLocal(packet.destination) {
            walk.hop(
                .routeTable, ResourceLabel(id: packet.destination.description),
                "link-local destinations are never routed (R1.10)", passed: false)
            return .reservedAddress
        }

        return forward(&walk, from: walk.origin)
    }

    /// A packet leaving `interface`: its security groups outbound (R9.1, R9.2), then layer-2
    /// delivery in its subnet (R1.14, R10.4), or its subnet's network ACL outbound (R10.2) and
    /// route table. The sender's own packets start here, and so do those an appliance forwards
    /// (R19.5).
    func forward(_ walk: inout Walk, from interface: InterfaceIndex) -> Reason {
        let subnetIndex = topology[interface].subnet
        let subnet = topology[subnetIndex]
        if let drop = securityGroupCheck(&walk, interface: interface, egress: true) { return drop }
        if subnet.contains(walk.current.destination) {
            walk.note("destination is in the same subnet: layer-2 delivery, no route table or network ACL (R1.14, R10.4)")
            return deliverInVPC(&walk, vpc: subnet.vpc, from: subnetIndex, success: .local)
        }
        if let drop = networkACLCheck(&walk, subnet: subnetIndex, egress: true) { return drop }
        return route(&walk, from: subnetIndex)
    }

    // MARK: - route lookup and target dispatch (R11.1 step 6, R11.2)

    /// Routes by the route table of `subnetIndex` (R1.13).
    func route(_ walk: inout Walk, from subnetIndex: SubnetIndex) -> Reason {
        guard let tableIndex = topology.routeTable(of: subnetIndex) else {
            walk.hop(.routeTable, topology[subnetIndex].label, "the subnet has no route table in the input", passed: false)
            return .insufficientData
        }
        return route(&walk, table: tableIndex, from: subnetIndex)
    }

    /// Routes by `tableIndex`: a subnet's table (`subnetIndex` is the subnet the packet leaves), or
    /// a gateway route table (`nil`: the packet enters the VPC through a gateway, R2.1).
    func route(_ walk: inout Walk, table tableIndex: RouteTableIndex, from subnetIndex: SubnetIndex?) -> Reason {
        switch choose(&walk, table: tableIndex) {
        case .drop(let reason):
            return reason
        case .route(let routeIndex):
            let route = topology[tableIndex].routes[routeIndex]
            walk.routeOrigin = route.origin
            return dispatch(&walk, target: route.target, vpc: topology[tableIndex].vpc, from: subnetIndex)
        }
    }

    /// What happens at a route's target (R11.2); `subnetIndex` is the subnet the packet leaves,
    /// `nil` when it entered the VPC through a gateway (R2.1).
    func dispatch(_ walk: inout Walk, target: RouteTarget, vpc vpcIndex: VPCIndex, from subnetIndex: SubnetIndex?) -> Reason {
        let packet = walk.current
        switch target {
        case .local:
            guard topology[vpcIndex].contains(packet.destination) else {
                return walk.drop(.noSuchHost, "the local route covers only the VPC's CIDR blocks")
            }
            return deliverInVPC(&walk, vpc: vpcIndex, from: subnetIndex, success: .local)
        case .internetGateway(let gateway):
            return internetGateway(&walk, gateway: gateway, vpc: vpcIndex)
        case .egressOnlyInternetGateway(let gateway):
            let label = topology[gateway].label
            guard isAttached(&walk, .egressOnlyInternetGateway, label, topology[gateway].attachedVPC, to: vpcIndex) else {
                return .gatewayState
            }
            guard case .v6 = packet.destination else {
                walk.hop(.egressOnlyInternetGateway, label, "egress-only gateways carry IPv6 only (R7.7)", passed: false)
                return .gatewayState
            }
            guard passesBPA(&walk, .egressOnly, subnet: subnetIndex ?? topology[walk.origin].subnet, kind: .egressOnlyInternetGateway, gateway: label) else {
                return .bpaBlocked
            }
            walk.hop(.egressOnlyInternetGateway, label, "IPv6 egress, outbound-initiated only (R7.7)")
            walk.delivery = .egressOnly(gateway)
            return .egressOnlyIGW
        case .natGateway(let nat):
            return natGateway(&walk, nat: nat, from: subnetIndex)
        case .gatewayEndpoint(let endpoint):
            return gatewayEndpoint(&walk, endpoint: endpoint)
        case .gatewayLoadBalancerEndpoint(let endpoint):
            return gatewayLoadBalancerEndpoint(&walk, endpoint: endpoint, from: subnetIndex)
        case .networkInterface(let interface):
            return appliance(&walk, interface: interface, from: subnetIndex)
        case .peeringConnection(let peering):
            return peeringConnection(&walk, peering: peering, vpc: vpcIndex)
        case .transitGateway(let gateway):
            guard let subnetIndex else {
                walk.hop(.transitGateway, topology[gateway].label, "a gateway route table cannot send to a transit gateway (R2.2)", passed: false)
                return .noRoute
            }
            return transitGateway(&walk, gateway: gateway, from: subnetIndex)
        case .vpnGateway(let gateway):
            return vpnGateway(&walk, gateway: gateway, vpc: vpcIndex)
        case .missing(let id):
            walk.hop(.routeTable, ResourceLabel(id: id), "route target \(id) is missing from the input", passed: false)
            return .insufficientData
        }
    }

    /// Whether a gateway is attached to `vpc`; records the refusing hop when not (R7.6: a route to a
    /// detached gateway is a blackhole).
    func isAttached(_ walk: inout Walk, _ kind: HopKind, _ label: ResourceLabel, _ attached: VPCIndex?, to vpc: VPCIndex) -> Bool {
        guard attached == vpc else {
            walk.hop(kind, label, "not attached to this VPC: the route is a blackhole (R7.6)", passed: false)
            return false
        }
        return true
    }

    // MARK: - delivery to an interface (R11.3)

    /// Delivers to the interface owning the destination in `vpc`, applying the destination
    /// subnet's NACL (unless same subnet), destination-type checks and the destination's SGs.
    func deliverInVPC(_ walk: inout Walk, vpc: VPCIndex, from subnetIndex: SubnetIndex?, success: Reason) -> Reason {
        let packet = walk.current
        if let subnet = topology.subnet(containing: packet.destination, in: vpc),
            topology[subnet].isReserved(packet.destination)
        {
            walk.hop(
                .destination, ResourceLabel(id: packet.destination.description),
                "an address AWS reserves in subnet \(topology[subnet].label) (R13.1)", passed: false)
            return .reservedAddress
        }
        guard let destination = topology.owner(of: packet.destination, in: vpc) else {
            walk.hop(
                .destination, ResourceLabel(id: packet.destination.description),
                "no interface in \(topology[vpc].label) owns \(packet.destination) (R11.2)", passed: false)
            return .noSuchHost
        }
        let interface = topology[destination]
        if interface.subnet != subnetIndex {
            if let drop = networkACLCheck(&walk, subnet: interface.subnet, egress: false) { return drop }
        }
        // Destination-type restrictions hold whatever the security groups say (oracle S11, S14).
        switch interface.owner {
        case .lambda:
            if !walk.isReply {
                walk.hop(
                    .destination, interface.label,
                    "a Lambda Hyperplane ENI accepts no inbound connections (V2N, R6.2)", passed: false)
                return .lambdaENINotInbound
            }
        case .interfaceEndpoint(let endpoint):
            let record = topology[endpoint]
            guard record.isAvailable else {
                walk.hop(.interfaceEndpoint, record.label, "state \(record.state): not forwarding (R5.5)", passed: false)
                return .endpointNotAvailable
            }
            guard packet.protocolNumber == .tcp else {
                walk.hop(
                    .interfaceEndpoint, record.label, "interface endpoints carry TCP only, not \(packet.protocolNumber) (R5.4)",
                    passed: false)
                return .endpointProtocol
            }
        case .natGateway(let nat):
            if walk.isReply && walk.returningNAT == nat {
                // The reply to a connection this NAT gateway translated: it takes it back (R8.1).
                walk.delivery = .interface(destination)
                return success
            }
            walk.hop(
                .destination, interface.label,
                "\(topology[nat].label) only forwards traffic; it accepts no connections to itself (R8.1)", passed: false)
            return .noSuchHost
        case .managed(let what):
            walk.hop(.destination, interface.label, "an interface of \(what): it carries traffic but accepts no connections to itself", passed: false)
            return .noSuchHost
        case .instance(let instance):
            if !topology[instance].isRunning {
                walk.hop(.destination, interface.label, "instance \(topology[instance].label) is \(topology[instance].state)", passed: false)
                return .noSuchHost
            }
        case .none:
            if !interface.isAttached {
                walk.hop(.destination, interface.label, "the interface is not attached to anything: nothing receives (R7.4)", passed: false)
                return .noSuchHost
            }
        case .loadBalancer(let balancer):
            if walk.isReply {
                // A target's answer to what the node forwarded (a capture's packet, judged alone):
                // the node keeps the flow's state and takes it (R19.3). Flows walk the whole way
                // back in replyThroughLoadBalancer.
                walk.hop(.loadBalancer, topology[balancer].label, "the reply returns to the node that forwarded its connection (R19.3)")
                walk.delivery = .interface(destination)
                return success
            }
            if let drop = securityGroupCheck(&walk, interface: destination, egress: false) { return drop }
            return loadBalancer(&walk, balancer, node: destination, entry: destination, success: success)
        case .gatewayLoadBalancerEndpoint:
            break
        }
        if let drop = securityGroupCheck(&walk, interface: destination, egress: false) { return drop }
        switch interface.owner {
        case .interfaceEndpoint(let endpoint):
            let record = topology[endpoint]
            let reason = success == .local ? .interfaceEndpoint : success
            if !walk.isReply, let service = topology.endpointService(named: record.serviceName) {
                return endpointService(&walk, service, endpoint: endpoint, at: destination, success: reason)
            }
            walk.hop(.interfaceEndpoint, record.label, "PrivateLink to \(record.serviceName) (R5.1)")
            walk.delivery = .interface(destination)
            return reason
        default:
            walk.hop(.destination, interface.label, "\(packet.destination) \(ownerText(interface.owner)) in subnet \(topology[interface.subnet].label)")
            walk.delivery = .interface(destination)
            return success
        }
    }

    // MARK: - checks shared by egress and ingress

    /// Security groups of `interface`; `nil` when allowed, else the drop reason.
    func securityGroupCheck(_ walk: inout Walk, interface: InterfaceIndex, egress: Bool) -> Reason? {
        let kind: HopKind = egress ? .securityGroupEgress : .securityGroupIngress
        let label = topology[interface].label
        if walk.isReply {
            walk.hop(kind, label, "reply to a tracked connection: allowed by state (R9.2)")
            return nil
        }
        if case .natGateway(let gateway) = topology[interface].owner {
            walk.hop(kind, label, "\(topology[gateway].label) cannot have security groups: all traffic passes (R8.2)")
            return nil
        }
        if case .loadBalancer(let balancer) = topology[interface].owner, !topology[balancer].hasSecurityGroups {
            walk.hop(kind, label, "\(topology[balancer].label) has no security groups: all traffic passes (R19.3)")
            return nil
        }
        let peer = egress ? walk.current.destination : walk.current.source
        let balancerNode = egress ? nil : walk.balancer?.node
        switch rules.securityGroups(
            of: interface, egress: egress, packet: walk.current, peer: peer, transitGateway: walk.crossedTransitGateway, balancerNode: balancerNode)
        {
        case .allowed(let group, let ruleIndex):
            let direction = egress ? "egress" : "ingress"
            let preposition = egress ? "to" : "from"
            let rule = egress ? topology[group].egress[ruleIndex] : topology[group].ingress[ruleIndex]
            walk.hop(kind, topology[group].label, "\(direction) rule \(rule.traffic) \(preposition) \(describe(rule.peer))", rule: ruleIndex)
            return nil
        case .denied:
            let direction = egress ? "outbound" : "inbound"
            let packet = walk.current
            walk.hop(
                kind, label,
                "no \(direction) rule of [\(topology[interface].securityGroups.map { topology[$0].label.id }.joined(separator: ", "))] allows \(trafficText(packet, egress: egress)) (R9.1)",
                passed: false)
            return egress ? .securityGroupEgress : .securityGroupIngress
        case .unknown(let missing):
            walk.hop(kind, label, "no rule matched and a rule refers to \(missing), missing from the input", passed: false)
            return .insufficientData
        }
    }

    /// The network ACL of `subnet`; `nil` when allowed, else the drop reason.
    func networkACLCheck(_ walk: inout Walk, subnet: SubnetIndex, egress: Bool) -> Reason? {
        let kind: HopKind = egress ? .networkACLEgress : .networkACLIngress
        guard let acl = topology.networkACL(of: subnet) else {
            walk.hop(kind, topology[subnet].label, "the subnet has no network ACL in the input", passed: false)
            return .insufficientData
        }
        let outcome = rules.networkACL(acl, egress: egress, packet: walk.current)
        walk.hop(kind, topology[acl].label, outcome.entry.map { "rule \($0.ruleNumber) \($0.allows ? "allow" : "deny") \($0.traffic) \($0.cidr)" }
            ?? "rule * deny (no numbered rule matched, R10.2)", passed: outcome.allows,
            // The `*` rule is last, after the numbered entries.
            rule: outcome.index ?? (egress ? topology[acl].egress.count : topology[acl].ingress.count))
        if outcome.allows { return nil }
        return egress ? .networkACLEgress : .networkACLIngress
    }
}
