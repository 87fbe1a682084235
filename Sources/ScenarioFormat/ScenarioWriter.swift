import PathCore
import VPCTopology

/// Writes a ``Topology`` as a version-1 YAML scenario (docs/scenario-format.md) that loads back
/// into a topology classifying every packet the same way. Names come from the resources' names
/// (`Name` tags), IDs where there is none; every ID is kept.
package struct ScenarioWriter {
    let topology: Topology
    /// The text being written and the warnings, shared with the section closures.
    private final class Output {
        var lines: [String] = []
        var warnings: [String] = []
    }
    private let out = Output()
    private var names: [String: String] = [:]
    private var used: Set<String> = []

    /// Things the format cannot say, reported to the user.
    package var warnings: [String] { out.warnings }

    package init(topology: Topology) { self.topology = topology }

    /// The scenario text.
    package mutating func yaml(title: String) -> String {
        out.lines = [
            "# Imported by packet-path from \(title). Names are Name tags (IDs where there is none); IDs are kept.",
            "version: 1",
        ]
        // A snapshot without owner IDs has no account: the scenario's default stands.
        if !topology.account.isEmpty { out.lines.append("account: \(q(topology.account))") }
        out.lines.append("region: \(q(topology.region))")
        assignNames()
        writeAccounts()
        writeVPCs()
        writePrefixLists()
        writeGateways()
        writeSubnets()
        writeSecurityGroups()
        writeNetworkACLs()
        writeRouteTables()
        writeNATGateways()
        writeInstances()
        writeInterfaces()
        writeLambdaFunctions()
        writeLoadBalancers()
        writeEndpointServices()
        writeEndpoints()
        writePeeringAndTransit()
        writeBlockPublicAccess()
        writePublicRanges()
        return out.lines.joined(separator: "\n") + "\n"
    }

    // MARK: - names

    /// A YAML double-quoted scalar (JSON string syntax is valid YAML).
    func q(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\x" + String(scalar.value, radix: 16).leftPadded(2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Gives every resource a unique scenario name: its own name if free, else its ID.
    mutating func assignNames() {
        var labels: [ResourceLabel] = []
        labels += topology.vpcs.map(\.label) + topology.prefixLists.map(\.label) + topology.internetGateways.map(\.label)
        labels += topology.egressOnlyGateways.map(\.label) + topology.vpnGateways.map(\.label) + topology.subnets.map(\.label)
        labels += topology.securityGroups.map(\.label) + topology.networkACLs.map(\.label) + topology.routeTables.map(\.label)
        labels += topology.natGateways.map(\.label) + topology.instances.map(\.label) + topology.interfaces.map(\.label)
        labels += topology.lambdaFunctions.map(\.label) + topology.endpoints.map(\.label)
        labels += topology.peeringConnections.map(\.label) + topology.transitGateways.map(\.label) + topology.vpnConnections.map(\.label)
        labels += topology.loadBalancers.map(\.label) + topology.endpointServices.map(\.label)
        for label in labels { used.insert(label.id) }
        for label in labels {
            if let name = label.name, name != label.id, !name.contains("/"), !used.contains(name) {
                names[label.id] = name
                used.insert(name)
            } else {
                names[label.id] = label.id
            }
        }
    }

    func name(_ label: ResourceLabel) -> String { q(names[label.id] ?? label.id) }

    func section(_ title: String, _ body: () -> Void) {
        let before = out.lines.count
        out.lines.append("\(title):")
        body()
        if out.lines.count == before + 1 { out.lines.removeLast() }
    }

    func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    // MARK: - sections

    func writeVPCs() {
        section("vpcs") {
            for vpc in topology.vpcs {
                var fields = ["id: \(q(vpc.label.id))", "region: \(q(vpc.region))", "cidrs: \(list(vpc.ipv4CIDRs.map { q($0.description) }))"]
                if !vpc.ipv6CIDRs.isEmpty { fields.append("ipv6-cidrs: \(list(vpc.ipv6CIDRs.map { q($0.description) }))") }
                fields += ["dns-support: \(vpc.dnsSupport)", "dns-hostnames: \(vpc.dnsHostnames)"]
                if !vpc.account.isEmpty { fields.append("account: \(q(vpc.account))") }
                entry(vpc.label, fields)
            }
        }
    }

    func writePrefixLists() {
        section("prefix-lists") {
            for prefixList in topology.prefixLists {
                var fields = ["id: \(q(prefixList.label.id))"]
                if prefixList.isAWSManaged, let service = AWSService(serviceName: prefixList.prefixListName) {
                    fields += ["aws-service: \(q(service.key))", "region: \(q(service.region))"]
                }
                if prefixList.entries == nil {
                    out.warnings.append("prefix list \(prefixList.label.id) has no entries in the snapshot; written with none")
                }
                fields.append("cidrs: \(list((prefixList.entries ?? []).map { q($0.description) }))")
                entry(prefixList.label, fields)
            }
        }
    }

    func writeGateways() {
        func attached(_ vpc: VPCIndex?) -> String { vpc.map { ", vpc: \(name(topology[$0].label))" } ?? "" }
        section("internet-gateways") {
            for g in topology.internetGateways { out.lines.append("  \(name(g.label)): {id: \(q(g.label.id))\(attached(g.attachedVPC))}") }
        }
        section("egress-only-internet-gateways") {
            for g in topology.egressOnlyGateways { out.lines.append("  \(name(g.label)): {id: \(q(g.label.id))\(attached(g.attachedVPC))}") }
        }
        section("vpn-gateways") {
            for g in topology.vpnGateways { out.lines.append("  \(name(g.label)): {id: \(q(g.label.id))\(attached(g.attachedVPC))}") }
        }
    }

    func writeSubnets() {
        section("subnets") {
            for subnet in topology.subnets {
                var fields = ["id: \(q(subnet.label.id))", "vpc: \(name(topology[subnet.vpc].label))", "az: \(q(subnet.availabilityZone))"]
                if let cidr = subnet.ipv4CIDR { fields.append("cidr: \(q(cidr.description))") }
                if let cidr = subnet.ipv6CIDR { fields.append("ipv6-cidr: \(q(cidr.description))") }
                if let zoneID = subnet.availabilityZoneID { fields.append("az-id: \(q(zoneID))") }
                entry(subnet.label, fields)
            }
        }
    }

    /// `protocol`, `ports`, `icmp-type`, `icmp-code` of a rule.
    func traffic(_ match: TrafficMatch) -> [String] {
        guard let number = match.protocolNumber else { return ["protocol: all"] }
        var fields = ["protocol: \(q(number.description))"]
        if number.hasPorts { fields.append("ports: \(q(match.ports.map { $0 == .all ? "all" : $0.description } ?? "all"))") }
        if number.isICMP {
            if let type = match.icmpType { fields.append("icmp-type: \(type)") }
            if let code = match.icmpCode { fields.append("icmp-code: \(code)") }
        }
        return fields
    }

    func writeSecurityGroups() {
        section("security-groups") {
            for (g, group) in topology.securityGroups.enumerated() {
                let isDefault = topology[group.vpc].defaultSecurityGroup == SecurityGroupIndex(g)
                blockHeader(group.label, vpc: group.vpc)
                if isDefault { out.lines.append("    default: true") }
                for (key, peerKey, rules) in [("ingress", "source", group.ingress), ("egress", "destination", group.egress)] {
                    if rules.isEmpty {
                        out.lines.append("    \(key): []")
                        continue
                    }
                    out.lines.append("    \(key):")
                    for rule in rules {
                        let peer: String
                        switch rule.peer {
                        case .cidr(let prefix): peer = q(prefix.description)
                        case .prefixList(let list): peer = name(topology[list].label)
                        case .securityGroup(let other): peer = name(topology[other].label)
                        case .missing(let id):
                            out.warnings.append("\(group.label.id): a rule refers to \(id), missing from the snapshot; rule left out")
                            continue
                        }
                        out.lines.append("      - {\((traffic(rule.traffic) + ["\(peerKey): \(peer)"]).joined(separator: ", "))}")
                    }
                }
            }
        }
    }

    func writeNetworkACLs() {
        section("network-acls") {
            for (a, acl) in topology.networkACLs.enumerated() {
                blockHeader(acl.label, vpc: acl.vpc)
                if topology[acl.vpc].defaultNetworkACL == NetworkACLIndex(a) { out.lines.append("    default: true") }
                let subnets = topology.subnets.filter { $0.networkACL == NetworkACLIndex(a) }.map { name($0.label) }
                if !subnets.isEmpty { out.lines.append("    subnets: \(list(subnets))") }
                for (key, entries) in [("ingress", acl.ingress), ("egress", acl.egress)] {
                    out.lines.append(entries.isEmpty ? "    \(key): []" : "    \(key):")
                    for entry in entries {
                        let fields = ["rule: \(entry.ruleNumber)", "action: \(entry.allows ? "allow" : "deny")"] + traffic(entry.traffic)
                            + ["cidr: \(q(entry.cidr.description))"]
                        out.lines.append("      - {\(fields.joined(separator: ", "))}")
                    }
                }
            }
        }
    }

    /// The scenario name of a route target, or `nil` (with a warning) when it cannot be written.
    func target(_ target: RouteTarget, route: Route, table: RouteTable) -> String? {
        switch target {
        case .local: return "local"
        case .missing(let id):
            if route.state == .blackhole { return q(id) }
            out.warnings.append("\(table.label.id): route to \(id), missing from the snapshot, cannot be written; left out")
            return nil
        case .gatewayEndpoint: return nil  // written by the endpoint's route-tables (R4.2)
        default: return name(topology.label(of: target))
        }
    }

    func writeRouteTables() {
        section("route-tables") {
            for (t, table) in topology.routeTables.enumerated() {
                blockHeader(table.label, vpc: table.vpc)
                if table.isMain { out.lines.append("    main: true") }
                let subnets = topology.subnets.filter { $0.routeTable == RouteTableIndex(t) }.map { name($0.label) }
                if !subnets.isEmpty { out.lines.append("    subnets: \(list(subnets))") }
                let gateways = table.gateways.map { gateway -> String in
                    switch gateway {
                    case .internetGateway(let i): return name(topology[i].label)
                    case .vpnGateway(let i): return name(topology[i].label)
                    }
                }
                if !gateways.isEmpty { out.lines.append("    gateways: \(list(gateways))") }
                var routes: [String] = []
                for route in table.routes {
                    if route.target == .local, route.origin == .createRouteTable { continue }  // added for every VPC block (R1.3)
                    guard let targetName = target(route.target, route: route, table: table) else { continue }
                    let destination: String
                    switch route.destination {
                    case .cidr(let prefix): destination = q(prefix.description)
                    case .prefixList(let list): destination = name(topology[list].label)
                    }
                    var fields = ["destination: \(destination)", "target: \(targetName)"]
                    if route.state == .blackhole { fields.append("state: blackhole") }
                    if !route.origin.isStatic { fields.append("origin: propagated") }
                    routes.append("      - {\(fields.joined(separator: ", "))}")
                }
                out.lines.append(routes.isEmpty ? "    routes: []" : "    routes:")
                out.lines += routes
            }
        }
    }

    /// `private-ip`, `public-ip`, `secondary-private-ips`, `ipv6-addresses` of an interface.
    func addresses(_ interface: NetworkInterface) -> [String] {
        var fields: [String] = []
        if let primary = interface.ipv4.first {
            fields.append("private-ip: \(q(primary.privateAddress.description))")
            if let p = primary.publicAddress { fields.append("public-ip: \(q(p.description))") }
        }
        let secondary = interface.ipv4.dropFirst().map { binding in
            binding.publicAddress.map { "{ip: \(q(binding.privateAddress.description)), public-ip: \(q($0.description))}" }
                ?? q(binding.privateAddress.description)
        }
        if !secondary.isEmpty { fields.append("secondary-private-ips: \(list(secondary))") }
        if !interface.ipv6.isEmpty { fields.append("ipv6-addresses: \(list(interface.ipv6.map { q($0.description) }))") }
        return fields
    }

    /// The first lines of a resource written in block style: its name, ID and VPC.
    func blockHeader(_ label: ResourceLabel, vpc: VPCIndex) {
        out.lines += ["  \(name(label)):", "    id: \(q(label.id))", "    vpc: \(name(topology[vpc].label))"]
    }

    /// `subnet: address` pairs of one-per-subnet interfaces (Lambda, endpoints).
    func subnetAddresses(_ interfaces: [InterfaceIndex]) -> String {
        interfaces.compactMap { index -> String? in
            let interface = topology[index]
            return interface.ipv4.first.map { "\(name(topology[interface.subnet].label)): \(q($0.privateAddress.description))" }
        }.joined(separator: ", ")
    }

    /// One flow-style entry of a section.
    func entry(_ label: ResourceLabel, _ fields: [String]) {
        out.lines.append("  \(name(label)): {\(fields.joined(separator: ", "))}")
    }

    func groups(_ interface: NetworkInterface) -> String { list(interface.securityGroups.map { name(topology[$0].label) }) }

    func writeNATGateways() {
        section("nat-gateways") {
            for nat in topology.natGateways {
                guard let interface = nat.interface.map({ topology[$0] }) else {
                    out.warnings.append("\(nat.label.id) has no address in the snapshot; left out")
                    continue
                }
                let fields = ["id: \(q(nat.label.id))", "subnet: \(name(topology[nat.subnet].label))", "connectivity: \(nat.connectivity.rawValue)",
                              "state: \(q(nat.state.rawValue))"] + (interface.ipv4.isEmpty ? ["private-ip: unknown"] : addresses(interface))
                entry(nat.label, fields)
            }
        }
    }

    func writeInstances() {
        section("instances") {
            for instance in topology.instances {
                guard let primary = instance.interfaces.first else {
                    out.warnings.append("instance \(instance.label.id) has no interface in the snapshot; left out")
                    continue
                }
                let interface = topology[primary]
                let fields = ["id: \(q(instance.label.id))", "interface-id: \(q(interface.label.id))", "subnet: \(name(topology[interface.subnet].label))",
                              "state: \(q(instance.state.rawValue))", "security-groups: \(groups(interface))",
                              "source-dest-check: \(interface.sourceDestCheck)"] + addresses(interface)
                entry(instance.label, fields)
            }
        }
    }

    /// Interfaces that are not an instance's primary, an endpoint's, a NAT gateway's or a Lambda's.
    func writeInterfaces() {
        section("network-interfaces") {
            for (i, interface) in topology.interfaces.enumerated() {
                var fields = ["id: \(q(interface.label.id))", "subnet: \(name(topology[interface.subnet].label))",
                              "security-groups: \(groups(interface))", "source-dest-check: \(interface.sourceDestCheck)"]
                switch interface.owner {
                case .instance(let instance):
                    if topology[instance].interfaces.first == InterfaceIndex(i) { continue }
                    fields.append("instance: \(name(topology[instance].label))")
                case .managed(let what):
                    fields.append("managed-by: \(q(what))")
                case .none:
                    if interface.isAttached { out.warnings.append("\(interface.label.id) is in use by something packet-path does not model; written as detached") }
                default: continue
                }
                out.lines.append("  \(name(interface.label)): {\((fields + addresses(interface)).joined(separator: ", "))}")
            }
        }
    }

    func writeLambdaFunctions() {
        section("lambda-functions") {
            for function in topology.lambdaFunctions {
                guard let first = function.interfaces.first else {
                    out.lines.append("  \(name(function.label)): {region: \(q(function.region))}")
                    continue
                }
                let subnets = subnetAddresses(function.interfaces)
                out.lines.append(
                    "  \(name(function.label)): {region: \(q(function.region)), vpc-config: {subnets: {\(subnets)}, security-groups: \(groups(topology[first])), ipv6-allowed-for-dual-stack: \(function.ipv6AllowedForDualStack)}}")
            }
        }
    }

    /// Accounts whose zone IDs are known (R5.12), named by their IDs.
    func writeAccounts() {
        section("accounts") {
            for (account, zones) in topology.zoneIDs.sorted(by: { $0.key < $1.key }) {
                let mapping = zones.sorted { $0.key < $1.key }.map { "\(q($0.key)): \(q($0.value))" }.joined(separator: ", ")
                out.lines.append("  \(q(account)): {id: \(q(account)), availability-zones: {\(mapping)}}")
            }
        }
    }

    func writeLoadBalancers() {
        section("load-balancers") {
            for balancer in topology.loadBalancers {
                out.lines += [
                    "  \(name(balancer.label)):", "    id: \(q(balancer.label.id))", "    type: \(balancer.kind.rawValue)",
                    "    scheme: \(balancer.scheme.rawValue)", "    vpc: \(name(topology[balancer.vpc].label))",
                ]
                let nodes = balancer.nodes.map { index -> String in
                    let node = topology[index]
                    return "\(name(topology[node.subnet].label)): {\((["id: \(q(node.label.id))"] + addresses(node)).joined(separator: ", "))}"
                }
                out.lines.append("    nodes: {\(nodes.joined(separator: ", "))}")
                if balancer.hasSecurityGroups, let first = balancer.nodes.first { out.lines.append("    security-groups: \(groups(topology[first]))") }
                out.lines.append("    cross-zone: \(balancer.crossZone)")
                if !balancer.enforcesInboundRulesOnPrivateLink { out.lines.append("    enforce-inbound-rules-on-privatelink: false") }
                if !balancer.dnsNames.isEmpty { out.lines.append("    dns-names: \(list(balancer.dnsNames.map(q)))") }
                let groupNames = balancer.targetGroups.map { q($0.label.name ?? $0.label.id) }
                if !balancer.listeners.isEmpty {
                    out.lines.append("    listeners:")
                    for listener in balancer.listeners {
                        out.lines.append(
                            "      - {protocol: \(listener.listenerProtocol.rawValue), port: \(listener.port), target-group: \(groupNames[listener.targetGroup])}")
                    }
                }
                guard !balancer.targetGroups.isEmpty else { continue }
                out.lines.append("    target-groups:")
                for (group, groupName) in zip(balancer.targetGroups, groupNames) {
                    var fields = ["port: \(group.port)", "target-type: \(group.targetType.rawValue)"]
                    if let preserve = group.preserveClientIP { fields.append("preserve-client-ip: \(preserve)") }
                    if let crossZone = group.crossZone { fields.append("cross-zone: \(crossZone)") }
                    let targets = group.targets.map { target -> String in
                        var parts: [String]
                        switch target.kind {
                        case .instance(let instance): parts = ["instance: \(name(topology[instance].label))"]
                        case .ip(let address): parts = ["ip: \(q(address.description))"]
                        }
                        if let port = target.port { parts.append("port: \(port)") }
                        parts.append("health: \(target.health.rawValue)")
                        return "{\(parts.joined(separator: ", "))}"
                    }
                    fields.append("targets: \(list(targets))")
                    out.lines.append("      \(groupName): {\(fields.joined(separator: ", "))}")
                }
            }
        }
    }

    func writeEndpointServices() {
        section("endpoint-services") {
            for service in topology.endpointServices {
                var fields = [
                    "id: \(q(service.label.id))", "load-balancers: \(list(service.loadBalancers.map { name(topology[$0].label) }))",
                    "acceptance-required: \(service.acceptanceRequired)",
                ]
                if !service.allowedPrincipals.isEmpty { fields.append("allowed-principals: \(list(service.allowedPrincipals.map(q)))") }
                if let dns = service.privateDNSName { fields += ["private-dns-name: \(q(dns))", "private-dns-verified: \(service.privateDNSVerified)"] }
                entry(service.label, fields)
            }
        }
    }

    func writeEndpoints() {
        section("endpoints") {
            for (e, endpoint) in topology.endpoints.enumerated() {
                var fields = ["id: \(q(endpoint.label.id))", "type: \(endpoint.kind.rawValue)", "service: \(q(endpoint.serviceName))",
                              "vpc: \(name(topology[endpoint.vpc].label))", "state: \(q(endpoint.state.rawValue))"]
                switch endpoint.kind {
                case .gateway:
                    // R4.2: the route tables holding the route, which the data plane uses.
                    let tables = topology.routeTables.filter { $0.routes.contains { $0.target == .gatewayEndpoint(EndpointIndex(e)) } }
                    fields.append("route-tables: \(list(tables.map { name($0.label) }))")
                case .interface, .gatewayLoadBalancer:
                    fields.append("subnets: {\(subnetAddresses(endpoint.interfaces))}")
                    if endpoint.kind == .interface {
                        if let first = endpoint.interfaces.first { fields.append("security-groups: \(groups(topology[first]))") }
                        fields.append("private-dns: \(endpoint.privateDNSEnabled)")
                        if endpoint.privateDNSOnlyForInboundResolver { fields.append("private-dns-only-for-inbound-resolver: true") }
                    }
                    if let targets = endpoint.gatewayLoadBalancerTargets { fields.append("targets: \(targets)") }
                }
                entry(endpoint.label, fields)
            }
        }
    }

    func writePeeringAndTransit() {
        section("peering-connections") {
            for peering in topology.peeringConnections {
                var fields = ["id: \(q(peering.label.id))", "status: \(q(peering.status.rawValue))"]
                if let v = peering.requester { fields.append("requester: \(name(topology[v].label))") } else {
                    fields.append("requester-cidrs: \(list(peering.requesterCIDRs.map { q($0.description) }))")
                }
                if let v = peering.accepter { fields.append("accepter: \(name(topology[v].label))") } else {
                    fields.append("accepter-cidrs: \(list(peering.accepterCIDRs.map { q($0.description) }))")
                }
                entry(peering.label, fields)
            }
        }
        section("vpn-connections") {
            for connection in topology.vpnConnections {
                var fields = ["id: \(q(connection.label.id))", "vpn-gateway: \(name(topology[connection.gateway].label))"]
                if connection.kind == .directConnect {
                    fields.append("type: direct-connect")
                } else {
                    fields.append("static-routes-only: \(connection.staticRoutesOnly)")
                    fields.append("routes: \(list(connection.routes.map { q($0.description) }))")
                }
                if connection.onPremises != connection.routes { fields.append("on-premises-cidrs: \(list(connection.onPremises.map { q($0.description) }))") }
                if connection.state != .available { fields.append("state: \(connection.state)") }
                out.lines.append("  \(name(connection.label)): {\(fields.joined(separator: ", "))}")
            }
        }
        section("transit-gateways") {
            for gateway in topology.transitGateways {
                out.lines.append("  \(name(gateway.label)):")
                out.lines.append("    id: \(q(gateway.label.id))")
                if gateway.securityGroupReferencing { out.lines.append("    security-group-referencing: true") }
                // Attachments are named by their IDs: unique, and what the route tables name.
                out.lines.append(gateway.attachments.isEmpty ? "    attachments: {}" : "    attachments:")
                for attachment in gateway.attachments {
                    var fields = ["id: \(q(attachment.label.id))"]
                    switch attachment.kind {
                    case .vpc(let vpc):
                        fields += ["vpc: \(name(topology[vpc].label))", "subnets: \(list(attachment.subnets.map { name(topology[$0].label) }))"]
                        if attachment.applianceMode { fields.append("appliance-mode: true") }
                        if !attachment.securityGroupReferencing { fields.append("security-group-referencing: false") }
                    case .peering(let peer, _):
                        guard let peer else {
                            out.warnings.append("transit gateway peering attachment \(attachment.label.id) leads to a transit gateway outside the snapshot; written as a VPN-like exit")
                            fields.append("vpn: \(q("peering to a transit gateway outside the input"))")
                            break
                        }
                        fields.append("peer: \(name(topology[peer].label))")
                    case .outside(let what):
                        fields.append("outside: \(q(what))")
                    case .hybrid(let what):
                        let kinds = [("Site-to-Site VPN ", "vpn"), ("Direct Connect gateway ", "direct-connect")]
                        if let (prefix, key) = kinds.first(where: { what.hasPrefix($0.0) }) {
                            fields.append("\(key): \(q(String(what.dropFirst(prefix.count))))")
                        } else {
                            fields.append("vpn: \(q(what))")
                        }
                    }
                    if !attachment.onPremises.isEmpty { fields.append("on-premises-cidrs: \(list(attachment.onPremises.map { q($0.description) }))") }
                    if attachment.state != .available { fields.append("state: \(attachment.state)") }
                    out.lines.append("      \(q(attachment.label.id)): {\(fields.joined(separator: ", "))}")
                }
                guard gateway.routeTablesKnown else {
                    out.lines.append("    route-tables: unknown  # not in the snapshot: packets through it are insufficient data")
                    continue
                }
                out.lines.append(gateway.routeTables.isEmpty ? "    route-tables: {}" : "    route-tables:")
                for (index, table) in gateway.routeTables.enumerated() {
                    let associations = gateway.attachments.filter { $0.routeTable == index }.map { q($0.label.id) }
                    let routes = table.routes.compactMap { route -> String? in
                        let destination: String
                        switch route.destination {
                        case .cidr(let prefix): destination = q(prefix.description)
                        case .prefixList(let list): destination = name(topology[list].label)
                        }
                        let target: String
                        switch route.target {
                        case .attachment(let a): target = q(gateway.attachments[a].label.id)
                        case .blackhole: target = "blackhole"
                        case .unknown: target = "unknown"
                        }
                        return "{destination: \(destination), target: \(target)\(route.propagated ? ", origin: propagated" : "")}"
                    }
                    out.lines.append("      \(q(table.label.name ?? table.label.id)): {id: \(q(table.label.id)), associations: \(list(associations)), routes: \(list(routes))}")
                }
            }
        }
    }

    /// Block Public Access (R7.8): the Region's mode and the looser VPCs and subnets as exclusions.
    func writeBlockPublicAccess() {
        guard let mode = topology.vpcs.first(where: { $0.blockPublicAccess != .off })?.blockPublicAccess else { return }
        var exclusions: [String] = []
        for vpc in topology.vpcs {
            if vpc.blockPublicAccess == .off { exclusions.append("{vpc: \(name(vpc.label)), mode: allow-bidirectional}") }
            if let exclusion = vpc.blockPublicAccessExclusion { exclusions.append("{vpc: \(name(vpc.label)), mode: \(exclusion.rawValue)}") }
        }
        for subnet in topology.subnets {
            if let exclusion = subnet.blockPublicAccessExclusion { exclusions.append("{subnet: \(name(subnet.label)), mode: \(exclusion.rawValue)}") }
        }
        out.lines.append("block-public-access: {mode: \(mode.rawValue), exclusions: \(list(exclusions))}")
    }

    func writePublicRanges() {
        let grouped = Dictionary(grouping: topology.serviceRanges) { "\($0.service)|\($0.region)" }
        guard !grouped.isEmpty else { return }
        out.lines.append("aws-public-ranges:")
        for key in grouped.keys.sorted() {
            let ranges = grouped[key]!
            out.lines.append("  - {service: \(q(ranges[0].service)), region: \(q(ranges[0].region)), cidrs: \(list(ranges.map { q($0.prefix.description) }))}")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
