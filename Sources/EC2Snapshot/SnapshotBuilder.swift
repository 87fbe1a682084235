import JSONParsing
import PathCore
import VPCTopology

/// Gathers records from every document, then builds the topology in dependency order.
struct SnapshotBuilder {
    let defaultRegion: String
    var topology: TopologyBuilder
    var diagnostics: [Diagnostic] = []
    /// Records by top-level key (`Vpcs`, `Subnets`, …), pages concatenated, first copy of an ID kept.
    var records: [String: [Record]] = [:]
    var seenIDs: Set<String> = []
    /// Prefix-list entries by list ID.
    var entries: [String: [Record]] = [:]
    /// Per transit gateway route table (from the file name, `search-transit-gateway-routes.tgw-rtb-….json`
    /// and the `get-transit-gateway-route-table-*` calls): its routes, associations, propagations.
    var transitRoutes: [String: [Record]] = [:]
    var transitAssociations: [String: [Record]] = [:]
    var transitPropagations: [String: [Record]] = [:]
    /// Per load balancer or target group (`name/id`, from the file name): describe-*-attributes
    /// and describe-target-health answers.
    var elbAttributes: [String: [Record]] = [:]
    var targetHealth: [String: [Record]] = [:]
    /// Load balancers (`name/id`) whose describe-listeners answer is in the snapshot, even empty.
    var listenedLoadBalancers: Set<String> = []
    var loadBalancerByARN: [String: LoadBalancerIndex] = [:]
    var loadBalancerByKey: [String: LoadBalancerIndex] = [:]
    /// Target groups by ARN, and their index in each load balancer that has them.
    var targetGroupsByARN: [String: LoadBalancer.TargetGroup] = [:]
    var targetGroupIndexes: [String: [LoadBalancerIndex: Int]] = [:]
    /// `describe-vpc-attribute` answers by VPC ID.
    var dnsSupport: [String: Bool] = [:]
    var dnsHostnames: [String: Bool] = [:]

    var vpcByID: [String: VPCIndex] = [:]
    var subnetByID: [String: SubnetIndex] = [:]
    var tableByID: [String: RouteTableIndex] = [:]
    var listByID: [String: PrefixListIndex] = [:]
    var endpointByID: [String: EndpointIndex] = [:]
    var interfaceByID: [String: InterfaceIndex] = [:]
    var instanceByID: [String: InstanceIndex] = [:]
    var lambdaByName: [String: LambdaIndex] = [:]
    var igwByID: [String: InternetGatewayIndex] = [:]
    var eigwByID: [String: EgressOnlyGatewayIndex] = [:]
    var vgwByID: [String: VPNGatewayIndex] = [:]
    var natByID: [String: NATGatewayIndex] = [:]
    var natByInterfaceID: [String: NATGatewayIndex] = [:]
    var groupByID: [String: SecurityGroupIndex] = [:]
    var peeringByID: [String: PeeringIndex] = [:]
    var tgwByID: [String: TransitGatewayIndex] = [:]
    var endpointByInterfaceID: [String: EndpointIndex] = [:]
    /// The record that first named each VPC, subnet, route table, interface and transit gateway:
    /// diagnostics about them as a whole point there.
    var recordByID: [String: Record] = [:]

    /// The list-valued top-level keys this importer reads, with the ID key that deduplicates pages.
    static let listKeys: [String: String] = [
        "Vpcs": "VpcId", "Subnets": "SubnetId", "RouteTables": "RouteTableId", "VpcEndpoints": "VpcEndpointId",
        "NetworkInterfaces": "NetworkInterfaceId", "SecurityGroups": "GroupId", "NetworkAcls": "NetworkAclId",
        "InternetGateways": "InternetGatewayId", "EgressOnlyInternetGateways": "EgressOnlyInternetGatewayId",
        "NatGateways": "NatGatewayId", "VpnGateways": "VpnGatewayId", "VpcPeeringConnections": "VpcPeeringConnectionId",
        "TransitGatewayVpcAttachments": "TransitGatewayAttachmentId", "Addresses": "AllocationId",
        "Reservations": "ReservationId", "PrefixLists": "PrefixListId", "SecurityGroupRules": "SecurityGroupRuleId",
        "Functions": "FunctionName", "VpnConnections": "VpnConnectionId", "CustomerGateways": "CustomerGatewayId",
        "TransitGateways": "TransitGatewayId", "TransitGatewayAttachments": "TransitGatewayAttachmentId",
        "TransitGatewayPeeringAttachments": "TransitGatewayAttachmentId", "TransitGatewayRouteTables": "TransitGatewayRouteTableId",
        // Batfish's layout: one record per transit gateway route table, wrapping its routes or propagations.
        "TransitGatewayStaticRoutes": "TransitGatewayRouteTableId", "TransitGatewayPropagations": "TransitGatewayRouteTableId",
        // aws directconnect describe-direct-connect-gateway-associations (its keys are camelCase).
        "directConnectGatewayAssociations": "associationId",
        // aws elbv2 and endpoint services (R19.3, R19.4); zones per account (R5.12).
        "LoadBalancers": "LoadBalancerArn", "Listeners": "ListenerArn", "TargetGroups": "TargetGroupArn",
        "ServiceConfigurations": "ServiceId", "VpcEndpointConnections": "VpcEndpointConnectionId",
        "AllowedPrincipals": "ServicePermissionId", "AvailabilityZones": "ZoneId",
    ]
    /// Keys that carry no routing facts and are read without a warning.
    static let ignoredKeys: Set<String> = ["FlowLogs", "NextToken", "ResponseMetadata", "AdditionalRoutesAvailable"]

    init(defaultRegion: String) {
        self.defaultRegion = defaultRegion
        self.topology = TopologyBuilder(account: "", region: defaultRegion)
    }

    mutating func warn(_ record: Record, _ message: String, field: String? = nil) {
        diagnostics.append(
            Diagnostic(severity: .warning, file: record.file, line: nil, column: nil, path: field.map { "\(record.path).\($0)" } ?? record.path, message: message))
    }

    // MARK: - gathering

    mutating func gather(_ documents: [SnapshotDocument]) {
        for document in documents {
            guard let members = document.value.object else {
                diagnostics.append(Diagnostic(severity: .warning, file: document.file, line: 1, column: 1, path: "", message: "not a JSON object: ignored"))
                continue
            }
            func record(_ path: String, _ value: JSONValue) -> Record {
                Record(file: document.file, path: path, value: value, region: document.region, account: document.account)
            }
            // Single-object outputs first.
            if members["FunctionName"] != nil {
                add("Functions", record("", document.value))
                continue
            }
            if let vpc = members["VpcId"]?.string, members["EnableDnsSupport"] != nil || members["EnableDnsHostnames"] != nil {
                if let value = members["EnableDnsSupport"]?["Value"]?.bool { dnsSupport[vpc] = value }
                if let value = members["EnableDnsHostnames"]?["Value"]?.bool { dnsHostnames[vpc] = value }
                continue
            }
            // Per-table transit gateway calls: the table is named by the file (R19.1).
            if let table = transitRouteTableID(inFileName: document.file) {
                let calls: [(String, WritableKeyPath<SnapshotBuilder, [String: [Record]]>)] = [
                    ("Routes", \.transitRoutes), ("Associations", \.transitAssociations), ("TransitGatewayRouteTablePropagations", \.transitPropagations),
                ]
                if let (key, path) = calls.first(where: { members[$0.0]?.array != nil }) {
                    self[keyPath: path][table, default: []] += members[key]!.items.enumerated().map { record("\(key)[\($0.offset)]", $0.element) }
                    continue
                }
            }
            // Per-resource ELB calls: the target group or load balancer is named by the file.
            if let resource = Self.elbResource(inFileName: document.file) {
                if let list = members["TargetHealthDescriptions"]?.array, resource.targetGroup {
                    targetHealth[resource.key, default: []] += list.enumerated().map { record("TargetHealthDescriptions[\($0.offset)]", $0.element) }
                    continue
                }
                if let list = members["Attributes"]?.array {
                    elbAttributes[resource.key, default: []] += list.enumerated().map { record("Attributes[\($0.offset)]", $0.element) }
                    continue
                }
                if members["Listeners"]?.array != nil, !resource.targetGroup { listenedLoadBalancers.insert(resource.key) }
            }
            if let list = members["Entries"]?.array {
                let id = members["PrefixListId"]?.string ?? prefixListID(inFileName: document.file)
                guard let id else {
                    diagnostics.append(
                        Diagnostic(severity: .warning, file: document.file, line: nil, column: nil, path: "Entries",
                                   message: "prefix-list entries without a list ID: name the file get-managed-prefix-list-entries.pl-….json or add PrefixListId; ignored"))
                    continue
                }
                entries[id, default: []] += list.enumerated().map { record("Entries[\($0.offset)]", $0.element) }
                continue
            }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if Self.ignoredKeys.contains(key) { continue }
                guard let idKey = Self.listKeys[key], let list = value.array else {
                    diagnostics.append(
                        Diagnostic(severity: .warning, file: document.file, line: nil, column: nil, path: key,
                                   message: "'\(key)' is not a describe output packet-path reads; ignored"))
                    continue
                }
                for (i, item) in list.enumerated() {
                    let r = record("\(key)[\(i)]", item)
                    // The same record on another page; zone IDs recur in every account.
                    if let id = item[idKey]?.string, !seenIDs.insert("\(key)/\(document.account ?? "")/\(id)").inserted { continue }
                    add(key, r)
                }
            }
        }
    }

    mutating func add(_ key: String, _ record: Record) { records[key, default: []].append(record) }

    /// `tgw-rtb-0abc` from `search-transit-gateway-routes.tgw-rtb-0abc.json` and the like.
    func transitRouteTableID(inFileName file: String) -> String? {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        guard let range = name.range(of: "tgw-rtb-") else { return nil }
        let digits = name[range.upperBound...].prefix { $0.isHexDigit }
        return digits.isEmpty ? nil : "tgw-rtb-" + digits
    }

    /// `pl-0abc` from `get-managed-prefix-list-entries.pl-0abc.json`.
    func prefixListID(inFileName file: String) -> String? {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        guard let range = name.range(of: "pl-") else { return nil }
        let id = name[range.lowerBound...].prefix { $0 == "-" || $0 == "p" || $0 == "l" || $0.isHexDigit }
        return id.count > 3 ? String(id) : nil
    }

    // MARK: - building

    mutating func build() {
        buildVPCs()
        buildPrefixLists()
        buildGateways()
        buildSubnets()
        buildSecurityGroups()
        buildNetworkACLs()
        buildRouteTables()
        buildEndpoints()
        buildNATGateways()
        buildInstances()
        buildLambdaFunctions()
        buildAvailabilityZones()
        buildLoadBalancers()
        buildInterfaces()
        completeLoadBalancers()
        completeNATGateways()
        applyElasticIPs()
        // Peering connections and transit gateways before the routes that name them.
        buildPeeringAndTransit()
        buildRoutes()
        finishVPCs()
        checkAWSRefusals()
        checkConsistency()
    }
}
