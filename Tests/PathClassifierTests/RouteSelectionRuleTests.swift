import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// §1 route selection: longest prefix, then static CIDR > prefix list > propagated, blackholes
/// shadow. Each tie-break is tested in both directions.
@Suite("§1 route selection")
struct RouteSelectionRuleTests {
    static let endpoint = """
        endpoints:
          s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A]}
        """

    @Test("R1.1 / S1: without an endpoint, S3 traffic takes 0.0.0.0/0 to the internet gateway")
    func s3OverInternetGateway() throws {
        let result = try Lab().classify(from: "a1", to: "52.217.1.1")
        #expect(result.reason == .igwDirect)
        #expect(result.text.contains("S3 us-east-1"))
        #expect(result.notes.contains { $0.contains("R4.11") })
    }

    @Test("R1.1 / R1.5 / S2: a prefix-list entry more specific than 0.0.0.0/0 wins")
    func prefixListEntryBeatsDefaultRoute() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        let result = try lab.classify(from: "a1", to: "52.217.1.1")
        #expect(result.reason == .gatewayEndpoint)
        #expect(result.notes.contains { $0.hasPrefix("MORE_SPECIFIC_ROUTE") && $0.contains("52.216.0.0/15") })
    }

    @Test("R1.1 / R4.4 / S3: a user route more specific than the prefix-list entry beats the endpoint")
    func moreSpecificUserRouteBeatsEndpoint() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        lab.aRoutes += "\n- {destination: 52.217.1.0/24, target: igw-1}"
        #expect(try lab.classify(from: "a1", to: "52.217.1.1").reason == .igwDirect)
        // The rest of the prefix-list entry still goes to the endpoint.
        #expect(try lab.classify(from: "a1", to: "52.217.2.1").reason == .gatewayEndpoint)
    }

    @Test("R1.5 / S4: a static CIDR identical to a prefix-list entry beats it")
    func equalLengthStaticBeatsPrefixList() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        lab.aRoutes += "\n- {destination: 52.216.0.0/15, target: nat-1}"
        let result = try lab.classify(from: "a2", to: "52.217.1.1")
        #expect(result.reason == .igwViaNAT)
        #expect(result.notes.contains { $0.hasPrefix("HIGHER_PRIORITY_ROUTE") && $0.contains("R1.5") })
    }

    @Test("R1.5: a static CIDR shorter than the prefix-list entry loses to it")
    func shorterStaticLosesToPrefixList() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        lab.aRoutes += "\n- {destination: 52.216.0.0/14, target: nat-1}"
        #expect(try lab.classify(from: "a2", to: "52.217.1.1").reason == .gatewayEndpoint)
    }

    @Test("R1.4 / S28: a static route beats a propagated one with the identical destination")
    func staticBeatsPropagated() throws {
        var lab = Lab()
        lab.extra = "vpn-gateways:\n  vgw-1: {vpc: lab}"
        lab.aRoutes += """

            - {destination: 172.31.0.0/24, target: vgw-1, origin: propagated}
            - {destination: 172.31.0.0/24, target: igw-1}
            """
        let result = try lab.classify(from: "a1", to: "172.31.0.9")
        #expect(result.reason == .igwPrivateAddress)
        #expect(result.notes.contains { $0.contains("R1.4") })
    }

    @Test("R1.1 over R1.4: a more specific propagated route beats a less specific static one")
    func moreSpecificPropagatedBeatsStatic() throws {
        var lab = Lab()
        lab.extra = "vpn-gateways:\n  vgw-1: {vpc: lab}"
        lab.aRoutes += """

            - {destination: 172.31.0.0/25, target: vgw-1, origin: propagated}
            - {destination: 172.31.0.0/24, target: igw-1}
            """
        #expect(try lab.classify(from: "a1", to: "172.31.0.9").reason == .vpnGateway)
    }

    @Test("R1.6: a prefix-list route beats a propagated route of the same length, and loses to a longer one")
    func prefixListVersusPropagated() throws {
        var lab = Lab()
        lab.extra = "vpn-gateways:\n  vgw-1: {vpc: lab}"
        lab.extraPrefixLists = "corp: {cidrs: [198.18.0.0/16]}"
        lab.aRoutes += """

            - {destination: corp, target: igw-1}
            - {destination: 198.18.0.0/16, target: vgw-1, origin: propagated}
            """
        let tie = try lab.classify(from: "a1", to: "198.18.5.5")
        #expect(tie.reason == .igwDirect)
        #expect(tie.notes.contains { $0.contains("R1.6") })
        lab.aRoutes += "\n- {destination: 198.18.5.0/24, target: vgw-1, origin: propagated}"
        #expect(try lab.classify(from: "a1", to: "198.18.5.5").reason == .vpnGateway)
    }

    @Test("R1.7 / S27: two prefix lists with the same entry: lowest pl- ID, flagged ambiguous")
    func prefixListTie() throws {
        var lab = Lab()
        lab.extra = "vpn-gateways:\n  vgw-1: {vpc: lab}"
        lab.extraPrefixLists = """
            list-b: {id: pl-0bbbbbbbbbbbbbbbb, cidrs: [203.0.113.0/24]}
              list-a: {id: pl-0aaaaaaaaaaaaaaaa, cidrs: [203.0.113.0/24]}
            """
        lab.aRoutes += """

            - {destination: list-b, target: igw-1}
            - {destination: list-a, target: vgw-1}
            """
        let result = try lab.classify(from: "a1", to: "203.0.113.9")
        #expect(result.reason == .vpnGateway)  // pl-0aaa… < pl-0bbb…
        #expect(result.notes.contains { $0.hasPrefix("AMBIGUOUS_PREFIX_LIST_TIE") })
    }

    @Test("R1.11 / S19: a more specific blackhole route drops, with no fallback to 0.0.0.0/0")
    func blackholeShadows() throws {
        var lab = Lab()
        lab.aRoutes += "\n- {destination: 198.51.100.0/24, target: nat-0123456789abcdef0, state: blackhole}"
        let result = try lab.classify(from: "a1", to: "198.51.100.7")
        #expect(result.reason == .blackholeRoute)
        #expect(result.hops.last?.passed == false)
    }

    @Test("R1.11: a less specific blackhole does not shadow a more specific active route")
    func blackholeLessSpecific() throws {
        var lab = Lab()
        lab.aRoutes = """
            - {destination: 0.0.0.0/0, target: nat-0123456789abcdef0, state: blackhole}
            - {destination: 198.51.100.0/24, target: igw-1}
            """
        #expect(try lab.classify(from: "a1", to: "198.51.100.7").reason == .igwDirect)
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .blackholeRoute)
    }

    @Test("R1.2 / S23: 0.0.0.0/0 never matches IPv6")
    func familiesAreIndependent() throws {
        let result = try Lab().classify(from: "a1", to: "2600::1", family: .ipv6)
        #expect(result.reason == .noRoute)
    }

    @Test("R1.2: ::/0 to the internet gateway carries IPv6 untranslated")
    func ipv6DefaultRoute() throws {
        var lab = Lab()
        lab.aRoutes += "\n- {destination: \"::/0\", target: igw-1}"
        let result = try lab.classify(from: "a1", to: "2600::1", family: .ipv6)
        #expect(result.reason == .igwDirect)
        #expect(result.text.contains("untranslated"))
    }

    @Test("R1.3 / R11.2: the local route delivers to the interface owning the address")
    func localRoute() throws {
        let result = try Lab().classify(from: "a1", to: "b1", port: 22)
        #expect(result.reason == .local)
        #expect(result.hops.map(\.kind) == [
            .source, .securityGroupEgress, .networkACLEgress, .routeTable, .networkACLIngress, .securityGroupIngress,
            .destination,
        ])
    }

    @Test("R11.2: the local route to an address nobody owns is dropped")
    func noSuchHost() throws {
        #expect(try Lab().classify(from: "a1", to: "10.0.2.77").reason == .noSuchHost)
    }

    @Test("R1.9: a VPC CIDR routed to an appliance replaces the local target")
    func replacedLocalTarget() throws {
        var lab = Lab()
        lab.extraInstances = "fw: {subnet: P, private-ip: 10.0.0.50, source-dest-check: false, security-groups: [sg-b]}"
        lab.aRoutes += "\n- {destination: 10.0.0.0/16, target: fw}"
        let result = try lab.classify(from: "a1", to: "b1")
        #expect(result.hops.contains { $0.resource.name == "fw/eth0" && $0.detail.contains("forwards") }, "the appliance gets it first")
        #expect(result.reason == .local)
    }

    @Test("R1.13: a subnet without an association uses the main route table")
    func mainRouteTable() throws {
        let yaml = Lab().yaml.replacingOccurrences(of: "    subnets: [P]\n", with: "")
        let topology = try ScenarioLoader.load(yaml, file: "lab.yaml").0
        let p = SubnetIndex(try #require(topology.subnets.firstIndex { $0.label.name == "P" }))
        let table = try #require(topology.routeTable(of: p))
        #expect(topology[table].isMain)
        #expect(topology[table].routes.allSatisfy { $0.target == .local })
        let a = SubnetIndex(try #require(topology.subnets.firstIndex { $0.label.name == "A" }))
        #expect(topology.routeTable(of: a).map { topology[$0].label.name } == "rt-A")
    }
}
