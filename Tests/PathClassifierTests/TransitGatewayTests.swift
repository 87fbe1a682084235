import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// §19.1: transit gateways route by the table associated with the ingress attachment and
/// continue into the next VPC.
@Suite("§19.1 transit gateways")
struct TransitGatewayTests {
    /// The lab VPC and a second VPC `far` (10.8.0.0/16, subnet F in AZ a with f1 at 10.8.1.10),
    /// joined by tgw-1; A and F route each other's block to it.
    static func lab(transitGateway: String, farIngress: String = "- {protocol: all, source: 0.0.0.0/0}") -> Lab {
        var lab = Lab()
        lab.aRoutes += "\n- {destination: 10.8.0.0/16, target: tgw-1}"
        lab.extra = """
            transit-gateways:
              \(transitGateway.replacingOccurrences(of: "\n", with: "\n  "))
            """
        lab.extraSecurityGroups = """
            sg-far:
              vpc: far
              ingress:
                \(farIngress.replacingOccurrences(of: "\n", with: "\n    "))
            """
        lab.extraInstances = "f1: {subnet: F, private-ip: 10.8.1.10, security-groups: [sg-far]}"
        lab.extraRouteTables = "rt-F: {vpc: far, subnets: [F], routes: [{destination: 10.0.0.0/16, target: tgw-1}]}"
        return lab
    }

    /// `lab(…)`'s YAML with the far VPC and its subnet added.
    static func topology(_ lab: Lab) throws -> Topology {
        let yaml = lab.yaml
            .replacingOccurrences(of: "vpcs:\n", with: "vpcs:\n  far: {cidrs: [10.8.0.0/16]}\n")
            .replacingOccurrences(of: "subnets:\n  A:", with: "subnets:\n  F: {vpc: far, az: us-east-1a, cidr: 10.8.1.0/24}\n  A:")
        return try ScenarioLoader.load(yaml, file: "lab.yaml").0
    }

    static func flow(_ lab: Lab, from: String, to: String, port: UInt16 = 443) throws -> FlowClassification {
        let topology = try topology(lab)
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: from, to: to, port: port), ordinal: 0)
        return Classifier(topology: topology).classifyFlow(flow.header, from: flow.source)
    }

    static let defaultTables = "tgw-1: {attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}}"

    @Test("R19.1: without route tables, AWS's default: every attachment associated and propagating; delivered in the far VPC, reply included")
    func defaultRouteTable() throws {
        let flow = try Self.flow(Self.lab(transitGateway: Self.defaultTables), from: "a1", to: "f1")
        #expect(flow.request.reason == .transitGateway, "\(flow.request.text)")
        #expect(flow.reason == .transitGateway)
        let transit = try #require(flow.request.hops.first { $0.kind == .transitGateway })
        #expect(transit.detail.contains("propagated route 10.8.0.0/16"))
        #expect(flow.reply?.hops.contains { $0.kind == .transitGateway } == true, "the reply crosses back")
    }

    @Test("R19.1: the ingress attachment's table decides: no association, no route, a blackhole")
    func routeTables() throws {
        let noAssociation = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}
              route-tables:
                t1: {associations: [far], propagations: [lab]}
            """
        #expect(try Self.flow(Self.lab(transitGateway: noAssociation), from: "a1", to: "f1").reason == .tgwNoRoute)
        let blackhole = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}
              route-tables:
                t1:
                  associations: [lab, far]
                  propagations: [lab, far]
                  routes: [{destination: 10.8.1.0/24, target: blackhole}]
            """
        #expect(try Self.flow(Self.lab(transitGateway: blackhole), from: "a1", to: "f1").reason == .tgwBlackhole, "the longer blackhole wins")
        // Static beats propagated for the same prefix (R12.5).
        let staticWins = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}
              route-tables:
                t1:
                  associations: [lab, far]
                  propagations: [lab, far]
                  routes: [{destination: 10.8.0.0/16, target: blackhole}]
            """
        #expect(try Self.flow(Self.lab(transitGateway: staticWins), from: "a1", to: "f1").reason == .tgwBlackhole)
    }

    @Test("R19.1: a route to an attachment that is not available drops; so does a reply with no route back")
    func stateAndReturn() throws {
        let pending = "tgw-1: {attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F], state: pendingAcceptance}}}"
        #expect(try Self.flow(Self.lab(transitGateway: pending), from: "a1", to: "f1").reason == .gatewayState)
        // far's table only knows far: the request arrives, the reply cannot go back.
        let oneWay = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}
              route-tables:
                from-lab: {associations: [lab], propagations: [far]}
                from-far: {associations: [far], propagations: [far]}
            """
        let flow = try Self.flow(Self.lab(transitGateway: oneWay), from: "a1", to: "f1")
        #expect(flow.request.reason == .transitGateway)
        #expect(flow.reason == .tgwNoRoute && flow.reply?.verdict == .dropped)
    }

    @Test("R19.1: network ACLs with a transit gateway: the attachment subnet's inbound rules on the way in, outbound on the way out, not the reverse")
    func networkACLs() throws {
        // The far attachment has its own subnet T whose ACL denies everything inbound but allows outbound.
        var lab = Self.lab(transitGateway: "tgw-1: {attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [T]}}}")
        lab.networkACLs = """
            network-acls:
              t-acl:
                vpc: far
                subnets: [T]
                ingress: [{rule: 100, action: deny, protocol: all, cidr: 0.0.0.0/0}]
                egress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
            """
        let withT = { (lab: Lab) throws -> Topology in
            try ScenarioLoader.load(
                lab.yaml.replacingOccurrences(of: "vpcs:\n", with: "vpcs:\n  far: {cidrs: [10.8.0.0/16]}\n")
                    .replacingOccurrences(
                        of: "subnets:\n  A:",
                        with: "subnets:\n  F: {vpc: far, az: us-east-1a, cidr: 10.8.1.0/24}\n  T: {vpc: far, az: us-east-1a, cidr: 10.8.255.0/28}\n  A:"),
                file: "lab.yaml"
            ).0
        }
        let topology = try withT(lab)
        let request = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "f1"), ordinal: 0)
        let into = Classifier(topology: topology).classify(request.header, from: request.source)
        // TGW → far: T's outbound rules apply (allow), its inbound rules do not.
        #expect(into.reason == .transitGateway, "\(into.text)")
        // far → TGW (f1 answers, or opens a connection): T's inbound rules apply (deny).
        let back = try NameResolver(topology: topology).resolve(FlowRequest(from: "f1", to: "a1"), ordinal: 0)
        let out = Classifier(topology: topology).classify(back.header, from: back.source)
        #expect(out.reason == .networkACLIngress && out.decisiveHop?.resource.name == "t-acl")
    }

    /// Spoke A (AZ a) and spoke B (AZ b) reach each other through an inspection VPC with a
    /// firewall per Availability Zone; `applianceMode` is the inspection attachment's.
    static func inspectionAcrossZones(applianceMode: Bool) -> String {
        """
        version: 1
        region: us-east-1
        vpcs:
          spoke-a: {cidrs: [10.1.0.0/16]}
          spoke-b: {cidrs: [10.2.0.0/16]}
          inspection: {cidrs: [10.200.0.0/16]}
        subnets:
          a-app: {vpc: spoke-a, az: us-east-1a, cidr: 10.1.1.0/24}
          b-app: {vpc: spoke-b, az: us-east-1b, cidr: 10.2.1.0/24}
          i-tgw-a: {vpc: inspection, az: us-east-1a, cidr: 10.200.255.0/28}
          i-tgw-b: {vpc: inspection, az: us-east-1b, cidr: 10.200.255.16/28}
          i-fw-a: {vpc: inspection, az: us-east-1a, cidr: 10.200.1.0/24}
          i-fw-b: {vpc: inspection, az: us-east-1b, cidr: 10.200.2.0/24}
        route-tables:
          a-rt: {vpc: spoke-a, subnets: [a-app], routes: [{destination: 0.0.0.0/0, target: hub}]}
          b-rt: {vpc: spoke-b, subnets: [b-app], routes: [{destination: 0.0.0.0/0, target: hub}]}
          i-tgw-a-rt: {vpc: inspection, subnets: [i-tgw-a], routes: [{destination: 0.0.0.0/0, target: fw-a}]}
          i-tgw-b-rt: {vpc: inspection, subnets: [i-tgw-b], routes: [{destination: 0.0.0.0/0, target: fw-b}]}
          i-fw-rt: {vpc: inspection, subnets: [i-fw-a, i-fw-b], routes: [{destination: 0.0.0.0/0, target: hub}]}
        security-groups:
          open-a: {vpc: spoke-a, ingress: [{protocol: all, source: 0.0.0.0/0}]}
          open-b: {vpc: spoke-b, ingress: [{protocol: all, source: 0.0.0.0/0}]}
          fw: {vpc: inspection, ingress: [{protocol: all, source: 0.0.0.0/0}]}
        instances:
          a1: {subnet: a-app, private-ip: 10.1.1.10, security-groups: [open-a]}
          b1: {subnet: b-app, private-ip: 10.2.1.20, security-groups: [open-b]}
          fw-a: {subnet: i-fw-a, private-ip: 10.200.1.5, source-dest-check: false, security-groups: [fw]}
          fw-b: {subnet: i-fw-b, private-ip: 10.200.2.5, source-dest-check: false, security-groups: [fw]}
        transit-gateways:
          hub:
            attachments:
              spoke-a: {vpc: spoke-a, subnets: [a-app]}
              spoke-b: {vpc: spoke-b, subnets: [b-app]}
              inspection: {vpc: inspection, subnets: [i-tgw-a, i-tgw-b], appliance-mode: \(applianceMode)}
            route-tables:
              spokes: {associations: [spoke-a, spoke-b], routes: [{destination: 0.0.0.0/0, target: inspection}]}
              after: {associations: [inspection], propagations: [spoke-a, spoke-b]}
        """
    }

    @Test("R19.1: appliance mode keeps a flow's reply in its request's Availability Zone at the inspection attachment; without it the reply crosses the other zone's firewall, with a note")
    func applianceMode() throws {
        for mode in [true, false] {
            let topology = try ScenarioLoader.load(Self.inspectionAcrossZones(applianceMode: mode), file: "inspection.yaml").0
            let request = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "b1"), ordinal: 0)
            let flow = Classifier(topology: topology).classifyFlow(request.header, from: request.source)
            #expect(flow.reason == .transitGateway, "\(flow.request.text)\n\(flow.reply?.text ?? "")")
            let reply = try #require(flow.reply)
            let firewalls = Set(reply.hops.compactMap { $0.resource.name }.filter { $0.hasPrefix("fw-") })
            #expect(flow.request.hops.contains { $0.resource.name?.hasPrefix("fw-a") == true }, "the request enters inspection in its own zone, a")
            if mode {
                #expect(firewalls.allSatisfy { $0.hasPrefix("fw-a") } && !firewalls.isEmpty, "\(firewalls)")
                #expect(!reply.notes.contains { $0.contains("appliance mode") })
            } else {
                #expect(firewalls.allSatisfy { $0.hasPrefix("fw-b") } && !firewalls.isEmpty, "\(firewalls)")
                #expect(reply.notes.contains { $0.contains("without appliance mode a stateful appliance there sees one direction only") })
            }
        }
    }

    @Test("R9.4, R19.1: a security-group reference matches across a transit gateway only with referencing support")
    func groupReferences() throws {
        let ingress = "- {protocol: all, source: sg-a}"
        let without = Self.lab(transitGateway: Self.defaultTables, farIngress: ingress)
        #expect(try Self.flow(without, from: "a1", to: "f1").reason == .securityGroupIngress)
        let with = Self.lab(
            transitGateway: "tgw-1: {security-group-referencing: true, attachments: {lab: {vpc: lab, subnets: [A]}, far: {vpc: far, subnets: [F]}}}",
            farIngress: ingress)
        #expect(try Self.flow(with, from: "a1", to: "f1").reason == .transitGateway)
        // Both VPC attachments must support it too (on by default for attachments).
        let attachmentOff = Self.lab(
            transitGateway: "tgw-1: {security-group-referencing: true, attachments: {lab: {vpc: lab, subnets: [A], security-group-referencing: false}, far: {vpc: far, subnets: [F]}}}",
            farIngress: ingress)
        #expect(try Self.flow(attachmentOff, from: "a1", to: "f1").reason == .securityGroupIngress)
    }

    @Test("R19.1: a VPN or Direct Connect attachment leaves AWS; a peering attachment continues in the peer transit gateway")
    func hybridAndPeering() throws {
        let hybrid = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}, office: {vpn: office-vpn}}
              route-tables:
                t1: {associations: [lab, office], propagations: [lab], routes: [{destination: 10.8.0.0/16, target: office}]}
            """
        let flow = try Self.flow(Self.lab(transitGateway: hybrid), from: "a1", to: "10.8.1.10")
        #expect(flow.reason == .tgwHybrid && flow.reply == nil)
        #expect(flow.request.notes.contains { $0.contains("Site-to-Site VPN office-vpn leaves AWS") })
        let peered = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}, to-2: {peer: tgw-2}}
              route-tables:
                t1: {associations: [lab, to-2], propagations: [lab], routes: [{destination: 10.8.0.0/16, target: to-2}]}
            tgw-2:
              attachments: {far: {vpc: far, subnets: [F]}, to-1: {peer: tgw-1}}
              route-tables:
                t2: {associations: [far, to-1], propagations: [far], routes: [{destination: 10.0.0.0/16, target: to-1}]}
            """
        var lab = Self.lab(transitGateway: peered)
        lab.extraRouteTables = "rt-F: {vpc: far, subnets: [F], routes: [{destination: 10.0.0.0/16, target: tgw-2}]}"
        let across = try Self.flow(lab, from: "a1", to: "f1")
        #expect(across.reason == .transitGateway, "\(across.request.text)\n\(across.reply?.text ?? "")")
        #expect(across.request.hops.filter { $0.kind == .transitGateway }.count == 2)
    }

    @Test("R19.1: attachment names are checked; a peer must name this transit gateway back")
    func scenarioErrors() throws {
        let typo = """
            tgw-1:
              attachments: {lab: {vpc: lab, subnets: [A]}}
              route-tables:
                t1: {associations: [labb]}
            """
        #expect(throws: ScenarioError.self) { try Self.topology(Self.lab(transitGateway: typo)) }
        let oneSided = """
            tgw-1: {attachments: {lab: {vpc: lab, subnets: [A]}, to-2: {peer: tgw-2}}}
            tgw-2: {attachments: {far: {vpc: far, subnets: [F]}}}
            """
        let error = try #require(throws: ScenarioError.self) { try Self.topology(Self.lab(transitGateway: oneSided)) }
        #expect(error.description.contains("no 'peer' attachment naming"))
    }
}
