import PathCore
import VPCTopology
import Yams

/// What a scenario name refers to.
enum ResourceKind: String, CaseIterable {
    case vpc = "VPC"
    case subnet
    case routeTable = "route table"
    case prefixList = "prefix list"
    case endpoint = "VPC endpoint"
    case interface = "network interface"
    case instance
    case lambda = "Lambda function"
    case internetGateway = "internet gateway"
    case egressOnlyGateway = "egress-only internet gateway"
    case natGateway = "NAT gateway"
    case securityGroup = "security group"
    case networkACL = "network ACL"
    case peering = "peering connection"
    case transitGateway = "transit gateway"
    case vpnGateway = "VPN gateway"
    case vpnConnection = "VPN connection"
    case loadBalancer = "load balancer"
    case endpointService = "endpoint service"
    case awsResource = "AWS resource"
}

/// Builds a ``Topology`` from a scenario document, section by section in dependency order,
/// reporting every problem through the ``YAMLReader``.
struct ScenarioBuilder {
    let reader: YAMLReader
    var topology = TopologyBuilder(account: "123456789012", region: "us-east-1")
    /// Every name and ID in the scenario, with what it names and where it was declared.
    var names: [String: (kind: ResourceKind, index: Int, path: String)] = [:]
    /// Where each resource was declared, for validation messages.
    var paths: [ResourceKind: [Int: String]] = [:]
    /// Which route table each subnet was associated with, and where.
    var subnetTables: [Int: String] = [:]
    var subnetACLs: [Int: String] = [:]
    /// Peering attachments of transit gateways, paired once every transit gateway is read.
    var pendingTransitGatewayPeerings: [(gateway: Int, attachment: Int, node: Node, path: String)] = []
    /// Which route table each gateway is edge-associated with, and where (R2.1).
    var edgeTables: [EdgeGateway: String] = [:]
    /// Security groups declared without a VPC that resolves (an error is reported): they hold a
    /// placeholder VPC index that must never be read.
    var unresolvedGroups: Set<Int> = []
    /// Hyperplane ENIs by (subnet, security-group set), shared between functions (R6.1).
    var hyperplaneENIs: [String: InterfaceIndex] = [:]
    /// Account IDs by the names the `accounts` section gives them.
    var accountIDs: [String: String] = [:]
    /// Route-table nodes, read after every possible target exists.
    var pendingRoutes: [(table: Int, node: Node, path: String)] = []
    /// Gateway endpoints' `pl-… → vpce-…` routes, added once the written routes are read (R4.2).
    var pendingEndpointRoutes: [(table: RouteTableIndex, list: PrefixListIndex, endpoint: EndpointIndex, node: Node, path: String)] = []
    /// Where each route of each table was written.
    var routePaths: [Int: [Route: String]] = [:]

    static let sections = [
        "version", "name", "description", "account", "region", "accounts", "vpcs", "prefix-lists", "aws-public-ranges",
        "aws-resources", "internet-gateways", "egress-only-internet-gateways", "vpn-gateways", "subnets",
        "route-tables", "security-groups", "network-acls", "nat-gateways", "instances", "network-interfaces",
        "lambda-functions", "endpoints", "peering-connections", "transit-gateways", "vpn-connections", "block-public-access",
        "load-balancers", "endpoint-services",
    ]

    init(reader: YAMLReader) { self.reader = reader }

    mutating func build(_ root: Node) {
        guard let fields = reader.fields(root, path: "", allowed: Self.sections) else { return }
        guard let version = fields["version"] else {
            reader.error("missing 'version' (this build reads version \(supportedScenarioVersion))", at: root, path: "version")
            return
        }
        guard let number = reader.integer(version.value, path: version.path, in: 1...Int.max) else { return }
        guard number <= supportedScenarioVersion else {
            reader.error(
                "scenario version \(number) is newer than this build reads (highest supported: \(supportedScenarioVersion))",
                at: version.value, path: version.path)
            return
        }
        if let account = fields["account"] { topology.account = reader.string(account.value, path: account.path) ?? "" }
        if let region = fields["region"] { topology.region = reader.string(region.value, path: region.path) ?? "" }

        func each(_ section: String, _ body: (inout ScenarioBuilder, String, Node, String) -> Void) {
            guard let node = fields[section] else { return }
            guard let entries = reader.mapping(node.value, path: node.path) else { return }
            for entry in entries { body(&self, entry.key, entry.value, entry.path) }
        }
        each("accounts") { $0.readAccount($1, $2, $3) }
        each("vpcs") { $0.readVPC($1, $2, $3) }
        each("prefix-lists") { $0.readPrefixList($1, $2, $3) }
        if let ranges = fields["aws-public-ranges"] { readPublicRanges(ranges.value, ranges.path) }
        each("aws-resources") { $0.readAWSResource($1, $2, $3) }
        each("internet-gateways") { $0.readGateway($1, $2, $3, kind: .internetGateway) }
        each("egress-only-internet-gateways") { $0.readGateway($1, $2, $3, kind: .egressOnlyGateway) }
        each("vpn-gateways") { $0.readGateway($1, $2, $3, kind: .vpnGateway) }
        each("vpn-connections") { $0.readVPNConnection($1, $2, $3) }
        each("subnets") { $0.readSubnet($1, $2, $3) }
        each("security-groups") { $0.declareSecurityGroup($1, $2, $3) }
        each("security-groups") { $0.readSecurityGroupRules($1, $2, $3) }
        each("network-acls") { $0.readNetworkACL($1, $2, $3) }
        each("route-tables") { $0.declareRouteTable($1, $2, $3) }
        each("nat-gateways") { $0.readNATGateway($1, $2, $3) }
        each("instances") { $0.readInstance($1, $2, $3) }
        each("network-interfaces") { $0.readStandaloneInterface($1, $2, $3) }
        each("lambda-functions") { $0.readLambda($1, $2, $3) }
        each("peering-connections") { $0.readPeering($1, $2, $3) }
        each("transit-gateways") { $0.readTransitGateway($1, $2, $3) }
        resolveTransitGatewayPeerings()
        if let bpa = fields["block-public-access"] { readBlockPublicAccess(bpa.value, bpa.path) }
        addDefaults()
        each("load-balancers") { $0.readLoadBalancer($1, $2, $3) }
        each("endpoint-services") { $0.readEndpointService($1, $2, $3) }
        // Endpoints before routes, so a route can name a Gateway Load Balancer endpoint; gateway
        // endpoints' own routes are added after the written ones (R4.2).
        each("endpoints") { $0.readEndpoint($1, $2, $3) }
        for pending in pendingRoutes { readRoutes(table: pending.table, pending.node, pending.path) }
        addEndpointRoutes()
        validate()
    }

    // MARK: - names

    /// Registers `name` (and `id`) for a resource; reports a duplicate with where the first was declared.
    mutating func register(_ name: String, id: String, kind: ResourceKind, index: Int, path: String) {
        for key in Set([name, id]) {
            if let existing = names[key] {
                let line = reader.position(of: existing.path).map { " at line \($0.line)" } ?? ""
                reader.error(
                    "duplicate name '\(key)': already used by the \(existing.kind.rawValue) declared\(line) (\(existing.path))",
                    path: path)
                continue
            }
            names[key] = (kind, index, path)
        }
        paths[kind, default: [:]][index] = path
    }

    /// The resource a reference names, if it exists and is one of `kinds`.
    func lookup(_ node: Node, path: String, as kinds: [ResourceKind]) -> (kind: ResourceKind, index: Int)? {
        guard let name = reader.string(node, path: path) else { return nil }
        let expected = kinds.count > 2 ? "route target" : kinds.map(\.rawValue).joined(separator: " or ")
        guard let found = names[name] else {
            let candidates = names.filter { kinds.contains($0.value.kind) }.map(\.key).sorted()
            let hint = closest(name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
            reader.error("'\(name)' does not name any \(expected) in this scenario\(hint)", at: node, path: path)
            return nil
        }
        guard kinds.contains(found.kind) else {
            reader.error("'\(name)' is a \(found.kind.rawValue), but a \(expected) is needed here", at: node, path: path)
            return nil
        }
        return (found.kind, found.index)
    }

    func lookupIndex<T>(_ node: Node, path: String, _ kind: ResourceKind) -> ResourceIndex<T>? {
        lookup(node, path: path, as: [kind]).map { ResourceIndex<T>($0.index) }
    }

    /// A label from an optional `id` field, else a generated ID.
    func label(_ name: String, _ fields: [String: (value: Node, path: String)], prefix: String) -> ResourceLabel {
        if let id = fields["id"], let text = reader.string(id.value, path: id.path) {
            if !text.hasPrefix("\(prefix)-") {
                reader.error("an ID here must start with '\(prefix)-'", at: id.value, path: id.path)
            }
            return ResourceLabel(id: text, name: name)
        }
        return ResourceLabel(id: ResourceID.make(prefix: prefix, name: name), name: name)
    }

    func stringList(_ node: Node?, path: String) -> [(String, Node, String)] {
        guard let node else { return [] }
        return reader.sequence(node, path: path).compactMap { item in
            reader.string(item.value, path: item.path).map { ($0, item.value, item.path) }
        }
    }
}
