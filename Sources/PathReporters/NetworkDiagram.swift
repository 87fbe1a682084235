import PathClassifier
import PathCore
import VPCTopology

/// A topology as a graph to draw (`packet-path diagram`): VPCs as clusters holding their subnets
/// (with route table and network ACL), instances, Lambda ENIs, NAT gateways, endpoints and load
/// balancers; gateways, peerings, transit gateways and VPN gateways outside; the internet and AWS
/// services beyond them. An edge from a subnet to a route target carries the destinations routed
/// there. Walked paths colour what they crossed in their verdict's colour. DOT and Mermaid are
/// renderings of this one model, in the topology's order, so equal inputs give equal files.
package struct NetworkDiagram {
    package enum Shape {
        case subnet, host, gateway, endpoint, outside
    }

    package struct Node {
        /// The resource ID (or `internet`, a service name): what paths' hops name.
        package var id: String
        package var lines: [String]
        package var shape: Shape
        /// The cluster (VPC) it is drawn in, by index into ``clusters``.
        package var cluster: Int?
        package var verdict: Verdict?
    }

    package struct Cluster {
        package var id: String
        package var label: String
    }

    package struct Edge {
        package var from: String
        package var to: String
        package var label: String
        package var verdict: Verdict?
    }

    package private(set) var clusters: [Cluster] = []
    package private(set) var nodes: [Node] = []
    package private(set) var edges: [Edge] = []
    private var nodeIndex: [String: Int] = [:]

    /// The diagram of `topology`, with each flow's request and reply paths coloured.
    package init(topology: Topology, flows: [FlowClassification] = []) {
        func name(_ label: ResourceLabel) -> String { label.name.map { "\($0) (\(label.id))" } ?? label.id }
        for vpc in topology.vpcs {
            let cidrs = (vpc.ipv4CIDRs.map(\.description) + vpc.ipv6CIDRs.map(\.description)).joined(separator: ", ")
            clusters.append(Cluster(id: vpc.label.id, label: "VPC \(name(vpc.label)) \(cidrs)"))
        }
        for index in topology.subnets.indices.map(SubnetIndex.init) {
            let subnet = topology[index]
            var lines = ["subnet \(name(subnet.label))", ([subnet.ipv4CIDR?.description, subnet.ipv6CIDR?.description].compactMap { $0 } + [subnet.availabilityZone]).joined(separator: " ")]
            if let table = topology.routeTable(of: index) { lines.append("route table \(topology[table].label.name ?? topology[table].label.id)") }
            if let acl = topology.networkACL(of: index) { lines.append("network ACL \(topology[acl].label.name ?? topology[acl].label.id)") }
            add(Node(id: subnet.label.id, lines: lines, shape: .subnet, cluster: subnet.vpc.rawValue))
        }
        for instance in topology.instances {
            guard let first = instance.interfaces.first else { continue }
            add(Node(id: instance.label.id, lines: ["instance \(name(instance.label))"] + instance.interfaces.map { address(topology[$0]) }, shape: .host, cluster: topology.vpc(of: first).rawValue))
            for interface in instance.interfaces { edge(topology[topology[interface].subnet].label.id, instance.label.id, "") }
        }
        for function in topology.lambdaFunctions {
            guard let first = function.interfaces.first else { continue }
            add(Node(id: function.label.id, lines: ["Lambda \(name(function.label))"], shape: .host, cluster: topology.vpc(of: first).rawValue))
            for interface in function.interfaces { edge(topology[topology[interface].subnet].label.id, function.label.id, "") }
        }
        for gateway in topology.natGateways {
            add(Node(id: gateway.label.id, lines: ["NAT gateway \(name(gateway.label))", gateway.connectivity.rawValue], shape: .gateway, cluster: topology[gateway.subnet].vpc.rawValue))
            edge(topology[gateway.subnet].label.id, gateway.label.id, "")
        }
        for endpoint in topology.endpoints {
            let service = AWSService(serviceName: endpoint.serviceName)?.description ?? endpoint.serviceName
            add(Node(id: endpoint.label.id, lines: ["\(endpoint.kind.rawValue) endpoint \(name(endpoint.label))", service], shape: .endpoint, cluster: endpoint.vpc.rawValue))
            for interface in endpoint.interfaces { edge(topology[topology[interface].subnet].label.id, endpoint.label.id, "") }
            if endpoint.kind != .gatewayLoadBalancer { edge(endpoint.label.id, endpoint.serviceName, "") }
            add(Node(id: endpoint.serviceName, lines: [service], shape: .outside, cluster: nil))
        }
        for balancer in topology.loadBalancers {
            let vpc = balancer.nodes.first.map { topology.vpc(of: $0).rawValue }
            add(Node(id: balancer.label.id, lines: ["load balancer \(name(balancer.label))"], shape: .endpoint, cluster: vpc))
        }
        add(Node(id: "internet", lines: ["internet"], shape: .outside, cluster: nil))
        for gateway in topology.internetGateways {
            add(Node(id: gateway.label.id, lines: ["internet gateway \(name(gateway.label))"], shape: .gateway, cluster: nil))
            edge(gateway.label.id, "internet", "")
        }
        for gateway in topology.egressOnlyGateways {
            add(Node(id: gateway.label.id, lines: ["egress-only internet gateway \(name(gateway.label))"], shape: .gateway, cluster: nil))
            edge(gateway.label.id, "internet", "")
        }
        for peering in topology.peeringConnections { add(Node(id: peering.label.id, lines: ["peering \(name(peering.label))", peering.status.rawValue], shape: .gateway, cluster: nil)) }
        for gateway in topology.transitGateways { add(Node(id: gateway.label.id, lines: ["transit gateway \(name(gateway.label))"], shape: .gateway, cluster: nil)) }
        for gateway in topology.vpnGateways { add(Node(id: gateway.label.id, lines: ["virtual private gateway \(name(gateway.label))"], shape: .gateway, cluster: nil)) }
        for service in topology.endpointServices { add(Node(id: service.label.id, lines: ["endpoint service \(name(service.label))"], shape: .outside, cluster: nil)) }
        // Routes: each subnet to each non-local target, with the destinations sent there.
        for subnet in topology.subnets.indices.map(SubnetIndex.init) {
            guard let table = topology.routeTable(of: subnet) else { continue }
            var destinations: [(String, [String])] = []
            for route in topology[table].routes where route.target != .local && route.state == .active {
                // A route to an instance's interface (an appliance) points at the instance.
                var target = topology.label(of: route.target).id
                if case .networkInterface(let interface) = route.target, case .instance(let instance) = topology[interface].owner {
                    target = topology[instance].label.id
                }
                let destination = topology.label(of: route.destination)
                let text = destination.name ?? destination.id
                if let at = destinations.firstIndex(where: { $0.0 == target }) { destinations[at].1.append(text) } else { destinations.append((target, [text])) }
            }
            for (target, texts) in destinations {
                if nodeIndex[target] == nil { add(Node(id: target, lines: [target], shape: .gateway, cluster: nil)) }
                edge(topology[subnet].label.id, target, texts.joined(separator: ", "))
            }
        }
        let interfaces = topology.interfacesByID()
        for flow in flows { highlight(flow, topology: topology, interfaces: interfaces) }
    }

    /// `eth0 10.0.7.10` for an interface.
    private func address(_ interface: NetworkInterface) -> String {
        (interface.label.name ?? interface.label.id) + " " + interface.addresses.map(\.description).joined(separator: ", ")
    }

    private mutating func add(_ node: Node) {
        guard nodeIndex[node.id] == nil else { return }
        nodeIndex[node.id] = nodes.count
        nodes.append(node)
    }

    private mutating func edge(_ from: String, _ to: String, _ label: String) {
        guard !edges.contains(where: { $0.from == from && $0.to == to }) else { return }
        edges.append(Edge(from: from, to: to, label: label))
    }

    /// Colours the nodes a flow's walks crossed (an interface stands for its instance or
    /// function, a route table for the subnets using it) and the edges between two of them, in
    /// the flow's verdict's colour; a worse verdict (dropped, then internet) wins over a better one.
    private mutating func highlight(_ flow: FlowClassification, topology: Topology, interfaces: [String: InterfaceIndex]) {
        var crossed: Set<String> = []
        for hop in flow.request.hops + (flow.reply?.hops ?? []) where hop.passed || hop.kind != .source {
            crossed.insert(hop.resource.id)
            if let interface = interfaces[hop.resource.id] {
                let owner = topology[interface]
                crossed.insert(topology[owner.subnet].label.id)
                switch owner.owner {
                case .instance(let instance): crossed.insert(topology[instance].label.id)
                case .lambda(let functions): crossed.formUnion(functions.map { topology[$0].label.id })
                case .interfaceEndpoint(let endpoint): crossed.insert(topology[endpoint].label.id)
                case .natGateway(let gateway): crossed.insert(topology[gateway].label.id)
                default: break
                }
            }
            if hop.kind == .awsService || hop.kind == .destination, hop.resource.id.hasPrefix("com.amazonaws.") { crossed.insert(hop.resource.id) }
            if hop.kind == .internetGateway || hop.kind == .egressOnlyInternetGateway { crossed.insert("internet") }
        }
        let verdict = flow.verdict
        func worse(_ current: Verdict?) -> Verdict {
            guard let current else { return verdict }
            let rank: [Verdict: Int] = [.private: 0, .internet: 1, .dropped: 2]
            return rank[verdict]! > rank[current]! ? verdict : current
        }
        for index in nodes.indices where crossed.contains(nodes[index].id) { nodes[index].verdict = worse(nodes[index].verdict) }
        for index in edges.indices where crossed.contains(edges[index].from) && crossed.contains(edges[index].to) {
            edges[index].verdict = worse(edges[index].verdict)
        }
    }

    /// A verdict's colour: green, orange, red.
    package static func colour(_ verdict: Verdict) -> String {
        switch verdict {
        case .private: return "#2e7d32"
        case .internet: return "#ef6c00"
        case .dropped: return "#c62828"
        }
    }
}
