import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// §6 Lambda, §7 internet gateways, §8 NAT gateways, §12 peering and transit gateways.
@Suite("§6–§8, §12 gateways and Lambda")
struct GatewayRuleTests {
    static let lambdaInA = """
        lambda-functions:
          fn: {vpc-config: {subnets: {A: 10.0.1.50}, security-groups: [sg-a]}}
          outside: {}
        """

    @Test("R7.3 / S7: no public IP, no internet through the internet gateway")
    func noPublicIP() throws {
        let result = try Lab().classify(from: "a2", to: "8.8.8.8")
        #expect(result.reason == .igwNoPublicIP)
        #expect(result.hops.last?.kind == .internetGateway)
    }

    @Test("R7.2: the internet gateway translates the private address to its public pair")
    func oneToOneNAT() throws {
        let result = try Lab().classify(from: "a1", to: "8.8.8.8")
        #expect(result.reason == .igwDirect)
        #expect(result.hops.last?.detail.contains("54.0.0.10") == true)
    }

    @Test("R7.5 / S20: the internet gateway refuses private destinations")
    func privateDestination() throws {
        var lab = Lab()
        lab.aRoutes += "\n- {destination: 10.99.0.0/16, target: igw-1}"
        #expect(try lab.classify(from: "a1", to: "10.99.0.5").reason == .igwPrivateAddress)
        #expect(try lab.classify(from: "a1", to: "100.64.0.1").reason == .igwPrivateAddress)
    }

    @Test("R7.6: a route to an internet gateway not attached to the VPC is rejected when loading")
    func detachedGateway() throws {
        let yaml = Lab().yaml.replacingOccurrences(of: "igw-1: {vpc: lab}", with: "igw-1: {}")
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(yaml, file: "lab.yaml") }
        #expect(error.description.contains("not attached"))
    }

    @Test("R7.7: an egress-only gateway carries IPv6 out")
    func egressOnly() throws {
        var lab = Lab()
        lab.extra = "egress-only-internet-gateways:\n  eigw-1: {vpc: lab}"
        lab.aRoutes += "\n- {destination: \"::/0\", target: eigw-1}"
        #expect(try lab.classify(from: "a1", to: "2600::1", family: .ipv6).reason == .egressOnlyIGW)
    }

    @Test("R6.3 / S8: a Lambda ENI never has a public IP, even in a public subnet")
    func lambdaNoPublicIP() throws {
        var lab = Lab()
        lab.lambdas = Self.lambdaInA
        let result = try lab.classify(from: "fn", to: "8.8.8.8")
        #expect(result.reason == .igwNoPublicIP)
        #expect(result.text.contains("R6.3"))
    }

    @Test("R6.3 / R8.1 / S9: a Lambda reaches the internet through a NAT gateway")
    func lambdaViaNAT() throws {
        var lab = Lab()
        lab.lambdas = Self.lambdaInA
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        let result = try lab.classify(from: "fn", to: "8.8.8.8")
        #expect(result.reason == .igwViaNAT)
        let kinds = result.hops.map(\.kind)
        #expect(kinds.firstIndex(of: .natGateway)! < kinds.firstIndex(of: .internetGateway)!)
        #expect(result.text.contains("3.0.0.1"))
    }

    @Test("R8.1 / S10: without an internet route in the NAT subnet, the packet dies there")
    func natSubnetWithoutRoute() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        lab.pRoutes = ""
        let result = try lab.classify(from: "a2", to: "8.8.8.8")
        #expect(result.reason == .noRoute)
        #expect(result.hops.last?.resource.name == "rt-P")
    }

    @Test("R8.2: a NAT gateway carries TCP, UDP and ICMP only")
    func natProtocol() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        #expect(try lab.classify(from: "a2", to: "8.8.8.8", protocol: IPProtocolNumber(rawValue: 47)).reason == .natProtocol)
        #expect(try lab.classify(from: "a2", to: "8.8.8.8", protocol: .udp, port: 53).reason == .igwViaNAT)
    }

    @Test("R8.3: a private NAT gateway cannot use the internet gateway")
    func privateNAT() throws {
        var lab = Lab()
        lab.natConnectivity = "connectivity: private"
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        #expect(try lab.classify(from: "a2", to: "8.8.8.8").reason == .igwNoPublicIP)
    }

    @Test("R8.5: a NAT gateway that is not available drops")
    func natNotAvailable() throws {
        var lab = Lab()
        lab.natState = "failed"
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        #expect(try lab.classify(from: "a2", to: "8.8.8.8").reason == .natNotAvailable)
    }

    @Test("R6.2 / S11: connections towards a Lambda Hyperplane ENI are refused")
    func lambdaNotInbound() throws {
        var lab = Lab()
        lab.lambdas = Self.lambdaInA
        #expect(try lab.classify(from: "b1", to: "10.0.1.50", port: 22).reason == .lambdaENINotInbound)
        #expect(try lab.classify(from: "b1", to: "10.0.1.50", port: 22, isReply: true).reason == .local)
    }

    @Test("R6.6: a function outside any VPC is not a source in a VPC")
    func lambdaOutsideVPC() throws {
        var lab = Lab()
        lab.lambdas = Self.lambdaInA
        let topology = try lab.topology()
        #expect(throws: NameResolver.Failure.self) { try NameResolver(topology: topology).source("outside") }
    }

    /// The lab with a peering connection to a second VPC, 10.1.0.0/16, and routes to it and beyond.
    static func peeringLab(status: String = "active") -> Lab {
        var lab = Lab()
        lab.extra = """
            peering-connections:
              pcx-1: {requester: lab, accepter: peer, status: \(status)}
            """
        lab.aRoutes += "\n- {destination: 10.1.0.0/16, target: pcx-1}\n- {destination: 10.2.0.0/16, target: pcx-1}"
        return lab
    }

    static func withPeerVPC(_ yaml: String) -> String {
        yaml.replacingOccurrences(
            of: "vpcs:\n  lab:", with: "vpcs:\n  peer: {cidrs: [10.1.0.0/16]}\n  lab:"
        ).replacingOccurrences(
            of: "subnets:\n  A:", with: "subnets:\n  PA: {vpc: peer, az: us-east-1a, cidr: 10.1.1.0/24}\n  A:"
        ).replacingOccurrences(
            of: "security-groups:\n  sg-a:", with: "security-groups:\n  sg-peer: {vpc: peer, ingress: [{protocol: all, source: 10.0.0.0/16}]}\n  sg-a:"
        ).replacingOccurrences(
            of: "instances:\n  a1:", with: "instances:\n  p1: {subnet: PA, private-ip: 10.1.1.10, security-groups: [sg-peer]}\n  a1:")
    }

    func classify(_ yaml: String, from: String, to: String) throws -> Classification {
        let topology = try ScenarioLoaderSupport.load(yaml)
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: from, to: to), ordinal: 0)
        return Classifier(topology: topology).classify(flow.header, from: flow.source)
    }

    @Test("R12.1 / R12.2: peering delivers inside the peer VPC only")
    func peering() throws {
        let yaml = Self.withPeerVPC(Self.peeringLab().yaml)
        #expect(try classify(yaml, from: "a1", to: "p1").reason == .peering)
        #expect(try classify(yaml, from: "a1", to: "10.2.0.9").reason == .peeringNotTransitive)
    }

    @Test("R9.4: a security-group rule referencing a group in a peered VPC of the same Region matches its members")
    func groupReferenceAcrossPeering() throws {
        let yaml = Self.withPeerVPC(Self.peeringLab().yaml)
        // The peer's group admits only members of sg-a (a1's group in the lab VPC).
        let referencing = yaml.replacingOccurrences(
            of: "sg-peer: {vpc: peer, ingress: [{protocol: all, source: 10.0.0.0/16}]}",
            with: "sg-peer: {vpc: peer, ingress: [{protocol: all, source: sg-a}]}")
        #expect(referencing != yaml)
        #expect(try classify(referencing, from: "a1", to: "p1").reason == .peering)
        // A lab instance in the same subnet but outside sg-a is not matched by the reference.
        let other = referencing.replacingOccurrences(
            of: "instances:\n  p1:", with: "instances:\n  a9: {subnet: A, private-ip: 10.0.1.99, security-groups: [sg-x]}\n  p1:"
        ).replacingOccurrences(
            of: "security-groups:\n  sg-peer:", with: "security-groups:\n  sg-x: {vpc: lab, egress: [{protocol: all, destination: 0.0.0.0/0}]}\n  sg-peer:")
        #expect(try classify(other, from: "a9", to: "p1").reason == .securityGroupIngress)
    }

    @Test("R12.1: a peering connection that is not active carries nothing")
    func peeringInactive() throws {
        let yaml = Self.withPeerVPC(Self.peeringLab(status: "pending-acceptance").yaml)
        #expect(try classify(yaml, from: "a1", to: "p1").reason == .gatewayState)
    }

    @Test("R12.4 / S30: the transit gateway attachment needs a subnet in the source's AZ")
    func transitGatewayAZ() throws {
        var lab = Lab()
        lab.extra = """
            transit-gateways:
              tgw-1: {attachments: [{vpc: lab, subnets: [B]}]}
            """
        lab.aRoutes += "\n- {destination: 10.8.0.0/16, target: tgw-1}"
        lab.bRoutes = "- {destination: 10.8.0.0/16, target: tgw-1}"
        #expect(try lab.classify(from: "a1", to: "10.8.0.1").reason == .transitGatewayAZ)
        // From B the attachment is there; the default route table knows only the attached VPC's blocks (R19.1).
        #expect(try lab.classify(from: "b1", to: "10.8.0.1").reason == .tgwNoRoute)
    }
}


@Suite("Interface attachment")
struct AttachmentTests {
    @Test("R7.3 / R7.4: a detached interface neither receives nor reaches the internet")
    func detached() throws {
        var lab = Lab()
        lab.extra = "network-interfaces:\n  spare: {subnet: B, private-ip: 10.0.2.77, public-ip: 54.0.0.77}"
        #expect(try lab.classify(from: "a1", to: "10.0.2.77").reason == .noSuchHost)
        lab.bRoutes = "- {destination: 0.0.0.0/0, target: igw-1}"
        #expect(try lab.classify(from: "spare", to: "8.8.8.8").reason == .igwNoPublicIP)
    }
}

@Suite("Block Public Access (R7.8)")
struct BlockPublicAccessTests {
    static func lab(_ mode: String, exclusions: String = "[]") -> Lab {
        var lab = Lab()
        lab.extra = "block-public-access: {mode: \(mode), exclusions: \(exclusions)}"
        lab.bRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        return lab
    }

    @Test("S25: block-bidirectional drops direct internet traffic; S26: block-ingress lets NAT egress through")
    func modes() throws {
        let bidirectional = Self.lab("block-bidirectional")
        #expect(try bidirectional.classify(from: "a1", to: "52.217.1.1").reason == .bpaBlocked)
        #expect(try bidirectional.classify(from: "b1", to: "8.8.8.8").reason == .bpaBlocked)
        let ingress = Self.lab("block-ingress")
        #expect(try ingress.classify(from: "b1", to: "8.8.8.8").reason == .igwViaNAT)
        #expect(try ingress.classify(from: "a1", to: "8.8.8.8").reason == .bpaBlocked)
        let inbound = PacketHeader(source: IPAddress("198.51.100.7")!, destination: IPAddress("10.0.1.10")!, protocolNumber: .tcp, sourcePort: 1, destinationPort: 22)
        let topology = try ingress.topology()
        let a1 = try NameResolver(topology: topology).source("a1").interface
        #expect(Classifier(topology: topology).classifyInbound(inbound, to: a1).reason == .bpaBlocked)
        #expect(Classifier(topology: try Lab().topology()).classifyInbound(inbound, to: a1).reason == .igwInbound)
        #expect(try Lab().classify(from: "a1", to: "8.8.8.8").reason == .igwDirect)
    }

    @Test("exclusions: allow-bidirectional exempts, allow-egress lets only egress through")
    func exclusions() throws {
        let subnetA = Self.lab("block-bidirectional", exclusions: "[{subnet: A, mode: allow-egress}]")
        #expect(try subnetA.classify(from: "a1", to: "8.8.8.8").reason == .igwDirect)
        let topology = try subnetA.topology()
        let a1 = try NameResolver(topology: topology).source("a1").interface
        let inbound = PacketHeader(source: IPAddress("198.51.100.7")!, destination: IPAddress("10.0.1.10")!, protocolNumber: .tcp, sourcePort: 1, destinationPort: 22)
        #expect(Classifier(topology: topology).classifyInbound(inbound, to: a1).reason == .bpaBlocked)
        let whole = Self.lab("block-bidirectional", exclusions: "[{vpc: lab, mode: allow-bidirectional}]")
        #expect(try whole.classify(from: "a1", to: "8.8.8.8").reason == .igwDirect)
        #expect(Classifier(topology: try whole.topology()).classifyInbound(inbound, to: a1).reason == .igwInbound)
    }
}
