import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// §19.4 and R5.12: endpoint services, provider side, on the bundled Figure 4 scenario with one
/// change per test.
@Suite("§19.4 endpoint services")
struct EndpointServiceTests {
    static let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/privatelink/after.yaml")

    /// The scenario with each `(old, new)` replacement made (each must occur).
    static func topology(_ changes: (String, String)...) throws -> Topology {
        var text = try String(contentsOf: scenario, encoding: .utf8)
        for (old, new) in changes {
            try #require(text.contains(old), "the scenario no longer contains \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return try ScenarioLoader.load(text, file: "after.yaml").0
    }

    static func flow(_ topology: Topology, from: String, to: String, port: UInt16? = nil) throws -> FlowClassification {
        let resolved = try NameResolver(topology: topology).resolve(FlowRequest(from: from, to: to, protocolNumber: .tcp, port: port), ordinal: 0)
        return Classifier(topology: topology).classifyFlow(resolved.header, from: resolved.source)
    }

    @Test("R19.4: consumer → its endpoint → provider's node in the same zone ID → target, which sees the node's address; the reply returns over PrivateLink")
    func endToEnd() throws {
        let flow = try Self.flow(Self.topology(), from: "alpha5", to: "10.0.7.201", port: 443)
        #expect(flow.request.reason == .interfaceEndpoint, "\(flow.request.text)")
        // us-east-1a of the seed account is use1-az1: the provider's us-east-1b node (PB).
        #expect(flow.request.hops.contains { $0.kind == .interfaceEndpoint && $0.detail.contains("node in zone use1-az1") })
        let balancer = try #require(flow.request.hops.first { $0.kind == .loadBalancer })
        #expect(balancer.detail.contains("seen from 10.50.2.100") && balancer.detail.contains("preservation off"), "instance targets, but through PrivateLink")
        #expect(flow.request.hops.last?.resource.name == "orders2/eth0")
        let reply = try #require(flow.reply)
        #expect(reply.verdict == .private && reply.hops.last?.resource.name == "alpha5/eth0", "\(reply.text)")
        #expect(flow.reason == .interfaceEndpoint)
        #expect(reply.hops.contains { $0.kind == .interfaceEndpoint && $0.resource.name == "orders-ep/SN714" })
    }

    @Test("R5.12: zones are matched by ID: the same zone names with the provider's mapping changed leave no node in the consumer's zone")
    func zoneIDs() throws {
        let moved = try Self.topology(("provider: {id: \"222233334444\", availability-zones: {us-east-1a: use1-az2, us-east-1b: use1-az1}}",
                                       "provider: {id: \"222233334444\", availability-zones: {us-east-1a: use1-az2, us-east-1b: use1-az3}}"))
        let flow = try Self.flow(moved, from: "alpha5", to: "10.0.7.201", port: 443)
        #expect(flow.reason == .endpointServiceNotInAZ, "\(flow.request.text)")
        #expect(flow.decisiveHop?.detail.contains("use1-az2, use1-az3") == true)
        // Without the provider's zone IDs, zone names of two accounts cannot be compared.
        let unknown = try Self.topology(("provider: {id: \"222233334444\", availability-zones: {us-east-1a: use1-az2, us-east-1b: use1-az1}}",
                                         "provider: {id: \"222233334444\"}"))
        #expect(try Self.flow(unknown, from: "alpha5", to: "10.0.7.201", port: 443).reason == .insufficientData)
    }

    @Test("R19.4: an endpoint waiting for acceptance, or rejected, carries nothing")
    func acceptance() throws {
        let topology = try Self.topology()
        #expect(try Self.flow(topology, from: "delta4", to: "10.1.2.202", port: 443).reason == .endpointNotAvailable)
        let rejected = try Self.topology(("state: pendingAcceptance", "state: rejected"))
        #expect(try Self.flow(rejected, from: "delta4", to: "10.1.2.202", port: 443).reason == .endpointNotAvailable)
        let accepted = try Self.topology(("state: pendingAcceptance", "state: available"))
        // Accepted, it reaches billing1, whose group admits the consumers' CIDRs, not the node's address.
        #expect(try Self.flow(accepted, from: "delta4", to: "10.1.2.202", port: 443).reason == .securityGroupIngress)
    }

    @Test("R19.3, R19.4: a load balancer's inbound rules see the consumer's address on PrivateLink traffic unless enforcement is off")
    func balancerGroupsOnPrivateLink() throws {
        let original = "  services-nlb:\n    vpc: provider-vpc\n"
        let guarded = original + "    security-groups: [orders-sg]\n"
        let topology = try Self.topology((original, guarded))
        let flow = try Self.flow(topology, from: "alpha5", to: "10.0.7.201", port: 443)
        #expect(flow.reason == .securityGroupIngress && flow.request.hops.last?.detail.contains("from 10.0.7.10") == true, "\(flow.request.text)")
        let off = try Self.topology((original, guarded + "    enforce-inbound-rules-on-privatelink: false\n"))
        #expect(try Self.flow(off, from: "alpha5", to: "10.0.7.201", port: 443).request.reason == .interfaceEndpoint)
    }

    @Test("R19.4, R5.3: the provider cannot open connections to the consumer, through the endpoint or otherwise")
    func providerCannotConnectBack() throws {
        let topology = try Self.topology()
        #expect(try Self.flow(topology, from: "orders2", to: "10.0.7.201", port: 443).reason == .noRoute)
        #expect(try Self.flow(topology, from: "orders2", to: "10.0.7.10", port: 22).reason == .noRoute)
    }

    @Test("R19.4: the private DNS name resolves to the endpoint only with private DNS on and the name verified; elsewhere public DNS answers")
    func privateDNSName() throws {
        let topology = try Self.topology()
        let resolver = NameResolver(topology: topology)
        let alpha5 = try resolver.source("alpha5").interface
        #expect(try resolver.destination("orders.provider.example", from: alpha5).address == IPAddress("10.0.7.201"))
        let delta4 = try resolver.source("delta4").interface
        #expect(try resolver.destination("orders.provider.example", from: delta4).address == IPAddress("3.90.10.20"), "private DNS is off on the tenant's endpoint")
        let unverified = try Self.topology(("private-dns-verified: true", "private-dns-verified: false"))
        let answer = try NameResolver(topology: unverified).destination("orders.provider.example", from: alpha5)
        #expect(answer.address == IPAddress("3.90.10.20"), "an unverified name is not served to consumers")
        // Without a public record to fall back on, the name does not resolve, and says why.
        let noPublic = try Self.topology(("private-dns-verified: true", "private-dns-verified: false"), ("dns-names: [orders.provider.example]", "dns-names: []"))
        #expect(throws: NameResolver.Failure.self) { try NameResolver(topology: noPublic).destination("orders.provider.example", from: alpha5) }
        // The service's own name stands for the endpoint's vpce-… names.
        #expect(try resolver.destination("orders-svc", from: delta4).address == IPAddress("10.1.2.201"))
    }

    @Test("R19.5, R5.12: a GWLB endpoint's Gateway Load Balancer: registered targets in reach, or none")
    func gatewayLoadBalancer() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: gwlbe}"
        func fleet(_ targets: String) -> String {
            """
            load-balancers:
              fw:
                type: gateway
                vpc: lab
                nodes: {B: 10.0.2.60}
                target-groups:
                  appliances: {target-type: ip, targets: \(targets)}
            endpoint-services:
              inspection: {load-balancers: [fw], acceptance-required: false}
            """
        }
        lab.endpoints = """
            endpoints:
              gwlbe: {type: gateway-load-balancer, service: inspection, vpc: lab, subnets: {P: 10.0.0.60}}
            """
        lab.extra = fleet("[10.0.2.5]") + "\naccounts:\n  lab: {id: \"123456789012\", availability-zones: {us-east-1a: use1-az1, us-east-1b: use1-az2}}"
        // The endpoint is in zone a (P), the only node in zone b: not installed in the endpoint's zone.
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .endpointServiceNotInAZ)
        // In one account, zone names compare when the IDs are not in the input.
        var oneAccount = lab
        oneAccount.extra = fleet("[10.0.2.5]")
        #expect(try oneAccount.classify(from: "a1", to: "8.8.8.8").reason == .endpointServiceNotInAZ)
        lab.extra = lab.extra.replacingOccurrences(of: "nodes: {B: 10.0.2.60}", with: "nodes: {A: 10.0.1.60, B: 10.0.2.60}")
        // A node in zone a, but the one appliance (b1's address) is in zone b and cross-zone is off.
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .lbNoTarget)
        lab.extra = lab.extra.replacingOccurrences(of: "targets: [10.0.2.5]", with: "targets: [10.0.1.20]")
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .igwDirect)
    }

    @Test("R19.3, R19.4: the scenario written back (as import writes it) reloads with identical verdicts, replies included")
    func writerRoundTrip() throws {
        let topology = try Self.topology()
        var writer = ScenarioWriter(topology: topology)
        let yaml = writer.yaml(title: "privatelink")
        #expect(writer.warnings.isEmpty, "\(writer.warnings)")
        let reloaded = try ScenarioLoader.load(yaml, file: "written.yaml").0
        #expect(reloaded.loadBalancers.count == 3 && reloaded.endpointServices.count == 2 && reloaded.zoneIDs.count == 3)
        let flows: [(String, String, UInt16?)] = [
            ("alpha5", "orders.provider.example", nil), ("alpha5", "10.0.7.202", 443), ("delta4", "10.1.2.201", 443), ("gamma3", "10.1.1.201", 443),
            ("delta4", "10.1.2.202", 443), ("delta4", "orders.provider.example", nil), ("orders2", "10.0.7.10", 22),
        ]
        for (from, to, port) in flows {
            let before = try Self.flow(topology, from: from, to: to, port: port)
            let after = try Self.flow(reloaded, from: from, to: to, port: port)
            #expect(before == after, "\(from) → \(to): \(before.reason) vs \(after.reason)")
        }
    }
}
