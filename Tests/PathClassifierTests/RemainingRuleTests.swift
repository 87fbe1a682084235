import CaptureReplay
import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// Rules whose behaviour other suites exercise under other names, tested here by their own.
@Suite("Rules by name")
struct RemainingRuleTests {
    @Test("R4.1: gateway endpoints exist for S3, DynamoDB and S3 Express only")
    func gatewayServices() {
        #expect(["s3", "dynamodb", "s3express"].allSatisfy { AWSService(key: $0, region: "us-east-1").hasGatewayEndpoints })
        #expect(!AWSService(key: "lambda", region: "us-east-1").hasGatewayEndpoints)
    }

    @Test("R4.10: with a gateway endpoint, S3's name still resolves to public S3 addresses; the route diverts them")
    func gatewayEndpointDNS() throws {
        var lab = Lab()
        lab.endpoints = "endpoints:\n  s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A]}"
        let topology = try lab.topology()
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "s3.us-east-1.amazonaws.com"), ordinal: 0)
        #expect(flow.dnsAnswer?.hasPrefix("public DNS") == true)
        #expect(flow.header.destination == IPAddress("52.216.0.1"))
        #expect(Classifier(topology: topology).classify(flow.header, from: flow.source).reason == .gatewayEndpoint)
    }

    @Test("R6.5: a Lambda ENI has no IPv6 unless the function allows dual-stack, so it sends no IPv6")
    func lambdaIPv6() throws {
        var lab = Lab()
        lab.lambdas = "lambda-functions:\n  fn: {vpc-config: {subnets: {A: 10.0.1.50}, security-groups: [sg-a]}}"
        let topology = try lab.topology()
        #expect(throws: NameResolver.Failure.self) { try NameResolver(topology: topology).source("fn", family: .ipv6) }
    }

    @Test("R7.1: internet access needs an attached IGW, a route to it, a public IP, and SGs and NACLs that allow it")
    func fourRequirements() throws {
        #expect(try Lab().classify(from: "a1", to: "8.8.8.8").reason == .igwDirect)  // all four
        var noRoute = Lab()
        noRoute.aRoutes = ""
        #expect(try noRoute.classify(from: "a1", to: "8.8.8.8").reason == .noRoute)
        #expect(try Lab().classify(from: "a2", to: "8.8.8.8").reason == .igwNoPublicIP)
        var noEgress = Lab()
        noEgress.aEgress = ""
        #expect(try noEgress.classify(from: "a1", to: "8.8.8.8").reason == .securityGroupEgress)
        let detached = Lab().yaml.replacingOccurrences(of: "igw-1: {vpc: lab}", with: "igw-1: {}")
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(detached, file: "lab.yaml") }
    }

    @Test("R11.3: at a destination, the subnet's NACL comes first, then type checks, then security groups")
    func ingressOrder() throws {
        var lab = Lab()
        lab.lambdas = "lambda-functions:\n  fn: {vpc-config: {subnets: {B: 10.0.2.50}, security-groups: [sg-b]}}"
        lab.bIngress = ""
        // The Lambda ENI refuses before its (empty) security group is consulted (R6.2 before R9.1).
        #expect(try lab.classify(from: "a1", to: "10.0.2.50").reason == .lambdaENINotInbound)
        lab.networkACLs = """
            network-acls:
              acl-b:
                vpc: lab
                subnets: [B]
                ingress: []
                egress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
            """
        #expect(try lab.classify(from: "a1", to: "10.0.2.50").reason == .networkACLIngress)
    }

    @Test("R11.5: a reply is walked in its own direction: its network ACLs are evaluated again")
    func repliesWalkAgain() throws {
        var lab = Lab()
        lab.networkACLs = """
            network-acls:
              acl-b:
                vpc: lab
                subnets: [B]
                ingress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
                egress: [{rule: 100, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]
            """
        let state = CaptureClassifier(topology: try lab.topology())
        let request = PacketHeader(source: IPAddress("10.0.1.10")!, destination: IPAddress("10.0.2.5")!, protocolNumber: .tcp, sourcePort: 40000, destinationPort: 22)
        #expect(state.classify(request).reason == .local)
        let reply = PacketHeader(source: IPAddress("10.0.2.5")!, destination: IPAddress("10.0.1.10")!, protocolNumber: .tcp, sourcePort: 22, destinationPort: 40000)
        #expect(state.classify(reply).reason == .networkACLEgress)  // B's outbound ACL allows only 443
    }
}
