import PathCore
import VPCTopology

/// Peering, transit gateways, VPC DNS attributes and consistency warnings.
extension SnapshotBuilder {
    mutating func buildPeeringAndTransit() {
        for record in records["VpcPeeringConnections"] ?? [] {
            guard let label = record.label("VpcPeeringConnectionId") else { continue }
            func side(_ key: String) -> (VPCIndex?, [IPPrefix]) {
                let info = record[key]
                let cidrs = (info?["CidrBlockSet"]?.items ?? []).compactMap { $0["CidrBlock"]?.string.flatMap { IPPrefix($0) } }
                    + (info?["Ipv6CidrBlockSet"]?.items ?? []).compactMap { $0["Ipv6CidrBlock"]?.string.flatMap { IPPrefix($0) } }
                let single = info?["CidrBlock"]?.string.flatMap { IPPrefix($0) }
                return (info?["VpcId"]?.string.flatMap { vpcByID[$0] }, cidrs.isEmpty ? [single].compactMap { $0 } : cidrs)
            }
            let (requester, requesterCIDRs) = side("RequesterVpcInfo")
            let (accepter, accepterCIDRs) = side("AccepterVpcInfo")
            // Only a peering with a side in the snapshot can carry its packets.
            guard requester != nil || accepter != nil else {
                warn(record, "peering connection \(label.id) joins no VPC of the snapshot; ignored")
                continue
            }
            var peering = PeeringConnection(
                label: label, requester: requester, accepter: accepter, status: ResourceState(record["Status"]?["Code"]?.string?.lowercased() ?? "active"))
            peering.requesterCIDRs = requesterCIDRs
            peering.accepterCIDRs = accepterCIDRs
            peeringByID[label.id] = PeeringIndex(topology.peeringConnections.count)
            topology.peeringConnections.append(peering)
        }
        buildTransitGateways()
        buildVPNConnections()
    }

    /// describe-vpn-connections (R19.2): a virtual private gateway's connections, their state,
    /// `Options.StaticRoutesOnly` and `Routes`. On-premises sources are the static routes' blocks.
    /// Connections to a transit gateway are its VPN attachments (buildTransitGateways); Direct
    /// Connect gateways associated with a virtual private gateway are BGP connections of it.
    mutating func buildVPNConnections() {
        for record in records["VpnConnections"] ?? [] {
            guard let label = record.label("VpnConnectionId") else { continue }
            guard let gatewayID = record.string("VpnGatewayId") else {
                if record.string("TransitGatewayId") == nil {
                    warn(record, "VPN connection \(label.id) names neither a virtual private gateway nor a transit gateway; ignored")
                }
                continue  // a transit gateway's VPN attachment: read from describe-transit-gateway-attachments
            }
            guard let gateway = vgwByID[gatewayID] else {
                warn(record, "VPN connection \(label.id) is on \(gatewayID), missing from the snapshot; ignored")
                continue
            }
            let routes = (record["Routes"]?.items ?? []).enumerated().compactMap { i, route -> IPPrefix? in
                guard route["State"]?.string.map({ $0.lowercased() == "available" }) ?? true else { return nil }
                return prefix(route["DestinationCidrBlock"]?.string, record, field: "Routes[\(i)].DestinationCidrBlock")
            }
            var connection = VPNConnection(
                label: label, gateway: gateway, state: ResourceState(record.string("State")?.lowercased() ?? "available"),
                staticRoutesOnly: flag(record["Options"]?["StaticRoutesOnly"], default: false, record, field: "Options.StaticRoutesOnly"), routes: routes)
            connection.onPremises = routes
            topology.vpnConnections.append(connection)
        }
        for record in records["directConnectGatewayAssociations"] ?? [] {
            let gatewayID = record["associatedGateway"]?["id"]?.string ?? record.string("virtualGatewayId")
            guard let gatewayID, gatewayID.hasPrefix("vgw-") else { continue }  // transit gateways: their attachments
            guard let gateway = vgwByID[gatewayID] else {
                warn(record, "Direct Connect gateway association with \(gatewayID), missing from the snapshot; ignored")
                continue
            }
            let id = record.string("directConnectGatewayId") ?? record.string("associationId") ?? "dxgw"
            let state = record.string("associationState")?.lowercased() ?? "associated"
            var connection = VPNConnection(
                label: ResourceLabel(id: id), gateway: gateway, state: state == "associated" ? .available : ResourceState(state), staticRoutesOnly: false)
            connection.kind = .directConnect
            topology.vpnConnections.append(connection)
        }
    }

    /// DNS attributes (R13.3, R16.1): describe-vpc-attribute when present; otherwise support on
    /// (AWS's default), and hostnames on only where an interface endpoint has private DNS, which the
    /// API accepts only with both attributes on (R5.6).
    mutating func finishVPCs() {
        for v in topology.vpcs.indices {
            let id = topology.vpcs[v].label.id
            let privateDNS = topology.endpoints.contains { $0.vpc == VPCIndex(v) && $0.privateDNSEnabled }
            topology.vpcs[v].dnsSupport = dnsSupport[id] ?? true
            topology.vpcs[v].dnsHostnames = dnsHostnames[id] ?? privateDNS
        }
    }

    /// What AWS would refuse to create (a subnet outside its VPC, an interface on a reserved
    /// address, …) is an error, as it is in a scenario: such a snapshot was edited or mixes
    /// collections, and a verdict from it would be a guess.
    mutating func checkAWSRefusals() {
        for refusal in topology.awsRefusals() {
            let id: String
            var field: String?
            switch refusal.subject {
            case .subnet(let subnet): id = topology[subnet].label.id
            case .interface(let interface): id = topology[interface].label.id
            case .route(let table, let route):
                id = topology[table].label.id
                // The route's entry in the table's `Routes`.
                guard case .cidr(let prefix) = route.destination else { break }
                let entries = recordByID[id]?["Routes"]?.items ?? []
                field = entries.firstIndex {
                    ($0["DestinationCidrBlock"] ?? $0["DestinationIpv6CidrBlock"])?.string.flatMap { IPPrefix($0) } == prefix
                }.map { "Routes[\($0)]" }
            }
            let record = recordByID[id]
            let path = record.map { r in field.map { "\(r.path).\($0)" } ?? r.path } ?? ""
            diagnostics.append(
                Diagnostic(severity: .error, file: record?.file ?? "snapshot", line: nil, column: nil, path: path, message: "\(id): \(refusal.message)"))
        }
    }

    /// Warnings for snapshots whose parts disagree.
    mutating func checkConsistency() {
        for (v, vpc) in topology.vpcs.enumerated() {
            guard let record = recordByID[vpc.label.id] else { continue }
            if vpc.mainRouteTable == nil, topology.subnets.contains(where: { $0.vpc == VPCIndex(v) && $0.routeTable == nil }) {
                warn(record, "\(vpc.label.id) has no main route table in the snapshot; its implicitly associated subnets cannot route")
            }
            if vpc.defaultNetworkACL == nil, topology.subnets.contains(where: { $0.vpc == VPCIndex(v) && $0.networkACL == nil }) {
                warn(record, "\(vpc.label.id) has no default network ACL in the snapshot; subnets without an ACL drop as insufficient data")
            }
        }
        // R4.2: the endpoint's RouteTableIds and the routes should agree; the routes win.
        for record in records["VpcEndpoints"] ?? [] {
            guard let id = record.string("VpcEndpointId"), let endpoint = endpointByID[id], topology[endpoint].kind == .gateway else { continue }
            for table in topology[endpoint].routeTables where !topology[table].routes.contains(where: { $0.target == .gatewayEndpoint(endpoint) }) {
                warn(record, "\(id) lists \(topology[table].label.id) but that table has no route to it; the route table is trusted (R4.2)")
            }
        }
        // R5.2: the security groups that filter an interface endpoint's traffic are its ENIs'; the
        // endpoint record's `Groups` should name the same ones. When they differ (a snapshot taken
        // mid-change, or an ENI changed by hand), the ENIs' are used.
        for record in records["VpcEndpoints"] ?? [] {
            guard let id = record.string("VpcEndpointId"), let endpoint = endpointByID[id], topology[endpoint].kind == .interface,
                let listed = record["Groups"]?.items
            else { continue }
            let named = Set(listed.compactMap { $0["GroupId"]?.string })
            for interface in topology[endpoint].interfaces {
                let carried = Set(topology[interface].securityGroups.map { topology[$0].label.id })
                if carried != named {
                    warn(
                        record,
                        "\(id) lists security groups [\(named.sorted().joined(separator: ", "))] but its interface \(topology[interface].label.id) carries [\(carried.sorted().joined(separator: ", "))]; the interface's are used (R5.2)",
                        field: "Groups")
                }
            }
        }
        // R6.1: a VPC-attached function needs a Hyperplane ENI.
        for record in records["Functions"] ?? [] {
            guard let name = record.string("FunctionName"), let index = lambdaByName[name],
                  let vpc = record["VpcConfig"]?["VpcId"]?.string, !vpc.isEmpty
            else { continue }
            if topology[index].interfaces.isEmpty {
                warn(record, "function \(name) is attached to \(vpc) but no Hyperplane ENI for it is in describe-network-interfaces; it cannot be a source")
            }
        }
    }
}
