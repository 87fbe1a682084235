import PathCore
import VPCTopology

/// VPCs, prefix lists, gateways, subnets and route tables (R16.1–R16.5, R16.9).
extension SnapshotBuilder {
    /// A CIDR from AWS output: non-canonical IPv6 text is accepted (R16 quirks); host bits are
    /// cleared with a warning; anything else is an error (a rule or route read wrongly could
    /// open what it closes) and `nil`.
    mutating func prefix(_ text: String?, _ record: Record, field: String) -> IPPrefix? {
        guard let text else { return nil }
        switch IPPrefix.parse(text) {
        case .success(let prefix): return prefix
        case .failure(.hostBitsSet(_, let canonical)):
            warn(record, "\(text) has host bits set; read as \(canonical)", field: field)
            return IPPrefix(canonical)
        case .failure(let error):
            fail(record, "\(error)", field: field)
            return nil
        }
    }

    /// The Region of a record: its `REGION/` folder, else `fallback`, else the default.
    func region(_ record: Record, fallback: String? = nil) -> String { record.region ?? fallback ?? defaultRegion }

    mutating func buildVPCs() {
        // The Region of each VPC: a REGION/ folder, else the AZ of any of its subnets (us-east-1a → us-east-1).
        var zoneRegion: [String: String] = [:]
        for subnet in records["Subnets"] ?? [] {
            if let vpc = subnet.string("VpcId"), let zone = subnet.string("AvailabilityZone"), zone.count > 1 {
                zoneRegion[vpc] = String(zone.dropLast())
            }
        }
        for record in records["Vpcs"] ?? [] {
            guard let label = record.label("VpcId") else {
                warn(record, "a VPC without VpcId; ignored")
                continue
            }
            var ipv4: [IPv4Prefix] = []
            for (i, association) in (record["CidrBlockAssociationSet"]?.items ?? []).enumerated() {
                guard association["CidrBlockState"]?["State"]?.string?.lowercased() == "associated" else { continue }
                if case .v4(let p)? = prefix(association["CidrBlock"]?.string, record, field: "CidrBlockAssociationSet[\(i)]") { ipv4.append(p) }
            }
            if ipv4.isEmpty, case .v4(let p)? = prefix(record.string("CidrBlock"), record, field: "CidrBlock") { ipv4 = [p] }
            // The primary block comes first (R13.1: the DNS server is its base + 2).
            if let primary = record.string("CidrBlock").flatMap({ IPPrefix($0) }), case .v4(let p) = primary, let at = ipv4.firstIndex(of: p) {
                ipv4.insert(ipv4.remove(at: at), at: 0)
            }
            var ipv6: [IPv6Prefix] = []
            for (i, association) in (record["Ipv6CidrBlockAssociationSet"]?.items ?? []).enumerated() {
                let state = association["Ipv6CidrBlockState"]?["State"]?.string ?? ""
                guard state.lowercased() == "associated" else {
                    warn(record, "IPv6 block state '\(state)' is not 'associated'; block ignored", field: "Ipv6CidrBlockAssociationSet[\(i)]")
                    continue
                }
                if case .v6(let p)? = prefix(association["Ipv6CidrBlock"]?.string, record, field: "Ipv6CidrBlockAssociationSet[\(i)]") { ipv6.append(p) }
            }
            let account = record.string("OwnerId") ?? record.account ?? ""
            if topology.account.isEmpty { topology.account = account }
            var vpc = VPC(
                label: label, account: account, region: region(record, fallback: zoneRegion[label.id]), ipv4CIDRs: ipv4,
                ipv6CIDRs: ipv6, dnsSupport: true, dnsHostnames: false)
            // R7.8, R16.1: the effective Block Public Access mode of the VPC.
            if let mode = record["BlockPublicAccessStates"]?["InternetGatewayBlockMode"]?.string {
                vpc.blockPublicAccess = BlockPublicAccess(rawValue: mode) ?? .off
                if BlockPublicAccess(rawValue: mode) == nil { warn(record, "unknown Block Public Access mode '\(mode)'; read as off") }
            }
            vpcByID[label.id] = VPCIndex(topology.vpcs.count)
            recordByID[label.id] = record
            topology.vpcs.append(vpc)
        }
        if let first = topology.vpcs.first { topology.region = first.region }
    }

    mutating func buildPrefixLists() {
        for record in records["PrefixLists"] ?? [] {
            guard let id = record.string("PrefixListId") else { continue }
            let name = record.string("PrefixListName") ?? id
            var list = PrefixList(
                label: ResourceLabel(id: id, name: record.name), prefixListName: name,
                owner: record.string("OwnerId") ?? (name.hasPrefix("com.amazonaws.") ? "AWS" : ""),
                family: record.string("AddressFamily")?.lowercased() == "ipv6" ? .ipv6 : .ipv4, entries: nil)
            if let cidrs = record["Cidrs"]?.array {  // legacy describe-prefix-lists (R16.5)
                list.entries = cidrs.enumerated().compactMap { prefix($0.element.string, record, field: "Cidrs[\($0.offset)]") }
                list.owner = "AWS"
            }
            listByID[id] = PrefixListIndex(topology.prefixLists.count)
            topology.prefixLists.append(list)
        }
        for (id, items) in entries.sorted(by: { $0.key < $1.key }) {
            let cidrs = items.compactMap { prefix($0.string("Cidr"), $0, field: "Cidr") }
            if let index = listByID[id] {
                topology.prefixLists[index.rawValue].entries = (topology.prefixLists[index.rawValue].entries ?? []) + cidrs
                if let family = cidrs.first?.family { topology.prefixLists[index.rawValue].family = family }
            } else if let first = items.first {
                warn(first, "entries of \(id), which describe-managed-prefix-lists does not list; read as a customer-managed list")
                listByID[id] = PrefixListIndex(topology.prefixLists.count)
                topology.prefixLists.append(
                    PrefixList(label: ResourceLabel(id: id), prefixListName: id, owner: topology.account, family: cidrs.first?.family ?? .ipv4, entries: cidrs))
            }
        }
    }

    mutating func buildGateways() {
        func attachedVPC(_ record: Record, _ key: String) -> VPCIndex? {
            for attachment in record[key]?.items ?? [] {
                // R7.6, R16.9: an attached IGW reports "available", an egress-only IGW "attached".
                let state = attachment["State"]?.string?.lowercased() ?? ""
                if state == "available" || state == "attached", let vpc = attachment["VpcId"]?.string { return vpcByID[vpc] }
            }
            return nil
        }
        for record in records["InternetGateways"] ?? [] {
            guard let label = record.label("InternetGatewayId") else { continue }
            igwByID[label.id] = InternetGatewayIndex(topology.internetGateways.count)
            topology.internetGateways.append(InternetGateway(label: label, attachedVPC: attachedVPC(record, "Attachments")))
        }
        for record in records["EgressOnlyInternetGateways"] ?? [] {
            guard let label = record.label("EgressOnlyInternetGatewayId") else { continue }
            eigwByID[label.id] = EgressOnlyGatewayIndex(topology.egressOnlyGateways.count)
            topology.egressOnlyGateways.append(EgressOnlyInternetGateway(label: label, attachedVPC: attachedVPC(record, "Attachments")))
        }
        for record in records["VpnGateways"] ?? [] {
            guard let label = record.label("VpnGatewayId") else { continue }
            vgwByID[label.id] = VPNGatewayIndex(topology.vpnGateways.count)
            topology.vpnGateways.append(VPNGateway(label: label, attachedVPC: attachedVPC(record, "VpcAttachments")))
        }
    }

    mutating func buildSubnets() {
        for record in records["Subnets"] ?? [] {
            guard let label = record.label("SubnetId") else { continue }
            guard let vpcID = record.string("VpcId"), let vpc = vpcByID[vpcID] else {
                warn(record, "subnet \(label.id) is in VPC \(record.string("VpcId") ?? "?"), missing from the snapshot; ignored")
                continue
            }
            var ipv4: IPv4Prefix?
            if case .v4(let p)? = prefix(record.string("CidrBlock"), record, field: "CidrBlock") { ipv4 = p }
            var ipv6: IPv6Prefix?
            for (i, association) in (record["Ipv6CidrBlockAssociationSet"]?.items ?? []).enumerated() {
                let state = association["Ipv6CidrBlockState"]?["State"]?.string ?? ""
                guard state.lowercased() == "associated" else {
                    warn(record, "IPv6 block state '\(state)' is not 'associated'; block ignored", field: "Ipv6CidrBlockAssociationSet[\(i)]")
                    continue
                }
                if case .v6(let p)? = prefix(association["Ipv6CidrBlock"]?.string, record, field: "Ipv6CidrBlockAssociationSet[\(i)]") { ipv6 = p }
            }
            let zone = record.string("AvailabilityZone") ?? "\(topology[vpc].region)a"
            var subnet = Subnet(label: label, vpc: vpc, availabilityZone: zone, ipv4CIDR: ipv4, ipv6CIDR: ipv6)
            subnet.availabilityZoneID = record.string("AvailabilityZoneId")
            // A subnet whose effective BPA mode is looser than its VPC's has an exclusion (R7.8).
            if let text = record["BlockPublicAccessStates"]?["InternetGatewayBlockMode"]?.string, let mode = BlockPublicAccess(rawValue: text),
                mode != topology[vpc].blockPublicAccess
            {
                subnet.blockPublicAccessExclusion = mode == .off ? .allowBidirectional : .allowEgress
            }
            subnetByID[label.id] = SubnetIndex(topology.subnets.count)
            recordByID[label.id] = record
            topology.subnets.append(subnet)
        }
    }

    mutating func buildRouteTables() {
        for record in records["RouteTables"] ?? [] {
            guard let label = record.label("RouteTableId") else { continue }
            guard let vpcID = record.string("VpcId"), let vpc = vpcByID[vpcID] else {
                warn(record, "route table \(label.id) is in a VPC missing from the snapshot; ignored")
                continue
            }
            let index = RouteTableIndex(topology.routeTables.count)
            recordByID[label.id] = record
            var isMain = false
            var gateways: [EdgeGateway] = []
            for (i, association) in (record["Associations"]?.items ?? []).enumerated() {
                // R1.13: ignore associations that are not `associated`.
                if let state = association["AssociationState"]?["State"]?.string, state.lowercased() != "associated" { continue }
                if flag(association["Main"], default: false, record, field: "Associations[\(i)].Main") { isMain = true }
                if let subnetID = association["SubnetId"]?.string {
                    guard let subnet = subnetByID[subnetID] else {
                        warn(record, "association with subnet \(subnetID), missing from the snapshot", field: "Associations[\(i)]")
                        continue
                    }
                    topology.subnets[subnet.rawValue].routeTable = index
                } else if let gateway = association["GatewayId"]?.string {
                    // R2.1: an edge association makes this a gateway route table.
                    if let igw = igwByID[gateway] {
                        gateways.append(.internetGateway(igw))
                    } else if let vgw = vgwByID[gateway] {
                        gateways.append(.vpnGateway(vgw))
                    } else {
                        warn(record, "edge association with \(gateway), missing from the snapshot", field: "Associations[\(i)]")
                    }
                }
            }
            tableByID[label.id] = index
            var table = RouteTable(label: label, vpc: vpc, isMain: isMain)
            table.gateways = gateways
            topology.routeTables.append(table)
            if isMain { topology.vpcs[vpc.rawValue].mainRouteTable = index }
        }
    }

    /// Reads every route once all targets exist (R1.15, R16.3).
    mutating func buildRoutes() {
        for record in records["RouteTables"] ?? [] {
            guard let id = record.string("RouteTableId"), let table = tableByID[id] else { continue }
            for (i, item) in (record["Routes"]?.items ?? []).enumerated() {
                let routeRecord = Record(file: record.file, path: "\(record.path).Routes[\(i)]", value: item, region: record.region, account: record.account)
                if let route = route(routeRecord, table: table) { topology.routeTables[table.rawValue].routes.append(route) }
            }
        }
    }

    mutating func route(_ record: Record, table: RouteTableIndex) -> Route? {
        let destination: RouteDestination
        if let text = record.string("DestinationCidrBlock") ?? record.string("DestinationIpv6CidrBlock") {
            guard let prefix = prefix(text, record, field: "Destination") else { return nil }
            destination = .cidr(prefix)
        } else if let id = record.string("DestinationPrefixListId") {
            guard let list = listByID[id] else {
                warn(record, "destination prefix list \(id) is missing from the snapshot; packets that could match it are insufficient data")
                let index = PrefixListIndex(topology.prefixLists.count)
                listByID[id] = index
                topology.prefixLists.append(PrefixList(label: ResourceLabel(id: id), prefixListName: id, owner: "", family: .ipv4, entries: nil))
                return Route(destination: .prefixList(index), target: target(record), origin: origin(record))
            }
            if topology[list].entries == nil {
                warn(record, "prefix list \(id) has no entries in the snapshot (get-managed-prefix-list-entries); packets that could match it are insufficient data")
            }
            destination = .prefixList(list)
        } else {
            warn(record, "a route without a destination; ignored")
            return nil
        }
        let stateText = record.string("State")?.lowercased() ?? "active"
        let state = RouteState(rawValue: stateText) ?? .active
        if RouteState(rawValue: stateText) == nil { warn(record, "unknown route state '\(stateText)'; read as active", field: "State") }
        if state == .filtered { warn(record, "route state 'filtered': not installed (R1.11, Q3)", field: "State") }
        let target = target(record)
        if case .missing(let id) = target, state == .active {
            warn(record, "route target \(id) is missing from the snapshot; packets that take this route are insufficient data")
        }
        return Route(destination: destination, target: target, state: state, origin: origin(record))
    }

    func origin(_ record: Record) -> RouteOrigin {
        RouteOrigin(rawValue: record.string("Origin") ?? "CreateRoute") ?? .createRoute
    }

    /// The target of a route by field, then by ID prefix (R1.15).
    mutating func target(_ record: Record) -> RouteTarget {
        if let id = record.string("NatGatewayId") { return natByID[id].map { .natGateway($0) } ?? .missing(id: id) }
        if let id = record.string("NetworkInterfaceId") {
            return interfaceByID[id].map { .networkInterface($0) } ?? .missing(id: id)
        }
        if let id = record.string("InstanceId") {
            if let primary = instanceByID[id].flatMap({ topology[$0].interfaces.first }) { return .networkInterface(primary) }
            return .missing(id: id)
        }
        if let id = record.string("VpcPeeringConnectionId") { return peeringByID[id].map { .peeringConnection($0) } ?? .missing(id: id) }
        if let id = record.string("TransitGatewayId") { return tgwByID[id].map { .transitGateway($0) } ?? .missing(id: id) }
        if let id = record.string("EgressOnlyInternetGatewayId") {
            return eigwByID[id].map { .egressOnlyInternetGateway($0) } ?? .missing(id: id)
        }
        if let id = record.string("GatewayId") {
            if id == "local" { return .local }
            if id.hasPrefix("igw-") { return igwByID[id].map { .internetGateway($0) } ?? .missing(id: id) }
            if id.hasPrefix("vgw-") { return vgwByID[id].map { .vpnGateway($0) } ?? .missing(id: id) }
            if id.hasPrefix("vpce-") {
                // R1.15: a gateway endpoint or a GWLB endpoint; describe-vpc-endpoints decides.
                guard let endpoint = endpointByID[id] else { return .missing(id: id) }
                switch topology[endpoint].kind {
                case .gateway: return .gatewayEndpoint(endpoint)
                case .gatewayLoadBalancer: return .gatewayLoadBalancerEndpoint(endpoint)
                case .interface:
                    warn(record, "\(id) is an interface endpoint, which is never a route target (R5.1)")
                    return .missing(id: id)
                }
            }
            return .missing(id: id)
        }
        for key in ["LocalGatewayId", "CarrierGatewayId", "CoreNetworkArn", "OdbNetworkArn"] {
            if let id = record.string(key) {
                warn(record, "\(key) targets are not modelled")
                return .missing(id: id)
            }
        }
        return .missing(id: "unknown-target")
    }
}
