import PathClassifier
import PathCore
import ScenarioFormat
import Testing

/// §19.2: virtual private gateways and Site-to-Site VPN, and R4.6 for traffic from outside the VPC.
@Suite("§19.2 VPN")
struct VPNTests {
    static func lab(connections: String, origin: String = "static") -> Lab {
        var lab = Lab()
        lab.extra = """
            vpn-gateways:
              vgw-1: {vpc: lab}
            \(connections.isEmpty ? "" : "vpn-connections:\n  " + connections.replacingOccurrences(of: "\n", with: "\n  "))
            """
        lab.aRoutes += "\n- {destination: 192.168.0.0/16, target: vgw-1, origin: \(origin)}"
        return lab
    }

    @Test("R19.2: out over a static VPN whose routes cover the destination; no available connection covering it drops")
    func staticRoutes() throws {
        let covered = try Self.lab(connections: "office: {vpn-gateway: vgw-1, routes: [192.168.0.0/16]}").classify(from: "a1", to: "192.168.3.3")
        #expect(covered.reason == .vpnGateway && covered.text.contains("static route covers"))
        let narrow = try Self.lab(connections: "office: {vpn-gateway: vgw-1, routes: [192.168.1.0/24]}").classify(from: "a1", to: "192.168.3.3")
        #expect(narrow.reason == .vpnNoRoute)
        let down = try Self.lab(connections: "office: {vpn-gateway: vgw-1, routes: [192.168.0.0/16], state: pending}").classify(from: "a1", to: "192.168.3.3")
        #expect(down.reason == .vpnNoRoute)
    }

    @Test("R19.2: BGP: a propagated route stands for the learned prefixes; a static route only says so in a note; no VPN data: not modelled")
    func bgpAndUnknown() throws {
        let bgp = "office: {vpn-gateway: vgw-1, static-routes-only: false}"
        let propagated = try Self.lab(connections: bgp, origin: "propagated").classify(from: "a1", to: "192.168.3.3")
        #expect(propagated.reason == .vpnGateway)
        #expect(propagated.text.contains("BGP propagated the route"))
        let written = try Self.lab(connections: bgp).classify(from: "a1", to: "192.168.3.3")
        #expect(written.reason == .vpnGateway && written.notes.contains { $0.contains("learned by BGP are not in the input") })
        let unknown = try Self.lab(connections: "").classify(from: "a1", to: "192.168.3.3")
        #expect(unknown.reason == .vpnGateway && unknown.notes.contains { $0.contains("not modelled") })
    }

    @Test("R19.2, R19.7: from on premises over the VPN into the VPC, and the reply back over it")
    func fromOnPremises() throws {
        let lab = Self.lab(connections: "office: {vpn-gateway: vgw-1, routes: [192.168.0.0/16]}")
        let flow = try lab.flow(from: "192.168.1.5", to: "a1", port: 22)
        #expect(flow.request.reason == .vpnInbound)
        #expect(flow.request.hops.last?.resource.name == "a1/eth0", "a name answers the private address from on premises")
        #expect(flow.reply?.reason == .vpnGateway && flow.reason == .vpnInbound)
        // b1's subnet has no route back to the office: the reply is dropped.
        let noWayBack = try lab.flow(from: "192.168.1.5", to: "b1", port: 22)
        #expect(noWayBack.request.reason == .vpnInbound && noWayBack.reason == .noRoute)
    }

    @Test("R19.2: a Direct Connect gateway on the virtual private gateway is BGP: propagated routes carry; from on premises over it, reply included")
    func directConnect() throws {
        let dx = "corp-dx: {type: direct-connect, vpn-gateway: vgw-1, on-premises-cidrs: [10.200.0.0/16]}"
        var lab = Self.lab(connections: dx, origin: "propagated")
        let out = try lab.classify(from: "a1", to: "192.168.3.3")
        #expect(out.reason == .vpnGateway && out.text.contains("Direct Connect gateway corp-dx") && out.text.contains("BGP propagated"), "\(out.text)")
        lab.aRoutes += "\n- {destination: 10.200.0.0/16, target: vgw-1, origin: propagated}"
        let flow = try lab.flow(from: "10.200.1.1", to: "a1", port: 22)
        #expect(flow.request.reason == .vpnInbound && flow.reply?.reason == .vpnGateway, "\(flow.request.text)\n\(flow.reply?.text ?? "")")
        // A Direct Connect gateway has no static routes.
        let withRoutes = Self.lab(connections: "x: {type: direct-connect, vpn-gateway: vgw-1, routes: [10.0.0.0/8]}").yaml
        let error = #expect(throws: ScenarioError.self) { try ScenarioLoader.load(withRoutes, file: "lab.yaml") }
        #expect(error?.description.contains("a Direct Connect gateway has no static routes") == true)
    }

    /// The lab with tgw-1 joining lab (subnet A) and an office VPN attachment with 192.168.0.0/16
    /// behind it; the transit gateway routes the office's block to it.
    static let transitOffice = """
        tgw-1:
          attachments: {lab: {vpc: lab, subnets: [A]}, office: {vpn: office-vpn, on-premises-cidrs: [192.168.0.0/16]}}
          route-tables:
            t1: {associations: [lab, office], propagations: [lab], routes: [{destination: 192.168.0.0/16, target: office}]}
        """

    @Test("R19.1, R19.2, R19.7: from on premises through a transit gateway's VPN attachment into a VPC, and the reply back by the same attachment")
    func fromOnPremisesThroughTransitGateway() throws {
        var lab = Lab()
        lab.extra = "transit-gateways:\n  " + Self.transitOffice.replacingOccurrences(of: "\n", with: "\n  ")
        lab.aRoutes += "\n- {destination: 192.168.0.0/16, target: tgw-1}"
        let flow = try lab.flow(from: "192.168.1.5", to: "a1", port: 22)
        #expect(flow.request.reason == .vpnInbound, "\(flow.request.text)")
        #expect(flow.request.hops.contains { $0.kind == .transitGateway } && flow.request.hops.last?.resource.name == "a1/eth0")
        #expect(flow.reply?.reason == .tgwHybrid && flow.reason == .vpnInbound, "\(flow.reply?.text ?? "")")
        // b1's subnet has no route back to the transit gateway: the reply is dropped.
        let noWayBack = try lab.flow(from: "192.168.1.5", to: "b1", port: 22)
        #expect(noWayBack.request.reason == .vpnInbound && noWayBack.reason == .noRoute)
        // The transit gateway sends the reply to another attachment than the one it came in by.
        var asymmetric = lab
        asymmetric.extra = asymmetric.extra
            .replacingOccurrences(of: "office: {vpn: office-vpn, on-premises-cidrs: [192.168.0.0/16]}}",
                                  with: "office: {vpn: office-vpn, on-premises-cidrs: [192.168.0.0/16]}, backup: {direct-connect: dx-1}}")
            .replacingOccurrences(of: "target: office}", with: "target: backup}")
        let other = try asymmetric.flow(from: "192.168.1.5", to: "a1", port: 22)
        #expect(other.request.reason == .vpnInbound && other.reason == .asymmetricReturn, "\(other.reply?.text ?? "")")
        // Only VPN and Direct Connect attachments have on-premises networks.
        var wrong = Lab()
        wrong.extra = "transit-gateways:\n  tgw-1: {attachments: {lab: {vpc: lab, subnets: [A], on-premises-cidrs: [192.168.0.0/16]}}}"
        let error = #expect(throws: ScenarioError.self) { try ScenarioLoader.load(wrong.yaml, file: "lab.yaml") }
        #expect(error?.description.contains("only a 'vpn' or 'direct-connect' attachment has on-premises networks") == true)
    }

    @Test("R4.6: a packet that entered the VPC from a transit gateway cannot use its gateway endpoint")
    func gatewayEndpointNotExtensible() throws {
        // far (10.8.0.0/16) sends to S3 over the transit gateway; lab's attachment subnet A has the S3 endpoint route.
        var lab = TransitGatewayTests.lab(transitGateway: TransitGatewayTests.defaultTables)
        lab.endpoints = "endpoints:\n  s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A]}"
        lab.extraRouteTables = "rt-F: {vpc: far, subnets: [F], routes: [{destination: 10.0.0.0/16, target: tgw-1}, {destination: 52.216.0.0/15, target: tgw-1}]}"
        var transitGateway = lab
        transitGateway.extra = transitGateway.extra.replacingOccurrences(
            of: "tgw-1: {attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}}",
            with: "tgw-1:\n    attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}\n    route-tables:\n      t1: {associations: [lab, far], propagations: [lab, far], routes: [{destination: 52.216.0.0/15, target: lab}]}")
        let topology = try TransitGatewayTests.topology(transitGateway)
        let request = try NameResolver(topology: topology).resolve(FlowRequest(from: "f1", to: "52.216.0.1"), ordinal: 0)
        let result = Classifier(topology: topology).classify(request.header, from: request.source)
        #expect(result.reason == .gatewayEndpointNotExtensible, "\(result.text)")
        // From lab itself the endpoint serves.
        let own = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "s3"), ordinal: 0)
        #expect(Classifier(topology: topology).classify(own.header, from: own.source).reason == .gatewayEndpoint)
    }
}
