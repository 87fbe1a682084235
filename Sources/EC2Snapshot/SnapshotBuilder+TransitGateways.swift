import PathCore
import VPCTopology

/// Transit gateways from a snapshot (R19.1): describe-transit-gateways, -attachments,
/// -vpc-attachments, -peering-attachments and -route-tables, and per route table
/// search-transit-gateway-routes and get-transit-gateway-route-table-associations/-propagations
/// (or Batfish's `TransitGatewayStaticRoutes` and `TransitGatewayPropagations`).
extension SnapshotBuilder {
    mutating func buildTransitGateways() {
        // The transit gateways, then every attachment any call names.
        for record in records["TransitGateways"] ?? [] {
            guard let label = record.label("TransitGatewayId") else { continue }
            recordByID[label.id] = record
            var gateway = TransitGateway(label: label, routeTablesKnown: false)
            gateway.securityGroupReferencing = record["Options"]?["SecurityGroupReferencingSupport"]?.string == "enable"
            tgwByID[label.id] = TransitGatewayIndex(topology.transitGateways.count)
            topology.transitGateways.append(gateway)
        }
        /// The transit gateway `id`, added when an attachment in `record` first names it.
        func gateway(_ id: String?, _ record: Record) -> TransitGatewayIndex? {
            guard let id else { return nil }
            if let known = tgwByID[id] { return known }
            recordByID[id] = record
            tgwByID[id] = TransitGatewayIndex(topology.transitGateways.count)
            topology.transitGateways.append(TransitGateway(label: ResourceLabel(id: id), routeTablesKnown: false))
            return tgwByID[id]
        }
        /// The attachment with `id` on `tgw`, added when first named.
        func attachment(_ id: String, on tgw: TransitGatewayIndex, kind: TransitGateway.Attachment.Kind) -> Int {
            if let index = topology[tgw].attachments.firstIndex(where: { $0.label.id == id }) { return index }
            topology.transitGateways[tgw.rawValue].attachments.append(TransitGateway.Attachment(label: ResourceLabel(id: id), kind: kind))
            return topology[tgw].attachments.count - 1
        }
        var outsideVPCs: Set<String> = []  // attachments to VPCs the snapshot lacks, warned about once
        for record in records["TransitGatewayVpcAttachments"] ?? [] {
            guard let id = record.string("TransitGatewayAttachmentId"), let tgw = gateway(record.string("TransitGatewayId"), record) else { continue }
            guard let vpc = record.string("VpcId").flatMap({ vpcByID[$0] }) else {
                let missing = record.string("VpcId") ?? "a VPC"
                warn(record, "attachment \(id) is to \(missing), missing from the snapshot; packets routed to it are insufficient data")
                outsideVPCs.insert(id)
                _ = attachment(id, on: tgw, kind: .outside(missing))
                continue
            }
            let index = attachment(id, on: tgw, kind: .vpc(vpc))
            topology.transitGateways[tgw.rawValue].attachments[index].subnets =
                (record["SubnetIds"]?.items ?? []).compactMap { $0.string.flatMap { subnetByID[$0] } }
            topology.transitGateways[tgw.rawValue].attachments[index].state = ResourceState(record.string("State")?.lowercased() ?? "available")
            topology.transitGateways[tgw.rawValue].attachments[index].applianceMode = record["Options"]?["ApplianceModeSupport"]?.string == "enable"
            topology.transitGateways[tgw.rawValue].attachments[index].securityGroupReferencing =
                record["Options"]?["SecurityGroupReferencingSupport"]?.string != "disable"
            if let name = record.name { topology.transitGateways[tgw.rawValue].attachments[index].label.name = name }
        }
        for record in records["TransitGatewayPeeringAttachments"] ?? [] {
            guard let id = record.string("TransitGatewayAttachmentId"),
                let requester = gateway(record["RequesterTgwInfo"]?["TransitGatewayId"]?.string, record),
                let accepter = gateway(record["AccepterTgwInfo"]?["TransitGatewayId"]?.string, record)
            else { continue }
            let state = record["Status"]?["Code"]?.string ?? record.string("State") ?? "available"
            let mine = attachment(id, on: requester, kind: .peering(nil, peerAttachment: nil))
            let theirs = attachment(id, on: accepter, kind: .peering(nil, peerAttachment: nil))
            topology.transitGateways[requester.rawValue].attachments[mine].kind = .peering(accepter, peerAttachment: theirs)
            topology.transitGateways[accepter.rawValue].attachments[theirs].kind = .peering(requester, peerAttachment: mine)
            topology.transitGateways[requester.rawValue].attachments[mine].state = ResourceState(state.lowercased())
            topology.transitGateways[accepter.rawValue].attachments[theirs].state = ResourceState(state.lowercased())
        }
        // describe-transit-gateway-attachments: every kind, with the associated route table.
        var associated: [String: String] = [:]  // attachment ID → route table ID
        for record in records["TransitGatewayAttachments"] ?? [] {
            guard let id = record.string("TransitGatewayAttachmentId"), let tgw = gateway(record.string("TransitGatewayId"), record) else { continue }
            let type = record.string("ResourceType") ?? ""
            let kind: TransitGateway.Attachment.Kind
            switch type {
            case "vpc":
                let missing = record.string("ResourceId") ?? "a VPC"
                if let vpc = vpcByID[missing] {
                    kind = .vpc(vpc)
                } else {
                    if outsideVPCs.insert(id).inserted {
                        warn(record, "attachment \(id) is to \(missing), missing from the snapshot; packets routed to it are insufficient data")
                    }
                    kind = .outside(missing)
                }
            case "peering", "tgw-peering": kind = .peering(nil, peerAttachment: nil)
            case "vpn": kind = .hybrid("Site-to-Site VPN \(record.string("ResourceId") ?? id)")
            case "direct-connect-gateway": kind = .hybrid("Direct Connect gateway \(record.string("ResourceId") ?? id)")
            default: kind = .hybrid("\(type) attachment \(record.string("ResourceId") ?? id)")
            }
            let index = attachment(id, on: tgw, kind: kind)
            topology.transitGateways[tgw.rawValue].attachments[index].state = ResourceState(record.string("State")?.lowercased() ?? "available")
            if let table = record["Association"]?["TransitGatewayRouteTableId"]?.string,
                record["Association"]?["State"]?.string.map({ $0 == "associated" }) ?? true
            {
                associated[id] = table
            }
        }
        buildTransitGatewayRouteTables(associated: associated)
        // A transit gateway's VPC attachments without route tables: name the calls to add.
        for gateway in topology.transitGateways where !gateway.routeTablesKnown && !gateway.attachments.isEmpty {
            guard let record = recordByID[gateway.label.id] else { continue }
            warn(record, "\(gateway.label.id): its route tables are not in the snapshot (add describe-transit-gateway-route-tables, get-transit-gateway-route-table-associations and search-transit-gateway-routes per table); packets through it are insufficient data (R19.1)")
        }
    }

    /// Route tables with their routes and associations; a table's routes must be in the snapshot
    /// (search-transit-gateway-routes, or Batfish's static routes with propagations) for its
    /// transit gateway's tables to count as known.
    mutating func buildTransitGatewayRouteTables(associated: [String: String]) {
        var tableIndex: [String: (tgw: TransitGatewayIndex, index: Int)] = [:]
        var complete: [TransitGatewayIndex: Bool] = [:]
        for record in records["TransitGatewayRouteTables"] ?? [] {
            guard let label = record.label("TransitGatewayRouteTableId"), let tgw = record.string("TransitGatewayId").flatMap({ tgwByID[$0] })
            else { continue }
            tableIndex[label.id] = (tgw, topology[tgw].routeTables.count)
            topology.transitGateways[tgw.rawValue].routeTables.append(TransitGateway.RouteTable(label: label))
            complete[tgw, default: true] = complete[tgw, default: true] && (transitRoutes[label.id] != nil || staticRoutes(label.id) != nil)
        }
        func attachmentIndex(_ id: String?, on tgw: TransitGatewayIndex) -> Int? {
            id.flatMap { id in topology[tgw].attachments.firstIndex { $0.label.id == id } }
        }
        // Associations: from describe-transit-gateway-attachments, or per table.
        var associations = associated
        for (table, list) in transitAssociations {
            for record in list where record.string("State").map({ $0 == "associated" }) ?? true {
                if let id = record.string("TransitGatewayAttachmentId") { associations[id] = table }
            }
        }
        for (attachment, table) in associations {
            guard let (tgw, index) = tableIndex[table], let a = attachmentIndex(attachment, on: tgw) else { continue }
            topology.transitGateways[tgw.rawValue].attachments[a].routeTable = index
        }
        for (table, (tgw, index)) in tableIndex {
            var routes: [TransitGateway.Route] = []
            let installed = transitRoutes[table] ?? staticRoutes(table) ?? []
            for record in installed {
                let destination: RouteDestination?
                if let id = record.string("PrefixListId") {
                    destination = listByID[id].map { .prefixList($0) }
                } else {
                    destination = prefix(record.string("DestinationCidrBlock"), record, field: "DestinationCidrBlock").map { .cidr($0) }
                }
                guard let destination else { continue }
                let propagated = record.string("Type")?.lowercased() == "propagated"
                if record.string("State")?.lowercased() == "blackhole" {
                    routes.append(TransitGateway.Route(destination: destination, target: .blackhole, propagated: propagated))
                    continue
                }
                let target = (record["TransitGatewayAttachments"]?.items ?? []).compactMap {
                    attachmentIndex($0["TransitGatewayAttachmentId"]?.string, on: tgw)
                }.first
                guard let target else {
                    // AWS names the attachment of every active route; moto names none.
                    warn(record, "route \(topology.label(of: destination).id) names no attachment of the snapshot; packets it carries are insufficient data (R15.4)")
                    routes.append(TransitGateway.Route(destination: destination, target: .unknown, propagated: propagated))
                    continue
                }
                routes.append(TransitGateway.Route(destination: destination, target: .attachment(target), propagated: propagated))
            }
            // Batfish's layout lists static routes only: propagations give the rest.
            if transitRoutes[table] == nil {
                for record in propagations(table) where record.string("State").map({ $0 == "enabled" }) ?? true {
                    guard let a = attachmentIndex(record.string("TransitGatewayAttachmentId"), on: tgw),
                        let vpc = topology[tgw].attachments[a].vpc
                    else { continue }
                    routes += topology[vpc].cidrs.map { TransitGateway.Route(destination: .cidr($0), target: .attachment(a), propagated: true) }
                }
            }
            topology.transitGateways[tgw.rawValue].routeTables[index].routes = routes
        }
        for (tgw, known) in complete { topology.transitGateways[tgw.rawValue].routeTablesKnown = known }
        // On-premises networks are behind a VPN or Direct Connect attachment: the blocks its
        // tables route there (static or propagated by BGP), where traffic from on premises comes
        // from. A default route says where what is unknown goes, not where a network is.
        for t in topology.transitGateways.indices {
            let gateway = topology.transitGateways[t]
            for (a, attachment) in gateway.attachments.enumerated() {
                guard case .hybrid = attachment.kind else { continue }
                let blocks = gateway.routeTables.flatMap(\.routes).compactMap { route -> IPPrefix? in
                    guard case .attachment(a) = route.target, case .cidr(let prefix) = route.destination, prefix.length > 0 else { return nil }
                    return prefix
                }
                topology.transitGateways[t].attachments[a].onPremises = blocks.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            }
        }
    }

    /// A table's static routes in Batfish's layout.
    func staticRoutes(_ table: String) -> [Record]? {
        guard let record = (records["TransitGatewayStaticRoutes"] ?? []).first(where: { $0.string("TransitGatewayRouteTableId") == table })
        else { return nil }
        return (record["Routes"]?.items ?? []).enumerated().map {
            Record(file: record.file, path: "\(record.path).Routes[\($0.offset)]", value: $0.element, region: nil, account: nil)
        }
    }

    /// A table's propagations: per-table files, or Batfish's layout.
    func propagations(_ table: String) -> [Record] {
        if let list = transitPropagations[table] { return list }
        guard let record = (records["TransitGatewayPropagations"] ?? []).first(where: { $0.string("TransitGatewayRouteTableId") == table })
        else { return [] }
        return (record["TransitGatewayRouteTablePropagations"]?.items ?? []).map {
            Record(file: record.file, path: record.path, value: $0, region: nil, account: nil)
        }
    }
}
