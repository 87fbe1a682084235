import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// Loads a fixture shipped with this test target.
func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite("Scenario loading")
struct ScenarioLoaderTests {
    @Test("the seed scenario loads with its endpoints, routes and interfaces")
    func seedAfter() throws {
        let (topology, warnings) = try ScenarioLoader.load(try fixture("seed-after.yaml"), file: "seed-after.yaml")
        #expect(warnings.isEmpty)
        #expect(topology.vpcs.count == 1 && topology.subnets.count == 1)
        let table = try #require(topology.routeTables.first { $0.label.name == "rt-SN714" })
        // Local routes (R1.3) first, then the written routes, then the endpoint routes (R4.2).
        #expect(table.routes.count == 2 + 2 + 2)
        #expect(table.routes.filter { if case .gatewayEndpoint = $0.target { return true } else { return false } }.count == 2)
        let endpoint = try #require(topology.endpoints.first { $0.kind == .interface })
        #expect(endpoint.dnsNames.contains("lambda.us-east-1.amazonaws.com"))
        #expect(topology.addressOwners[IPAddress("10.0.7.200")!]?.count == 1)
        #expect(topology.serviceResources["s3delta"] == AWSService(key: "s3", region: "us-east-1"))
    }

    @Test("generated IDs are stable and AWS-shaped")
    func generatedIDs() throws {
        let a = try ScenarioLoader.load(try fixture("seed-after.yaml"), file: "a").0
        let b = try ScenarioLoader.load(try fixture("seed-after.yaml"), file: "b").0
        #expect(a.subnets[0].label.id == b.subnets[0].label.id)
        #expect(a.subnets[0].label.id.wholeMatch(of: /subnet-[0-9a-f]{17}/) != nil)
    }

    @Test("ten mistakes give ten diagnostics, each with a line and a key path")
    func tenMistakes() throws {
        let error = try #require(throws: ScenarioError.self) {
            try ScenarioLoader.load(try fixture("ten-mistakes.yaml"), file: "ten-mistakes.yaml")
        }
        let errors = error.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 10, "\(error)")
        #expect(errors.allSatisfy { $0.line != nil && $0.file == "ten-mistakes.yaml" && !$0.path.isEmpty })
        let expected: [(line: Int, phrase: String)] = [
            (10, "overlaps"), (11, "outside the CIDR blocks"), (12, "host bits"), (13, "does not name any VPC"),
            (20, "more specific than the local route"), (21, "does not name any route target"), (23, "duplicate name 'web'"),
            (25, "outside its subnet"), (26, "reserves"), (27, "did you mean 'security-groups'"),
        ]
        for (line, phrase) in expected {
            #expect(errors.contains { $0.line == line && $0.message.contains(phrase) }, "line \(line): \(phrase)\n\(error)")
        }
    }

    @Test("YAML syntax errors carry a line and column")
    func syntaxError() throws {
        let error = try #require(throws: ScenarioError.self) {
            try ScenarioLoader.load("version: 1\nvpcs:\n  a: {cidrs: [10.0.0.0/16]\n", file: "bad.yaml")
        }
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics[0].line != nil)
        #expect(error.description.hasPrefix("bad.yaml:"))
    }

    @Test("duplicate keys are reported, not silently merged")
    func duplicateKeys() throws {
        let error = try #require(throws: ScenarioError.self) {
            try ScenarioLoader.load("version: 1\nvpcs:\n  a: {cidrs: [10.0.0.0/16]}\n  a: {cidrs: [10.1.0.0/16]}\n", file: "dup.yaml")
        }
        #expect(error.description.contains("duplicate keys"))
    }

    @Test("a missing or newer version is refused with the supported version")
    func versions() throws {
        let missing = try #require(throws: ScenarioError.self) { try ScenarioLoader.load("vpcs: {}\n", file: "v.yaml") }
        #expect(missing.description.contains("missing 'version'"))
        let newer = try #require(throws: ScenarioError.self) { try ScenarioLoader.load("version: 9\n", file: "v.yaml") }
        #expect(newer.description.contains("highest supported: 1"))
        let empty = try #require(throws: ScenarioError.self) { try ScenarioLoader.load("", file: "v.yaml") }
        #expect(empty.description.contains("empty"))
    }

    @Test("a gateway endpoint needs the service's AWS-managed prefix list (R4.2)")
    func gatewayEndpointWithoutPrefixList() throws {
        let yaml = """
            version: 1
            vpcs: {v: {cidrs: [10.0.0.0/16]}}
            route-tables: {rt: {vpc: v}}
            endpoints: {gw: {type: gateway, service: dynamodb, vpc: v, route-tables: [rt]}}
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(yaml, file: "e.yaml") }
        #expect(error.description.contains("no AWS-managed prefix list for com.amazonaws.us-east-1.dynamodb"))
    }

    @Test("an interface endpoint has at most one subnet per Availability Zone (R5.1)")
    func endpointOneSubnetPerAZ() throws {
        let yaml = """
            version: 1
            vpcs: {v: {cidrs: [10.0.0.0/16]}}
            subnets:
              s1: {vpc: v, az: us-east-1a, cidr: 10.0.1.0/24}
              s2: {vpc: v, az: us-east-1a, cidr: 10.0.2.0/24}
            endpoints: {ep: {type: interface, service: lambda, vpc: v, subnets: {s1: 10.0.1.9, s2: 10.0.2.9}}}
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(yaml, file: "e.yaml") }
        #expect(error.description.contains("one subnet per Availability Zone"))
    }

    @Test("R1.8: a whole-subnet route to an appliance is accepted, a partial one is not")
    func moreSpecificThanLocal() throws {
        func yaml(_ destination: String) -> String {
            """
            version: 1
            vpcs: {v: {cidrs: [10.0.0.0/16]}}
            subnets:
              s1: {vpc: v, cidr: 10.0.1.0/24}
              s2: {vpc: v, cidr: 10.0.2.0/24}
            instances: {fw: {subnet: s1, private-ip: 10.0.1.9, source-dest-check: false}}
            route-tables: {rt: {vpc: v, subnets: [s1], routes: [{destination: \(destination), target: fw}]}}
            """
        }
        #expect(throws: Never.self) { try ScenarioLoader.load(yaml("10.0.2.0/24"), file: "ok.yaml") }
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(yaml("10.0.2.0/25"), file: "bad.yaml") }
    }

    @Test("flow files: defaults, and every problem reported")
    func flowFile() throws {
        let flows = try FlowFileLoader.load(
            "version: 1\nflows:\n  - {from: a, to: s3}\n  - {from: a, to: b, protocol: udp, port: 53, packets: 4}\n", file: "f.yaml")
        #expect(flows.count == 2)
        #expect(flows[0].protocolNumber == .tcp && flows[0].packets == 1 && flows[0].port == nil)
        #expect(flows[1].protocolNumber == .udp && flows[1].port == 53 && flows[1].packets == 4)
        let error = try #require(throws: ScenarioError.self) {
            try FlowFileLoader.load(
                "version: 1\nflows:\n  - {from: a}\n  - {from: a, to: b, protocol: icmp, port: 1}\n  - {from: a, to: b, packets: 0}\n",
                file: "f.yaml")
        }
        #expect(error.diagnostics.count == 3)
    }

    @Test("flow files: expect as a verdict or a mapping, with its line; a wrong verdict, a reason of another verdict or no verdict reported")
    func expectations() throws {
        let flows = try FlowFileLoader.load(
            """
            version: 1
            flows:
              - {from: a, to: s3, expect: private}
              - from: a
                to: b
                expect: {verdict: dropped, reason: nacl-ingress, via: db-nacl}
              - {from: a, to: c}
            """, file: "f.yaml")
        #expect(flows.map(\.expect) == [FlowExpectation(verdict: .private), FlowExpectation(verdict: .dropped, reason: .networkACLIngress, via: "db-nacl"), nil])
        #expect(flows.map(\.line) == [3, 4, 7])
        let error = try #require(throws: ScenarioError.self) {
            try FlowFileLoader.load(
                """
                version: 1
                flows:
                  - {from: a, to: b, expect: leaked}
                  - {from: a, to: b, expect: {verdict: private, reason: igw-direct}}
                  - {from: a, to: b, expect: {via: s3-gw}}
                  - {from: a, to: b, expect: {verdict: dropped, reason: nacl}}
                """, file: "f.yaml")
        }
        let messages = error.diagnostics.map(\.description)
        #expect(messages.count == 4, "\(messages)")
        #expect(messages[0].contains("f.yaml:3") && messages[0].contains("expect must be 'private', 'internet' or 'dropped'"), "\(messages)")
        #expect(messages[1].contains("reason 'igw-direct' has verdict internet, not private"))
        #expect(messages[2].contains("'expect' needs a 'verdict'"))
        #expect(messages[3].contains("unknown reason 'nacl'; 'packet-path reasons' lists them"), "\(messages)")
    }
}
