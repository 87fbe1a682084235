import PathCore
import VPCTopology

/// Transit gateways (R12.4, R12.5, R19.1): the packet enters through its VPC's attachment, is
/// routed by the route table associated with that attachment, and goes on into the next VPC
/// (routed there by the attachment subnet's route table), to a peer transit gateway, or out to
/// a VPN or Direct Connect.
extension Classifier {
    /// A packet routed to `gateway` from `subnetIndex`.
    func transitGateway(_ walk: inout Walk, gateway: TransitGatewayIndex, from subnetIndex: SubnetIndex) -> Reason {
        let record = topology[gateway]
        let vpc = topology[subnetIndex].vpc
        guard let ingress = record.attachments.firstIndex(where: { $0.vpc == vpc }) else {
            walk.hop(.transitGateway, record.label, "no attachment to \(topology[vpc].label)", passed: false)
            return .gatewayState
        }
        let attachment = record.attachments[ingress]
        // R12.4: the attachment needs a subnet in the sender's Availability Zone.
        let zone = topology[subnetIndex].availabilityZone
        guard let attachmentSubnet = attachment.subnets.first(where: { topology[$0].availabilityZone == zone }) else {
            walk.hop(
                .transitGateway, record.label, "the attachment has no subnet in \(zone), the source's Availability Zone (R12.4)",
                passed: false)
            return .transitGatewayAZ
        }
        // Into the transit gateway: the attachment subnet's inbound rules when it is not the
        // sender's subnet; its outbound rules are not evaluated (R19.1).
        if attachmentSubnet != subnetIndex {
            if let drop = networkACLCheck(&walk, subnet: attachmentSubnet, egress: false) { return drop }
        }
        return transit(&walk, gateway: gateway, ingress: ingress, zone: zone)
    }

    /// The packet inside `gateway`, entered through attachment `ingress` in `zone`: the lookup in
    /// the route table associated with `ingress` (R12.5), then the next hop by attachment type.
    func transit(_ walk: inout Walk, gateway: TransitGatewayIndex, ingress: Int, zone: String) -> Reason {
        let record = topology[gateway]
        let attachment = record.attachments[ingress]
        guard walk.handOff(at: .transitGateway, record.label) else { return .loop }
        guard attachment.state == .available else {
            walk.hop(.transitGateway, record.label, "attachment \(attachment.label) is \(attachment.state) (R19.1)", passed: false)
            return .gatewayState
        }
        guard record.routeTablesKnown else {
            walk.hop(
                .transitGateway, record.label,
                "its route tables are not in the input (add describe-transit-gateway-route-tables and search-transit-gateway-routes)",
                passed: false)
            return .insufficientData
        }
        guard let tableIndex = attachment.routeTable else {
            walk.hop(.transitGateway, record.label, "attachment \(attachment.label) is associated with no route table (R19.1)", passed: false)
            return .tgwNoRoute
        }
        let table = record.routeTables[tableIndex]
        let destination = walk.current.destination
        guard let winner = Self.transitRoute(destination, in: table, topology: topology) else {
            walk.hop(.transitGateway, record.label, "route table \(table.label) has no route for \(destination) (R19.1)", passed: false)
            return .tgwNoRoute
        }
        let route = table.routes[winner]
        let next: Int
        switch route.target {
        case .attachment(let attachment): next = attachment
        case .blackhole:
            walk.hop(
                .transitGateway, record.label, "route table \(table.label): \(topology.label(of: route.destination)) is a blackhole route (R19.1)",
                passed: false)
            return .tgwBlackhole
        case .unknown:
            walk.hop(
                .transitGateway, record.label,
                "route table \(table.label): \(topology.label(of: route.destination)) goes to an attachment the input does not name (R15.4)", passed: false)
            return .insufficientData
        }
        let target = record.attachments[next]
        guard target.state == .available else {
            walk.hop(.transitGateway, record.label, "route to attachment \(target.label), which is \(target.state) (R19.1)", passed: false)
            return .gatewayState
        }
        walk.hop(
            .transitGateway, record.label,
            "from \(attachment.label): route table \(table.label), \(route.propagated ? "propagated " : "")route \(topology.label(of: route.destination)) → \(target.label) (R12.5, R19.1)")
        walk.crossedTransitGateway = gateway
        switch target.kind {
        case .vpc(let vpc):
            return intoVPC(&walk, vpc: vpc, attachment: next, zone: zone, gateway: gateway)
        case .peering(let peer, let peerAttachment):
            guard let peer, let peerAttachment else {
                walk.note("the peer transit gateway is not in the input; the walk stops at the peering attachment")
                walk.delivery = .outside
                return .tgwHybrid
            }
            return transit(&walk, gateway: peer, ingress: peerAttachment, zone: zone)
        case .hybrid(let what):
            walk.note("\(what) leaves AWS: the on-premises side is not modelled (R19.1)")
            walk.delivery = .outside
            walk.leftAt = .transitGateway(gateway, attachment: next)
            return .tgwHybrid
        case .outside(let what):
            walk.hop(.transitGateway, target.label, "attachment to \(what), which is not in the input (R15.4)", passed: false)
            return .insufficientData
        }
    }

    /// Into `vpc` at the attachment's interface in `zone` (any of its subnets when it has none
    /// there): the attachment subnet's outbound rules, not its inbound rules, then its route
    /// table decides (R19.1). A delivery by its local route is `transit-gateway`. A reply crosses
    /// an appliance-mode attachment in the Availability Zone its request did.
    func intoVPC(_ walk: inout Walk, vpc: VPCIndex, attachment index: Int, zone: String, gateway: TransitGatewayIndex) -> Reason {
        let attachment = topology[gateway].attachments[index]
        let requestZone = walk.requestZones.first { $0.gateway == gateway && $0.attachment == index }?.zone
        let zone = attachment.applianceMode ? requestZone ?? zone : zone
        guard let subnet = attachment.subnets.first(where: { topology[$0].availabilityZone == zone }) ?? attachment.subnets.first else {
            walk.hop(.transitGateway, topology[gateway].label, "attachment \(attachment.label) has no subnet", passed: false)
            return .insufficientData
        }
        let entered = topology[subnet].availabilityZone
        if walk.recordsPath {
            walk.transitZones.append(TransitZone(gateway: gateway, attachment: index, zone: entered))
            if let requestZone, requestZone != entered {
                walk.note("the reply enters \(attachment.label) in \(entered), its request did in \(requestZone): without appliance mode a stateful appliance there sees one direction only (R19.1)")
            }
        }
        if let drop = networkACLCheck(&walk, subnet: subnet, egress: true) { return drop }
        walk.enteredFromOutside = true
        let reason = route(&walk, from: subnet)
        return reason == .local ? .transitGateway : reason
    }

    /// The route of `table` that wins for `destination` (R12.5): the longest prefix, then static
    /// before prefix-list before propagated routes, then the first written. Allocates nothing.
    static func transitRoute(_ destination: IPAddress, in table: TransitGateway.RouteTable, topology: Topology) -> Int? {
        var best: (index: Int, length: Int, priority: Int)?
        func consider(_ index: Int, _ prefix: IPPrefix, _ priority: Int) {
            guard prefix.contains(destination) else { return }
            let length = Int(prefix.length)
            if let current = best, current.length > length || (current.length == length && current.priority <= priority) { return }
            best = (index, length, priority)
        }
        for (index, route) in table.routes.enumerated() {
            switch route.destination {
            case .cidr(let prefix):
                consider(index, prefix, route.propagated ? 2 : 0)
            case .prefixList(let list):
                for entry in topology[list].entries ?? [] { consider(index, entry, 1) }
            }
        }
        return best?.index
    }
}
