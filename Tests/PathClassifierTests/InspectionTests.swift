import PathClassifier
import PathCore
import ScenarioFormat
import Testing

/// §19.5 and §2: appliances and Gateway Load Balancer endpoints continue the walk; gateway route
/// tables route what enters through an internet gateway.
@Suite("§19.5, §2 inspection: appliances, GWLB endpoints, gateway route tables")
struct InspectionTests {
    static let endpoint = """
        endpoints:
          gwlbe: {type: gateway-load-balancer, service: com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0, vpc: lab, subnets: {P: 10.0.0.60}}
        """

    @Test("R19.5: outbound through a GWLB endpoint: back at the endpoint, its subnet's route table sends it to the internet gateway")
    func outboundInspection() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: gwlbe}"
        let flow = try lab.flow(from: "a1", to: "8.8.8.8", port: 443)
        #expect(flow.request.reason == .igwDirect, "\(flow.request.text)")
        let kinds = flow.request.hops.map(\.kind)
        let endpointHop = try #require(kinds.firstIndex(of: .gatewayLoadBalancerEndpoint))
        #expect(kinds[endpointHop...].contains(.routeTable) && kinds.last == .internetGateway)
        #expect(flow.request.hops.last?.detail.contains("54.0.0.10") == true, "the sender's public address, unchanged by the inspection")
        #expect(flow.reason == .igwDirect, "the reply comes back directly")
    }

    @Test("R19.5: a Gateway Load Balancer without a registered target drops what its endpoint receives; with targets the walk goes on without the note")
    func noTarget() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: gwlbe}"
        lab.endpoints = Self.endpoint.replacingOccurrences(of: "subnets: {P: 10.0.0.60}}", with: "subnets: {P: 10.0.0.60}, targets: 0}")
        let none = try lab.classify(from: "a1", to: "8.8.8.8")
        #expect(none.reason == .lbNoTarget && none.reason.verdict == .dropped, "\(none.text)")
        lab.endpoints = Self.endpoint.replacingOccurrences(of: "subnets: {P: 10.0.0.60}}", with: "subnets: {P: 10.0.0.60}, targets: 2}")
        let some = try lab.classify(from: "a1", to: "8.8.8.8")
        #expect(some.reason == .igwDirect && !some.notes.contains { $0.contains("appliances are not in the input") })
    }

    @Test("R2.1, R19.5: from the internet through an edge-associated route table to a GWLB endpoint, then to the instance")
    func inboundInspection() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        lab.extraRouteTables = "rt-edge: {vpc: lab, gateways: [igw-1], routes: [{destination: 10.0.1.0/24, target: gwlbe}]}"
        let topology = try lab.topology()
        let inbound = try #require(NameResolver(topology: topology).resolveInbound(FlowRequest(from: "198.51.100.9", to: "a1", port: 22), ordinal: 0))
        let result = Classifier(topology: topology).classifyInboundFlow(inbound, oneWay: true).request
        #expect(result.reason == .igwInbound, "\(result.text)")
        let kinds = result.hops.map(\.kind)
        #expect(kinds.prefix(4) == [.source, .internetGateway, .routeTable, .networkACLIngress], "the gateway route table right after the gateway")
        #expect(kinds.contains(.gatewayLoadBalancerEndpoint))
        #expect(result.hops.contains { $0.kind == .routeTable && $0.resource.name == "rt-edge" })
    }

    @Test("R19.5: a GWLB endpoint whose subnet routes back to itself is a routing loop")
    func loop() throws {
        var lab = Lab()
        lab.endpoints = Self.endpoint
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: gwlbe}"
        lab.pRoutes = "- {destination: 0.0.0.0/0, target: gwlbe}"
        let result = try lab.classify(from: "a1", to: "8.8.8.8")
        #expect(result.reason == .loop)
        #expect(result.hops.filter { $0.kind == .gatewayLoadBalancerEndpoint }.count == Classifier.maximumForwardingDepth + 1)
    }

    @Test("R19.5: two appliances forward in turn; an appliance's own address is delivered to it")
    func chainedAppliances() throws {
        var lab = Lab()
        lab.extraInstances = """
            fw1: {subnet: P, private-ip: 10.0.0.50, source-dest-check: false, security-groups: [sg-b]}
            fw2: {subnet: B, private-ip: 10.0.2.50, source-dest-check: false, security-groups: [sg-b]}
            """
        lab.aRoutes += "\n- {destination: 10.0.2.0/24, target: fw1}"
        lab.pRoutes += "\n- {destination: 10.0.2.0/24, target: fw2}"
        let result = try lab.classify(from: "a1", to: "b1")
        #expect(result.reason == .local)
        // fw1 (subnet P) receives from A and P's table sends b1's subnet on to fw2, which delivers on its link.
        #expect(result.hops.filter { $0.detail.contains("forwards the packet unchanged") }.map { $0.resource.name } == ["fw1/eth0", "fw2/eth0"])
        let toAppliance = try lab.classify(from: "a1", to: "10.0.0.50")
        #expect(toAppliance.reason == .local && toAppliance.hops.last?.resource.name == "fw1/eth0")
    }

    @Test("R2.2: gateway route tables are refused where AWS refuses them")
    func gatewayTableRules() throws {
        func load(_ table: String) -> String {
            var lab = Lab()
            lab.endpoints = Self.endpoint
            lab.extra = "vpn-gateways:\n  vgw-1: {vpc: lab}"
            lab.extraRouteTables = table
            do {
                _ = try ScenarioLoader.load(lab.yaml, file: "lab.yaml")
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(load("e1: {vpc: lab, gateways: [igw-1], routes: [{destination: 10.0.1.0/24, target: gwlbe}]}").isEmpty)
        #expect(load("e2: {vpc: lab, gateways: [igw-1], routes: [{destination: 0.0.0.0/0, target: gwlbe}]}").contains("whole VPC or subnet blocks"))
        #expect(load("e3: {vpc: lab, gateways: [vgw-1], routes: [{destination: 10.0.1.0/24, target: gwlbe}]}").contains("internet gateways only"))
        #expect(load("e4: {vpc: lab, gateways: [igw-1], routes: [{destination: 10.0.1.0/24, target: nat-1}]}").contains("targets are local"))
        #expect(load("e5: {vpc: lab, main: true, gateways: [igw-1]}").contains("main route table cannot"))
    }
}
