import EC2Snapshot
import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// R19.3, R19.4 and R5.12 from snapshots: `aws elbv2 describe-*` and the endpoint-service calls, two
/// accounts side by side in the `ACCOUNT/REGION` layout (`Fixtures/privatelink`: the provider
/// 222233334444 with `services-nlb` in front of orders1 (us-east-1a = use1-az2) and orders2
/// (us-east-1b = use1-az1), published as `vpce-svc-0c0ffee0000000001`; the consumer 123456789012
/// with alpha5 in SN714 (us-east-1a = use1-az1) and the endpoint 10.0.7.201). SN714 also sends
/// 10.0.8.0/24 (beta8 at 10.0.8.10) through the GWLB endpoint `inspection-ep` (10.0.9.50) of the
/// provider's Gateway Load Balancer `fw` (a node in us-east-1b, one appliance). The provider's
/// internet-facing `public-nlb` (3.90.10.20 in subnet `edge`) sends to orders1 without client IP
/// preservation.
@Suite("Load balancers and endpoint services in snapshots")
struct LoadBalancerSnapshotTests {
    static let provider = "222233334444/us-east-1/"
    static let consumer = "123456789012/us-east-1/"

    /// The fixture's files by relative path.
    static func files() throws -> [String: String] {
        let folder = try #require(Bundle.module.url(forResource: "privatelink", withExtension: nil, subdirectory: "Fixtures"))
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".json") else { continue }
            files[relative] = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
        }
        return files
    }

    /// The fixture with every `old` replaced by `new` in `file` (which must contain it), and the
    /// `removed` files left out.
    static func load(
        _ changes: [(file: String, old: String, new: String)] = [], removing removed: [String] = [], replacing replaced: [String: String] = [:]
    ) throws -> (Topology, [Diagnostic]) {
        var files = try files()
        for (file, text) in replaced {
            try #require(files[file] != nil, "no \(file)")
            files[file] = text
        }
        for change in changes {
            let text = try #require(files[change.file], "no \(change.file)")
            try #require(text.contains(change.old), "\(change.file) does not contain \(change.old)")
            files[change.file] = text.replacingOccurrences(of: change.old, with: change.new)
        }
        for file in removed { try #require(files.removeValue(forKey: file) != nil, "no \(file)") }
        return try SnapshotImporter.load(files: files.map { ($0.key, Array($0.value.utf8)) }.sorted { $0.0 < $1.0 })
    }

    static func flow(_ topology: Topology, from: String, to: String, port: UInt16 = 443) throws -> FlowClassification {
        let header = PacketHeader(source: IPAddress(from)!, destination: IPAddress(to)!, protocolNumber: .tcp, sourcePort: 40_000, destinationPort: port)
        let source = try #require(topology.addressOwners[header.source]?.first)
        return Classifier(topology: topology).classifyFlow(header, from: source)
    }

    @Test("R19.4, R5.12: consumer → endpoint → the provider's node in the same zone ID → target, from two accounts' files")
    func endToEnd() throws {
        let (topology, diagnostics) = try Self.load()
        #expect(diagnostics.filter { $0.severity == .warning }.isEmpty, "\(diagnostics)")
        #expect(topology.zoneIDs["222233334444"]?["us-east-1b"] == "use1-az1" && topology.zoneIDs["123456789012"]?["us-east-1a"] == "use1-az1")
        let balancer = try #require(topology.loadBalancers.first)
        #expect(balancer.label.id == "net/services-nlb/50dc6c36f6f21a77" && balancer.nodes.count == 2 && !balancer.hasSecurityGroups)
        let flow = try Self.flow(topology, from: "10.0.7.10", to: "10.0.7.201")
        #expect(flow.reason == .interfaceEndpoint, "\(flow.request.hops.map(\.detail))")
        #expect(flow.request.hops.last?.resource.name == "orders2/eth0", "us-east-1a of the consumer is us-east-1b of the provider")
        #expect(flow.reply?.verdict == .private)
    }

    @Test("R19.3: the NLB's interfaces (no security groups) are not deny-all hosts; with groups, the inbound rules filter")
    func nodesWithoutGroups() throws {
        let (topology, _) = try Self.load()
        #expect(try Self.flow(topology, from: "10.50.1.11", to: "10.50.2.100").reason == .local)
        let withGroups = try Self.load([
            (Self.provider + "describe-load-balancers.json", #""IpAddressType": "ipv4""#, #""IpAddressType": "ipv4", "SecurityGroups": ["sg-0a50000000000002"]"#),
            (Self.provider + "describe-network-interfaces.json", #""Groups": [],"#, #""Groups": [{"GroupId": "sg-0a50000000000002", "GroupName": "nlb-sg"}],"#),
        ]).0
        #expect(try Self.flow(withGroups, from: "10.50.1.11", to: "10.50.2.100").reason == .local, "nlb-sg admits 10.50.0.0/16")
        // Through PrivateLink the inbound rules see the consumer's address (enforcement on by default).
        #expect(try Self.flow(withGroups, from: "10.0.7.10", to: "10.0.7.201").reason == .securityGroupIngress)
    }

    @Test("R19.3: IP targets see the node's address, instance targets the client's")
    func targetTypes() throws {
        // orders-sg admits only PA, where orders1 (the client) lives.
        let narrow = (file: Self.provider + "describe-security-groups.json", old: #""CidrIp": "10.50.0.0/16""#, new: #""CidrIp": "10.50.1.0/24""#)
        let instance = try Self.load([narrow]).0
        #expect(try Self.flow(instance, from: "10.50.1.11", to: "10.50.2.100").reason == .local)
        let ip = try Self.load([
            narrow,
            (Self.provider + "describe-target-groups.json", #""TargetType": "instance""#, #""TargetType": "ip""#),
            (Self.provider + "describe-target-health.targetgroup.orders.7fa8b7c4b4f1e002.json", #""Id": "i-0a50000000000012""#, #""Id": "10.50.2.12""#),
            (Self.provider + "describe-target-health.targetgroup.orders.7fa8b7c4b4f1e002.json", #""Id": "i-0a50000000000011""#, #""Id": "10.50.1.11""#),
            (Self.provider + "describe-target-group-attributes.targetgroup.orders.7fa8b7c4b4f1e002.json", #""Value": "true""#, #""Value": "false""#),
        ]).0
        let dropped = try Self.flow(ip, from: "10.50.1.11", to: "10.50.2.100")
        #expect(dropped.reason == .securityGroupIngress && dropped.request.hops.last?.detail.contains("from 10.50.2.100") == true)
    }

    @Test("R19.3: cross-zone load balancing off and no target in the node's zone drops; the attribute turns it on")
    func crossZone() throws {
        let onlyA = (file: Self.provider + "describe-target-health.targetgroup.orders.7fa8b7c4b4f1e002.json",
                     old: #""Id": "i-0a50000000000012""#, new: #""Id": "i-0a50000000000011""#)
        #expect(try Self.flow(Self.load([onlyA]).0, from: "10.0.7.10", to: "10.0.7.201").reason == .lbNoTarget)
        let crossZone = try Self.load([
            onlyA,
            (Self.provider + "describe-load-balancer-attributes.loadbalancer.net.services-nlb.50dc6c36f6f21a77.json", #""Value": "false""#, #""Value": "true""#),
        ]).0
        #expect(try Self.flow(crossZone, from: "10.0.7.10", to: "10.0.7.201").reason == .interfaceEndpoint)
        // The target group's own attribute overrides the load balancer's.
        let attributes = Self.provider + "describe-target-group-attributes.targetgroup.orders.7fa8b7c4b4f1e002.json"
        let groupCrossZone = try Self.load([
            onlyA, (attributes, #""Key": "proxy_protocol_v2.enabled""#, #""Key": "load_balancing.cross_zone.enabled""#), (attributes, #""Value": "false""#, #""Value": "true""#),
        ]).0
        #expect(try Self.flow(groupCrossZone, from: "10.0.7.10", to: "10.0.7.201").reason == .interfaceEndpoint)
    }

    @Test("R19.4: an endpoint in pendingAcceptance carries nothing; the provider's connection record disagreeing is warned about")
    func pendingAcceptance() throws {
        let (topology, diagnostics) = try Self.load([(Self.consumer + "describe-vpc-endpoints.json", #""State": "available""#, #""State": "pendingAcceptance""#)])
        #expect(try Self.flow(topology, from: "10.0.7.10", to: "10.0.7.201").reason == .endpointNotAvailable)
        #expect(diagnostics.contains { $0.message.contains("the provider sees endpoint vpce-0c0115e7000000001 as available") })
    }

    @Test("R5.12: without the zone IDs of both accounts, the zones are not compared: insufficient data")
    func zoneIDsMissing() throws {
        let (topology, _) = try Self.load(
            [(Self.provider + "describe-subnets.json", #""AvailabilityZoneId""#, #""NotTheZoneId""#)], removing: [Self.provider + "describe-availability-zones.json"])
        #expect(try Self.flow(topology, from: "10.0.7.10", to: "10.0.7.201").reason == .insufficientData)
    }

    @Test("R19.3: listeners or targets missing from the snapshot, or the load balancer itself, give insufficient data with a warning, never a drop")
    func missingCalls() throws {
        let (noHealth, healthWarnings) = try Self.load(removing: [Self.provider + "describe-target-health.targetgroup.orders.7fa8b7c4b4f1e002.json"])
        #expect(try Self.flow(noHealth, from: "10.0.7.10", to: "10.0.7.201").reason == .insufficientData)
        #expect(healthWarnings.contains { $0.message.contains("describe-target-health") })
        let (noListeners, _) = try Self.load(removing: [Self.provider + "describe-listeners.loadbalancer.net.services-nlb.50dc6c36f6f21a77.json"])
        #expect(try Self.flow(noListeners, from: "10.50.1.11", to: "10.50.2.100").reason == .insufficientData)
        let (noBalancer, warnings) = try Self.load(removing: [Self.provider + "describe-load-balancers.json"])
        #expect(warnings.contains { $0.message.contains("missing from describe-load-balancers") })
        #expect(try Self.flow(noBalancer, from: "10.50.1.11", to: "10.50.2.100").reason == .insufficientData)
    }

    @Test("R19.3, R19.4: import writes load balancers, endpoint services and zone IDs; the scenario reloads with identical verdicts")
    func importRoundTrip() throws {
        let (snapshot, _) = try Self.load()
        var writer = ScenarioWriter(topology: snapshot)
        let yaml = writer.yaml(title: "privatelink")
        #expect(writer.warnings.isEmpty, "\(writer.warnings)")
        let (scenario, _) = try ScenarioLoader.load(yaml, file: "imported.yaml")
        for (from, to) in [("10.0.7.10", "10.0.7.201"), ("10.50.1.11", "10.50.2.100"), ("10.50.1.11", "10.50.1.100"), ("10.50.2.12", "10.0.7.10")] {
            let a = try Self.flow(snapshot, from: from, to: to)
            let b = try Self.flow(scenario, from: from, to: to)
            #expect(a.reason == b.reason && a.request.hops.map(\.kind) == b.request.hops.map(\.kind), "\(from) → \(to): \(a.reason) vs \(b.reason)")
        }
    }

    @Test("R19.5, R5.12: a GWLB endpoint's Gateway Load Balancer from elbv2: its appliance takes the packet; none registered, or no node in the endpoint's zone, drops")
    func gatewayLoadBalancer() throws {
        let (topology, _) = try Self.load()
        let through = try Self.flow(topology, from: "10.0.7.10", to: "10.0.8.10", port: 5432)
        #expect(through.reason == .local && through.request.hops.contains { $0.kind == .gatewayLoadBalancerEndpoint }, "\(through.request.hops.map(\.detail))")
        #expect(!through.request.notes.contains { $0.contains("appliances are not in the input") })
        let health = Self.provider + "describe-target-health.targetgroup.appliances.3b2a190817263544.json"
        let (none, _) = try Self.load(replacing: [health: #"{"TargetHealthDescriptions": []}"#])
        #expect(try Self.flow(none, from: "10.0.7.10", to: "10.0.8.10", port: 5432).reason == .lbNoTarget)
        // The provider's us-east-1b moved to another zone ID: no node where the endpoint is.
        let (elsewhere, _) = try Self.load([(Self.provider + "describe-subnets.json", #""AvailabilityZoneId": "use1-az1""#, #""AvailabilityZoneId": "use1-az3""#)])
        #expect(try Self.flow(elsewhere, from: "10.0.7.10", to: "10.0.8.10", port: 5432).reason == .endpointServiceNotInAZ)
    }

    @Test("R19.3: an internet-facing NLB from elbv2: the internet reaches its public address, the target in a private subnet answers through it")
    func internetFacing() throws {
        let (topology, _) = try Self.load()
        let request = PacketHeader(source: IPAddress("198.51.100.7")!, destination: IPAddress("3.90.10.20")!, protocolNumber: .tcp, sourcePort: 40_000, destinationPort: 443)
        let flow = Classifier(topology: topology).classifyInboundFlow(request)
        #expect(flow.request.reason == .igwInbound && flow.request.hops.last?.resource.name == "orders1/eth0", "\(flow.request.hops.map(\.detail))")
        #expect(flow.reply?.verdict == .internet && flow.reason == .igwInbound, "\(flow.reply?.hops.map(\.detail) ?? [])")
    }

    @Test("R19.4: the service's verified private DNS name resolves to the consumer's endpoint (private DNS on)")
    func privateDNSName() throws {
        let (topology, _) = try Self.load()
        let resolver = NameResolver(topology: topology)
        let alpha5 = try resolver.source("10.0.7.10").interface
        #expect(try resolver.destination("orders.provider.example", from: alpha5).address == IPAddress("10.0.7.201"))
        let (unverified, _) = try Self.load([(Self.provider + "describe-vpc-endpoint-service-configurations.json", #""State": "verified""#, #""State": "pendingVerification""#)])
        let unverifiedResolver = NameResolver(topology: unverified)
        #expect(throws: NameResolver.Failure.self) { try unverifiedResolver.destination("orders.provider.example", from: alpha5) }
    }
}
