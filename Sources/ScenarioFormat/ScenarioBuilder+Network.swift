import PathCore
import VPCTopology
import Yams

/// VPCs, prefix lists, gateways, subnets and route tables.
extension ScenarioBuilder {
    mutating func readVPC(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "region", "account", "cidrs", "ipv6-cidrs", "dns-support", "dns-hostnames"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        var ipv4: [IPv4Prefix] = []
        var ipv6: [IPv6Prefix] = []
        for (key, family) in [("cidrs", AddressFamily.ipv4), ("ipv6-cidrs", .ipv6)] {
            guard let field = fields[key] else { continue }
            for item in reader.sequence(field.value, path: field.path) {
                switch reader.prefix(item.value, path: item.path, family: family) {
                case .v4(let p)?: ipv4.append(p)
                case .v6(let p)?: ipv6.append(p)
                case nil: break
                }
            }
        }
        if fields["cidrs"] == nil { reader.error("a VPC needs 'cidrs' (at least one IPv4 CIDR block)", at: node, path: path) }
        var account = topology.account
        if let f = fields["account"], let text = reader.string(f.value, path: f.path) {
            account = accountIDs[text] ?? text
            if !(account.count == 12 && account.allSatisfy({ $0.isASCII && $0.isNumber })) {
                reader.error("'\(text)' is neither a 12-digit account ID nor an account named under 'accounts'", at: f.value, path: f.path)
            }
        }
        var vpc = VPC(
            label: label(name, fields, prefix: "vpc"),
            account: account,
            region: fields["region"].flatMap { reader.string($0.value, path: $0.path) } ?? topology.region,
            ipv4CIDRs: ipv4, ipv6CIDRs: ipv6)
        if let f = fields["dns-support"] { vpc.dnsSupport = reader.bool(f.value, path: f.path) ?? true }
        if let f = fields["dns-hostnames"] { vpc.dnsHostnames = reader.bool(f.value, path: f.path) ?? true }
        register(name, id: vpc.label.id, kind: .vpc, index: topology.vpcs.count, path: path)
        topology.vpcs.append(vpc)
    }

    mutating func readPrefixList(_ name: String, _ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "aws-service", "region", "cidrs"]) else { return }
        var entries: [IPPrefix] = []
        if let field = fields["cidrs"] {
            for item in reader.sequence(field.value, path: field.path) {
                if let prefix = reader.prefix(item.value, path: item.path) { entries.append(prefix) }
            }
        } else {
            reader.error("a prefix list needs 'cidrs' (its entries)", at: node, path: path)
        }
        let family = entries.first?.family ?? .ipv4
        if entries.contains(where: { $0.family != family }) {
            reader.error("a prefix list holds one address family only (R3.2)", path: fields["cidrs"]?.path ?? path)
        }
        let region = fields["region"].flatMap { reader.string($0.value, path: $0.path) } ?? topology.region
        var listName = name
        var owner = topology.account
        if let service = fields["aws-service"], let key = reader.string(service.value, path: service.path) {
            listName = AWSService(serviceName: key)?.serviceName ?? "com.amazonaws.\(region).\(key)"
            owner = "AWS"
        }
        let list = PrefixList(
            label: label(name, fields, prefix: "pl"), prefixListName: listName, owner: owner, family: family, entries: entries)
        register(name, id: list.label.id, kind: .prefixList, index: topology.prefixLists.count, path: path)
        topology.prefixLists.append(list)
    }

    mutating func readPublicRanges(_ node: Node, _ path: String) {
        for item in reader.sequence(node, path: path) {
            guard let fields = reader.fields(item.value, path: item.path, allowed: ["service", "region", "cidrs"]),
                let service = fields["service"].flatMap({ reader.string($0.value, path: $0.path) }),
                let cidrs = fields["cidrs"]
            else {
                reader.error("each public range needs 'service' and 'cidrs'", at: item.value, path: item.path)
                continue
            }
            let region = fields["region"].flatMap { reader.string($0.value, path: $0.path) } ?? topology.region
            for entry in reader.sequence(cidrs.value, path: cidrs.path) {
                if let prefix = reader.prefix(entry.value, path: entry.path) {
                    topology.serviceRanges.append(ServiceRange(prefix: prefix, service: service, region: region))
                }
            }
        }
    }

    mutating func readAWSResource(_ name: String, _ node: Node, _ path: String) {
        guard let text = reader.string(node, path: path) else { return }
        let service = AWSService(serviceName: text) ?? AWSService(key: AWSService.aliases[text] ?? text, region: topology.region)
        register(name, id: name, kind: .awsResource, index: 0, path: path)
        topology.serviceResources[name] = service
    }

    mutating func readGateway(_ name: String, _ node: Node, _ path: String, kind: ResourceKind) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "vpc"]) else { return }
        let vpc: VPCIndex? = fields["vpc"].flatMap { lookupIndex($0.value, path: $0.path, .vpc) }
        switch kind {
        case .internetGateway:
            let gateway = InternetGateway(label: label(name, fields, prefix: "igw"), attachedVPC: vpc)
            register(name, id: gateway.label.id, kind: kind, index: topology.internetGateways.count, path: path)
            topology.internetGateways.append(gateway)
        case .egressOnlyGateway:
            let gateway = EgressOnlyInternetGateway(label: label(name, fields, prefix: "eigw"), attachedVPC: vpc)
            register(name, id: gateway.label.id, kind: kind, index: topology.egressOnlyGateways.count, path: path)
            topology.egressOnlyGateways.append(gateway)
        default:
            let gateway = VPNGateway(label: label(name, fields, prefix: "vgw"), attachedVPC: vpc)
            register(name, id: gateway.label.id, kind: kind, index: topology.vpnGateways.count, path: path)
            topology.vpnGateways.append(gateway)
        }
    }

    /// A Site-to-Site VPN connection or Direct Connect gateway of a virtual private gateway (R19.2):
    /// `{type, vpn-gateway, static-routes-only, routes, state, on-premises-cidrs}`.
    mutating func readVPNConnection(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "type", "vpn-gateway", "static-routes-only", "routes", "state", "on-premises-cidrs"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        guard let gatewayField = fields["vpn-gateway"], let gateway: VPNGatewayIndex = lookupIndex(gatewayField.value, path: gatewayField.path, .vpnGateway)
        else {
            if fields["vpn-gateway"] == nil { reader.error("a VPN connection needs 'vpn-gateway'", at: node, path: path) }
            return
        }
        var kind = VPNConnection.Kind.siteToSiteVPN
        if let f = fields["type"] {
            guard let known: VPNConnection.Kind = reader.choice(f.value, path: f.path, key: "type") else { return }
            kind = known
        }
        func cidrs(_ key: String) -> [IPPrefix] {
            fields[key].map { f in reader.sequence(f.value, path: f.path).compactMap { reader.prefix($0.value, path: $0.path) } } ?? []
        }
        // Direct Connect gateway IDs are UUIDs: no prefix to check.
        let connectionLabel = kind == .directConnect
            ? ResourceLabel(id: fields["id"].flatMap { reader.string($0.value, path: $0.path) } ?? ResourceID.make(prefix: "dxgw", name: name), name: name)
            : label(name, fields, prefix: "vpn")
        var connection = VPNConnection(
            label: connectionLabel, gateway: gateway,
            state: ResourceState(fields["state"].flatMap { reader.string($0.value, path: $0.path) }?.lowercased() ?? "available"),
            staticRoutesOnly: fields["static-routes-only"].flatMap { reader.bool($0.value, path: $0.path) } ?? true, routes: cidrs("routes"))
        connection.kind = kind
        // Where on-premises sources are: given, else what its static routes reach.
        connection.onPremises = fields["on-premises-cidrs"] != nil ? cidrs("on-premises-cidrs") : connection.routes
        // A Direct Connect gateway learns every route by BGP (R19.2).
        if kind == .directConnect {
            for key in ["static-routes-only", "routes"] where fields[key] != nil {
                reader.error("a Direct Connect gateway has no static routes: its routes come by BGP (propagated routes)", path: fields[key]!.path)
            }
            connection.staticRoutesOnly = false
        } else if connection.staticRoutesOnly && connection.routes.isEmpty {
            reader.warning("a static VPN connection without 'routes' covers no destination: packets routed to it are dropped (R19.2)", at: node, path: path)
        }
        register(name, id: connection.label.id, kind: .vpnConnection, index: topology.vpnConnections.count, path: path)
        topology.vpnConnections.append(connection)
    }

    mutating func readSubnet(_ name: String, _ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "vpc", "az", "az-id", "cidr", "ipv6-cidr"]) else { return }
        guard let vpcField = fields["vpc"], let vpc: VPCIndex = lookupIndex(vpcField.value, path: vpcField.path, .vpc)
        else {
            if fields["vpc"] == nil { reader.error("a subnet needs 'vpc'", at: node, path: path) }
            return
        }
        let ipv4 = fields["cidr"].flatMap { reader.prefix($0.value, path: $0.path, family: .ipv4) }.flatMap { prefix -> IPv4Prefix? in
            if case .v4(let p) = prefix { return p } else { return nil }
        }
        let ipv6 = fields["ipv6-cidr"].flatMap { reader.prefix($0.value, path: $0.path, family: .ipv6) }.flatMap { prefix -> IPv6Prefix? in
            if case .v6(let p) = prefix { return p } else { return nil }
        }
        if fields["cidr"] == nil && fields["ipv6-cidr"] == nil {
            reader.error("a subnet needs 'cidr' or 'ipv6-cidr'", at: node, path: path)
        }
        let zone = fields["az"].flatMap { reader.string($0.value, path: $0.path) } ?? "\(topology[vpc].region)a"
        var subnet = Subnet(label: label(name, fields, prefix: "subnet"), vpc: vpc, availabilityZone: zone, ipv4CIDR: ipv4, ipv6CIDR: ipv6)
        subnet.availabilityZoneID = fields["az-id"].flatMap { reader.string($0.value, path: $0.path) }
        register(name, id: subnet.label.id, kind: .subnet, index: topology.subnets.count, path: path)
        topology.subnets.append(subnet)
    }

    mutating func declareRouteTable(_ name: String, _ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "vpc", "main", "subnets", "gateways", "routes"]) else { return }
        guard let vpcField = fields["vpc"], let vpc: VPCIndex = lookupIndex(vpcField.value, path: vpcField.path, .vpc)
        else {
            if fields["vpc"] == nil { reader.error("a route table needs 'vpc'", at: node, path: path) }
            return
        }
        let isMain = fields["main"].flatMap { reader.bool($0.value, path: $0.path) } ?? false
        let index = topology.routeTables.count
        topology.routeTables.append(RouteTable(label: label(name, fields, prefix: "rtb"), vpc: vpc, isMain: isMain))
        register(name, id: topology.routeTables[index].label.id, kind: .routeTable, index: index, path: path)
        if isMain {
            if let existing = topology.vpcs[vpc.rawValue].mainRouteTable {
                reader.error("\(topology[vpc].label) already has main route table \(topology[existing].label)", path: path + ".main")
            }
            topology.vpcs[vpc.rawValue].mainRouteTable = RouteTableIndex(index)
        }
        for (_, item, itemPath) in stringList(fields["subnets"]?.value, path: path + ".subnets") {
            guard let subnet: SubnetIndex = lookupIndex(item, path: itemPath, .subnet) else { continue }
            if topology[subnet].vpc != vpc {
                reader.error("subnet \(topology[subnet].label) is in another VPC", at: item, path: itemPath)
            }
            if let other = subnetTables[subnet.rawValue] {
                reader.error("a subnet has exactly one route table (R1.13); it is already associated at \(other)", at: item, path: itemPath)
            }
            subnetTables[subnet.rawValue] = itemPath
            topology.subnets[subnet.rawValue].routeTable = RouteTableIndex(index)
        }
        for (_, item, itemPath) in stringList(fields["gateways"]?.value, path: path + ".gateways") {
            guard let found = lookup(item, path: itemPath, as: [.internetGateway, .vpnGateway]) else { continue }
            let gateway: EdgeGateway
            let attached: VPCIndex?
            if found.kind == .internetGateway {
                gateway = .internetGateway(InternetGatewayIndex(found.index))
                attached = topology.internetGateways[found.index].attachedVPC
            } else {
                gateway = .vpnGateway(VPNGatewayIndex(found.index))
                attached = topology.vpnGateways[found.index].attachedVPC
            }
            if attached != vpc { reader.error("the gateway is not attached to \(topology[vpc].label) (R2.1)", at: item, path: itemPath) }
            if isMain { reader.error("the main route table cannot be a gateway route table (R2.1)", at: item, path: itemPath) }
            if let other = edgeTables[gateway] {
                reader.error("a gateway is edge-associated with one route table; it already is at \(other)", at: item, path: itemPath)
            }
            edgeTables[gateway] = itemPath
            topology.routeTables[index].gateways.append(gateway)
        }
        if let routes = fields["routes"] { pendingRoutes.append((index, routes.value, routes.path)) }
    }

    /// Route targets people may name.
    static let targetKinds: [ResourceKind] = [
        .internetGateway, .egressOnlyGateway, .natGateway, .endpoint, .interface, .instance, .peering,
        .transitGateway, .vpnGateway,
    ]

    mutating func readRoutes(table: Int, _ node: Node, _ path: String) {
        let vpc = topology.routeTables[table].vpc
        for item in reader.sequence(node, path: path) {
            guard let fields = reader.fields(item.value, path: item.path, allowed: ["destination", "target", "state", "origin"])
            else { continue }
            guard let destinationField = fields["destination"], let targetField = fields["target"] else {
                reader.error("a route needs 'destination' and 'target'", at: item.value, path: item.path)
                continue
            }
            var state = RouteState.active
            if let f = fields["state"], let text = reader.string(f.value, path: f.path) {
                guard let value = RouteState(rawValue: text), value != .filtered else {
                    reader.error("state must be 'active' or 'blackhole'", at: f.value, path: f.path)
                    continue
                }
                state = value
            }
            guard let destination = routeDestination(destinationField.value, path: destinationField.path),
                let target = routeTarget(targetField.value, path: targetField.path, vpc: vpc, blackhole: state == .blackhole)
            else { continue }
            var route = Route(destination: destination, target: target, state: state, origin: .createRoute)
            if let f = fields["origin"], let text = reader.string(f.value, path: f.path) {
                switch text {
                case "static": route.origin = .createRoute
                case "propagated": route.origin = .propagated
                default: reader.error("origin must be 'static' or 'propagated'", at: f.value, path: f.path)
                }
            }
            if !topology.routeTables[table].gateways.isEmpty && !gatewayRouteAllowed(destination, target, table: table, path: item.path) {
                continue
            }
            if case .cidr(let prefix) = destination, target == .local {
                guard topology[vpc].cidrs.contains(prefix) else {
                    reader.error("a 'local' target is only valid for a whole VPC CIDR block (R1.3)", at: targetField.value, path: targetField.path)
                    continue
                }
                continue  // the local routes are added for every VPC CIDR already
            }
            // R1.9: a route for a whole VPC CIDR replaces the local target.
            if case .cidr(let prefix) = destination, topology[vpc].cidrs.contains(prefix) {
                topology.routeTables[table].routes.removeAll { $0.destination == destination && $0.target == .local }
            }
            routePaths[table, default: [:]][route] = item.path
            topology.routeTables[table].routes.append(route)
        }
    }

    /// R2.2: a gateway route table routes a whole VPC block or a whole subnet to `local`, an
    /// interface, or (internet gateways only) a Gateway Load Balancer endpoint.
    func gatewayRouteAllowed(_ destination: RouteDestination, _ target: RouteTarget, table: Int, path: String) -> Bool {
        let vpc = topology.routeTables[table].vpc
        guard case .cidr(let prefix) = destination,
            topology[vpc].cidrs.contains(prefix) || topology.subnets.contains(where: { $0.vpc == vpc && $0.cidrs.contains(prefix) })
        else {
            reader.error("a gateway route table's destinations are whole VPC or subnet blocks (R2.2)", path: path + ".destination")
            return false
        }
        switch target {
        case .local, .networkInterface:
            return true
        case .gatewayLoadBalancerEndpoint where topology.routeTables[table].gateways.allSatisfy({ if case .internetGateway = $0 { true } else { false } }):
            return true
        default:
            reader.error(
                "a gateway route table's targets are local, a network interface or (internet gateways only) a Gateway Load Balancer endpoint (R2.2)",
                path: path + ".target")
            return false
        }
    }

    func routeDestination(_ node: Node, path: String) -> RouteDestination? {
        guard let text = reader.string(node, path: path) else { return nil }
        if text.contains("/") { return reader.prefix(node, path: path).map { .cidr($0) } }
        return lookup(node, path: path, as: [.prefixList]).map { .prefixList(PrefixListIndex($0.index)) }
    }

    /// The target a route names. A blackhole route may name the ID of a deleted resource (R1.11).
    func routeTarget(_ node: Node, path: String, vpc: VPCIndex, blackhole: Bool) -> RouteTarget? {
        if node.string == "local" { return .local }
        if blackhole, let text = node.string, names[text] == nil, text.contains("-") { return .missing(id: text) }
        guard let found = lookup(node, path: path, as: Self.targetKinds) else { return nil }
        func sameVPC(_ other: VPCIndex?, _ what: String) -> Bool {
            guard other == vpc else {
                reader.error("\(what) is not attached to \(topology[vpc].label); AWS rejects the route", at: node, path: path)
                return false
            }
            return true
        }
        switch found.kind {
        case .internetGateway:
            let i = InternetGatewayIndex(found.index)
            return sameVPC(topology[i].attachedVPC, "internet gateway \(topology[i].label)") ? .internetGateway(i) : nil
        case .egressOnlyGateway:
            let i = EgressOnlyGatewayIndex(found.index)
            return sameVPC(topology[i].attachedVPC, "egress-only gateway \(topology[i].label)") ? .egressOnlyInternetGateway(i) : nil
        case .vpnGateway:
            let i = VPNGatewayIndex(found.index)
            return sameVPC(topology[i].attachedVPC, "VPN gateway \(topology[i].label)") ? .vpnGateway(i) : nil
        case .natGateway: return .natGateway(NATGatewayIndex(found.index))
        case .interface: return .networkInterface(InterfaceIndex(found.index))
        case .instance:
            guard let primary = topology.instances[found.index].interfaces.first else { return nil }
            return .networkInterface(primary)
        case .peering: return .peeringConnection(PeeringIndex(found.index))
        case .transitGateway: return .transitGateway(TransitGatewayIndex(found.index))
        case .endpoint:
            let endpoint = EndpointIndex(found.index)
            if topology[endpoint].kind == .gatewayLoadBalancer {
                return sameVPC(topology[endpoint].vpc, "Gateway Load Balancer endpoint \(topology[endpoint].label)") ? .gatewayLoadBalancerEndpoint(endpoint) : nil
            }
            reader.error(
                "routes to gateway and interface endpoints are not written by hand: list the route table under the gateway endpoint's 'route-tables' (R4.2)",
                at: node, path: path)
            return nil
        default: return nil
        }
    }

    mutating func readPeering(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "requester", "accepter", "requester-cidrs", "accepter-cidrs", "status"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        let requester: VPCIndex? = fields["requester"].flatMap { lookupIndex($0.value, path: $0.path, .vpc) }
        let accepter: VPCIndex? = fields["accepter"].flatMap { lookupIndex($0.value, path: $0.path, .vpc) }
        var peering = PeeringConnection(label: label(name, fields, prefix: "pcx"), requester: requester, accepter: accepter)
        peering.status = fields["status"].flatMap { reader.string($0.value, path: $0.path) }.map { ResourceState($0) } ?? .active
        for key in ["requester-cidrs", "accepter-cidrs"] {
            guard let f = fields[key] else { continue }
            let cidrs = reader.sequence(f.value, path: f.path).compactMap { reader.prefix($0.value, path: $0.path) }
            if key == "requester-cidrs" { peering.requesterCIDRs = cidrs } else { peering.accepterCIDRs = cidrs }
        }
        if requester == nil && accepter == nil {
            reader.error("a peering connection needs 'requester' or 'accepter' naming a VPC of the scenario", at: node, path: path)
        }
        register(name, id: peering.label.id, kind: .peering, index: topology.peeringConnections.count, path: path)
        topology.peeringConnections.append(peering)
    }

    /// A transit gateway (R19.1): named attachments (`{vpc, subnets}`, `{vpn}`, `{direct-connect}`,
    /// `{peer}`; a list of `{vpc, subnets}` names them after their VPCs) and optional route tables;
    /// without them, AWS's default: one table, every attachment associated, every VPC propagating.
    mutating func readTransitGateway(_ name: String, _ node: Node, _ path: String) {
        let allowed = ["id", "attachments", "route-tables", "security-group-referencing"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return }
        let index = topology.transitGateways.count
        var gateway = TransitGateway(label: label(name, fields, prefix: "tgw"))
        gateway.securityGroupReferencing = fields["security-group-referencing"].flatMap { reader.bool($0.value, path: $0.path) } ?? false
        var attachmentNames: [String: Int] = [:]
        if let f = fields["attachments"] {
            var entries: [(name: String?, value: Node, path: String)] = []
            if case .mapping = f.value {
                entries = (reader.mapping(f.value, path: f.path) ?? []).map { ($0.key, $0.value, $0.path) }
            } else {
                entries = reader.sequence(f.value, path: f.path).map { (nil, $0.value, $0.path) }
            }
            for entry in entries {
                guard let attachment = transitGatewayAttachment(entry.value, path: entry.path, gateway: name, index: index) else { continue }
                let attachmentName = entry.name ?? attachment.defaultName
                if attachmentNames[attachmentName] != nil {
                    reader.error("attachment name '\(attachmentName)' is used twice in this transit gateway", path: entry.path)
                }
                attachmentNames[attachmentName] = gateway.attachments.count
                if let peer = attachment.peerNode {
                    pendingTransitGatewayPeerings.append((index, gateway.attachments.count, peer.value, peer.path))
                }
                var named = attachment.value
                named.label = ResourceLabel(id: named.label.id, name: attachmentName)
                gateway.attachments.append(named)
            }
        }
        if let tables = fields["route-tables"], tables.value.string == "unknown" {
            // What an import writes when the snapshot lacked them (R15.4, R19.1).
            gateway.routeTablesKnown = false
        } else if let tables = fields["route-tables"] {
            for entry in reader.mapping(tables.value, path: tables.path) ?? [] {
                readTransitGatewayRouteTable(entry.key, entry.value, entry.path, gateway: &gateway, attachments: attachmentNames)
            }
        } else {
            gateway.addDefaultRouteTable(label: ResourceLabel(id: ResourceID.make(prefix: "tgw-rtb", name: name + "/default"), name: "\(name)-default"), topology: topology)
        }
        register(name, id: gateway.label.id, kind: .transitGateway, index: index, path: path)
        topology.transitGateways.append(gateway)
    }

    /// An attachment as read, with what its entry needs besides: the name it gets where the list
    /// form gives none (its VPC's), and a peering attachment's `peer` node, resolved once every
    /// transit gateway is read.
    struct ReadAttachment {
        var value: TransitGateway.Attachment
        var defaultName: String
        var peerNode: (value: Node, path: String)?
    }

    /// One attachment: `{vpc, subnets, appliance-mode, state}`, `{vpn: NAME}`, `{direct-connect: NAME}`
    /// (both with `on-premises-cidrs`), `{peer: TRANSIT-GATEWAY}` (its side there is the attachment
    /// whose `peer` names this one) or `{outside: TEXT}` (a VPC not in the file: insufficient data).
    mutating func transitGatewayAttachment(_ node: Node, path: String, gateway: String, index: Int) -> ReadAttachment? {
        let allowed = [
            "id", "vpc", "subnets", "appliance-mode", "security-group-referencing", "state", "vpn", "direct-connect", "peer", "outside",
            "on-premises-cidrs",
        ]
        guard let a = reader.fields(node, path: path, allowed: allowed) else { return nil }
        let kinds = ["vpc", "vpn", "direct-connect", "peer", "outside"].filter { a[$0] != nil }
        guard kinds.count == 1 else {
            reader.error("an attachment names exactly one of 'vpc', 'vpn', 'direct-connect', 'peer' or 'outside'", at: node, path: path)
            return nil
        }
        let id = a["id"].flatMap { reader.string($0.value, path: $0.path) } ?? ResourceID.make(prefix: "tgw-attach", name: "\(gateway)/\(path)")
        let state = ResourceState(a["state"].flatMap { reader.string($0.value, path: $0.path) }?.lowercased() ?? "available")
        var read: ReadAttachment
        switch kinds[0] {
        case "vpc":
            guard let vpc: VPCIndex = lookupIndex(a["vpc"]!.value, path: a["vpc"]!.path, .vpc) else { return nil }
            let subnets: [SubnetIndex] = stringList(a["subnets"]?.value, path: path + ".subnets").compactMap { lookupIndex($0.1, path: $0.2, .subnet) }
            var zones: Set<String> = []
            for subnet in subnets {
                if topology[subnet].vpc != vpc { reader.error("subnet \(topology[subnet].label) is not in the attached VPC", path: path + ".subnets") }
                if !zones.insert(topology[subnet].availabilityZone).inserted {
                    reader.error("an attachment has one subnet per Availability Zone (R12.4)", path: path + ".subnets")
                }
            }
            if subnets.isEmpty { reader.error("a VPC attachment needs 'subnets', one per Availability Zone it serves (R12.4)", at: node, path: path) }
            var attachment = TransitGateway.Attachment(label: ResourceLabel(id: id), kind: .vpc(vpc), subnets: subnets, state: state)
            attachment.applianceMode = a["appliance-mode"].flatMap { reader.bool($0.value, path: $0.path) } ?? false
            attachment.securityGroupReferencing = a["security-group-referencing"].flatMap { reader.bool($0.value, path: $0.path) } ?? true
            read = ReadAttachment(value: attachment, defaultName: topology[vpc].label.name ?? topology[vpc].label.id)
        case "peer":
            read = ReadAttachment(
                value: TransitGateway.Attachment(label: ResourceLabel(id: id), kind: .peering(nil, peerAttachment: nil), state: state),
                defaultName: id, peerNode: a["peer"].map { ($0.value, $0.path) })
        case "outside":
            let what = reader.string(a["outside"]!.value, path: a["outside"]!.path) ?? "a VPC outside the file"
            read = ReadAttachment(value: TransitGateway.Attachment(label: ResourceLabel(id: id), kind: .outside(what), state: state), defaultName: id)
        default:
            let what = kinds[0] == "vpn" ? "Site-to-Site VPN" : "Direct Connect gateway"
            let name = reader.string(a[kinds[0]]!.value, path: a[kinds[0]]!.path) ?? what
            read = ReadAttachment(value: TransitGateway.Attachment(label: ResourceLabel(id: id), kind: .hybrid("\(what) \(name)"), state: state), defaultName: id)
            if let f = a["on-premises-cidrs"] {
                read.value.onPremises = reader.sequence(f.value, path: f.path).compactMap { reader.prefix($0.value, path: $0.path) }
            }
        }
        // Keys of another kind of attachment are mistakes, not options.
        let applies: [String: Set<String>] = [
            "vpc": ["vpc", "subnets", "appliance-mode", "security-group-referencing"], "vpn": ["vpn", "on-premises-cidrs"],
            "direct-connect": ["direct-connect", "on-premises-cidrs"], "peer": ["peer"], "outside": ["outside"],
        ]
        for (key, field) in a.sorted(by: { $0.key < $1.key }) where key != "id" && key != "state" && !applies[kinds[0]]!.contains(key) {
            reader.error(
                key == "on-premises-cidrs"
                    ? "only a 'vpn' or 'direct-connect' attachment has on-premises networks behind it"
                    : "'\(key)' does not apply to a '\(kinds[0])' attachment",
                at: field.value, path: field.path)
        }
        return read
    }

    /// `{associations, propagations, routes}` of a transit gateway route table (R12.5, R19.1).
    mutating func readTransitGatewayRouteTable(
        _ name: String, _ node: Node, _ path: String, gateway: inout TransitGateway, attachments: [String: Int]
    ) {
        guard let fields = reader.fields(node, path: path, allowed: ["id", "associations", "propagations", "routes"]) else { return }
        let tableIndex = gateway.routeTables.count
        var table = TransitGateway.RouteTable(label: label(name, fields, prefix: "tgw-rtb"))
        func attachment(_ item: (String, Node, String)) -> Int? {
            guard let index = attachments[item.0] else {
                let hint = closest(item.0, in: attachments.keys.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error("'\(item.0)' does not name an attachment of this transit gateway\(hint)", at: item.1, path: item.2)
                return nil
            }
            return index
        }
        for item in stringList(fields["associations"]?.value, path: path + ".associations") {
            guard let index = attachment(item) else { continue }
            if let other = gateway.attachments[index].routeTable {
                reader.error("an attachment is associated with one route table (R12.5); it already is with \(gateway.routeTables.indices.contains(other) ? gateway.routeTables[other].label.description : "another")", at: item.1, path: item.2)
            }
            gateway.attachments[index].routeTable = tableIndex
        }
        for item in stringList(fields["propagations"]?.value, path: path + ".propagations") {
            guard let index = attachment(item) else { continue }
            guard let vpc = gateway.attachments[index].vpc else {
                reader.error("only VPC attachments propagate here: the on-premises side's routes are not in the input", at: item.1, path: item.2)
                continue
            }
            table.routes += topology[vpc].cidrs.map { TransitGateway.Route(destination: .cidr($0), target: .attachment(index), propagated: true) }
        }
        for item in reader.sequence(fields["routes"]?.value ?? .sequence(.init([])), path: path + ".routes") {
            guard let route = reader.fields(item.value, path: item.path, allowed: ["destination", "target", "origin"]),
                let destinationField = route["destination"], let targetField = route["target"]
            else {
                reader.error("a route needs 'destination' and 'target' (an attachment or 'blackhole')", at: item.value, path: item.path)
                continue
            }
            guard let destination = routeDestination(destinationField.value, path: destinationField.path),
                let targetText = reader.string(targetField.value, path: targetField.path)
            else { continue }
            var propagated = false
            if let f = route["origin"], let text = reader.string(f.value, path: f.path) {
                guard text == "static" || text == "propagated" else {
                    reader.error("origin must be 'static' or 'propagated'", at: f.value, path: f.path)
                    continue
                }
                propagated = text == "propagated"
            }
            if targetText == "blackhole" || targetText == "unknown" {
                let target: TransitGateway.Route.Target = targetText == "blackhole" ? .blackhole : .unknown
                table.routes.append(TransitGateway.Route(destination: destination, target: target, propagated: propagated))
            } else if let index = attachment((targetText, targetField.value, targetField.path)) {
                table.routes.append(TransitGateway.Route(destination: destination, target: .attachment(index), propagated: propagated))
            }
        }
        gateway.routeTables.append(table)
    }

    /// Pairs each peering attachment with the attachment on the peer transit gateway that names
    /// this one back.
    mutating func resolveTransitGatewayPeerings() {
        let resolved = pendingTransitGatewayPeerings.map { pending -> (gateway: Int, attachment: Int, peer: Int?) in
            let peer: TransitGatewayIndex? = lookupIndex(pending.node, path: pending.path, .transitGateway)
            return (pending.gateway, pending.attachment, peer?.rawValue)
        }
        for (entry, pending) in zip(resolved, pendingTransitGatewayPeerings) {
            guard let peer = entry.peer else { continue }
            guard let back = resolved.first(where: { $0.gateway == peer && $0.peer == entry.gateway }) else {
                reader.error(
                    "\(topology.transitGateways[peer].label) has no 'peer' attachment naming \(topology.transitGateways[entry.gateway].label) back",
                    at: pending.node, path: pending.path)
                continue
            }
            topology.transitGateways[entry.gateway].attachments[entry.attachment].kind = .peering(TransitGatewayIndex(peer), peerAttachment: back.attachment)
        }
    }

    /// `block-public-access: {mode, exclusions: [{vpc | subnet, mode}]}` for the scenario's Region (R7.8).
    mutating func readBlockPublicAccess(_ node: Node, _ path: String) {
        guard let fields = reader.fields(node, path: path, allowed: ["mode", "exclusions"]),
            let modeField = fields["mode"], let text = reader.string(modeField.value, path: modeField.path)
        else {
            reader.error("block-public-access needs 'mode' (off, block-bidirectional or block-ingress)", at: node, path: path)
            return
        }
        guard let mode = BlockPublicAccess(rawValue: text) else {
            reader.error("mode must be off, block-bidirectional or block-ingress", at: modeField.value, path: modeField.path)
            return
        }
        for v in topology.vpcs.indices where topology.vpcs[v].region == topology.region { topology.vpcs[v].blockPublicAccess = mode }
        for item in reader.sequence(fields["exclusions"]?.value ?? .sequence(.init([])), path: path + ".exclusions") {
            guard let exclusion = reader.fields(item.value, path: item.path, allowed: ["vpc", "subnet", "mode"]),
                let m = exclusion["mode"], let kind = reader.string(m.value, path: m.path)
            else { continue }
            guard let value = BlockPublicAccess.Exclusion(rawValue: kind) else {
                reader.error("an exclusion's mode is allow-bidirectional or allow-egress", at: m.value, path: m.path)
                continue
            }
            if let f = exclusion["vpc"], let vpc: VPCIndex = lookupIndex(f.value, path: f.path, .vpc) {
                topology.vpcs[vpc.rawValue].blockPublicAccessExclusion = value
            } else if let f = exclusion["subnet"], let subnet: SubnetIndex = lookupIndex(f.value, path: f.path, .subnet) {
                topology.subnets[subnet.rawValue].blockPublicAccessExclusion = value
            } else if exclusion["vpc"] == nil && exclusion["subnet"] == nil {
                reader.error("an exclusion names a 'vpc' or a 'subnet'", at: item.value, path: item.path)
            }
        }
    }

    /// What AWS creates with every VPC: a main route table, a default network ACL and a default
    /// security group when the scenario declares none, and the local routes (R1.3, R9.6, R10.5).
    mutating func addDefaults() {
        for v in topology.vpcs.indices {
            let vpc = VPCIndex(v)
            let name = topology.vpcs[v].label.name ?? topology.vpcs[v].label.id
            if topology.vpcs[v].mainRouteTable == nil {
                topology.vpcs[v].mainRouteTable = RouteTableIndex(topology.routeTables.count)
                topology.routeTables.append(
                    RouteTable(label: ResourceLabel(id: ResourceID.make(prefix: "rtb", name: name + "/main"), name: "\(name)-main"), vpc: vpc, isMain: true))
            }
            if topology.vpcs[v].defaultNetworkACL == nil {
                topology.vpcs[v].defaultNetworkACL = NetworkACLIndex(topology.networkACLs.count)
                var entries = [NetworkACL.Entry(ruleNumber: 100, allows: true, traffic: .all, cidr: IPPrefix("0.0.0.0/0")!)]
                if !topology.vpcs[v].ipv6CIDRs.isEmpty {
                    entries.append(NetworkACL.Entry(ruleNumber: 101, allows: true, traffic: .all, cidr: IPPrefix("::/0")!))
                }
                topology.networkACLs.append(
                    NetworkACL(
                        label: ResourceLabel(id: ResourceID.make(prefix: "acl", name: name + "/default"), name: "\(name)-default-acl"),
                        vpc: vpc, isDefault: true, ingress: entries, egress: entries))
            }
        }
        // R1.3: one local route per VPC CIDR, in every table of the VPC.
        for t in topology.routeTables.indices {
            let vpc = topology[topology.routeTables[t].vpc]
            topology.routeTables[t].routes =
                vpc.cidrs.map { Route(destination: .cidr($0), target: .local, origin: .createRouteTable) }
                + topology.routeTables[t].routes
        }
    }
}
