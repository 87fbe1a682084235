import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// Rules about services, defaults and origins not covered by the per-section suites.
@Suite("Services, defaults and origins")
struct ServiceRuleTests {
    @Test("R1.12: origins decide the priority class: CreateRouteTable and CreateRoute are static")
    func origins() {
        #expect(RouteOrigin.createRouteTable.isStatic && RouteOrigin.createRoute.isStatic)
        #expect(!RouteOrigin.propagated.isStatic && !RouteOrigin.advertisement.isStatic)
    }

    @Test("R4.9: endpoint policies are reported as not evaluated")
    func policyNotEvaluated() throws {
        var lab = Lab()
        lab.endpoints = "endpoints:\n  s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A]}"
        #expect(try lab.classify(from: "a1", to: "s3").notes.contains { $0.contains("R4.9") })
    }

    @Test("R5.11: Amazon Keyspaces flows default to TCP 9142 and need the endpoint SG to allow it")
    func keyspacesPort() throws {
        var lab = Lab()
        lab.extraSecurityGroups = "ks-sg: {vpc: lab, ingress: [{protocol: tcp, ports: 9142, source: 10.0.0.0/16}]}"
        lab.endpoints = """
            endpoints:
              keyspaces-if: {type: interface, service: keyspaces, vpc: lab, subnets: {B: 10.0.2.210}, security-groups: [ks-sg]}
            """
        let topology = try lab.topology()
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "keyspaces"), ordinal: 0)
        #expect(flow.header.destinationPort == 9142)
        #expect(flow.header.destination == IPAddress("10.0.2.210"))
        #expect(Classifier(topology: topology).classify(flow.header, from: flow.source).reason == .interfaceEndpoint)
    }

    @Test("R6.1: functions with the same subnet and security groups share one Hyperplane ENI")
    func sharedHyperplaneENI() throws {
        var lab = Lab()
        lab.lambdas = """
            lambda-functions:
              f1: {vpc-config: {subnets: {A: 10.0.1.50}, security-groups: [sg-a]}}
              f2: {vpc-config: {subnets: {A: 10.0.1.50}, security-groups: [sg-a]}}
              f3: {vpc-config: {subnets: {A: 10.0.1.51}, security-groups: [sg-b]}}
            """
        let topology = try lab.topology()
        let f1 = try #require(topology.lambdaFunctions.first { $0.label.name == "f1" })
        let f2 = try #require(topology.lambdaFunctions.first { $0.label.name == "f2" })
        let f3 = try #require(topology.lambdaFunctions.first { $0.label.name == "f3" })
        #expect(f1.interfaces == f2.interfaces)
        #expect(f1.interfaces != f3.interfaces)
        lab.lambdas = lab.lambdas.replacingOccurrences(of: "f2: {vpc-config: {subnets: {A: 10.0.1.50}", with: "f2: {vpc-config: {subnets: {A: 10.0.1.52}")
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(lab.yaml, file: "lab.yaml") }
    }

    @Test("R6.7: a flow to a Lambda function calls the Lambda API, not the function's ENI")
    func invokeGoesToTheAPI() throws {
        var lab = Lab()
        lab.lambdas = "lambda-functions:\n  fn: {vpc-config: {subnets: {A: 10.0.1.50}, security-groups: [sg-a]}}"
        lab.extra = "aws-public-ranges:\n  - {service: lambda, cidrs: [3.208.72.0/24]}"
        let topology = try lab.topology()
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: "b1", to: "fn"), ordinal: 0)
        #expect(flow.header.destination == IPAddress("3.208.72.1"))
        #expect(flow.dnsAnswer?.contains("Lambda API") == true)
    }

    @Test("R9.6: an interface with no group gets the VPC default group: members in, all out")
    func defaultSecurityGroup() throws {
        var lab = Lab()
        lab.extraInstances = """
            d1: {subnet: B, private-ip: 10.0.2.40}
            d2: {subnet: A, private-ip: 10.0.1.40}
            """
        #expect(try lab.classify(from: "d2", to: "d1", port: 22).reason == .local)
        #expect(try lab.classify(from: "a1", to: "d1", port: 22).reason == .securityGroupIngress)
    }

    @Test("R10.6: synthetic flows use ephemeral source ports from 40000, one per flow")
    func ephemeralPorts() throws {
        let topology = try Lab().topology()
        let resolver = NameResolver(topology: topology)
        let first = try resolver.resolve(FlowRequest(from: "a1", to: "b1"), ordinal: 0)
        let third = try resolver.resolve(FlowRequest(from: "a1", to: "b1"), ordinal: 2)
        #expect(first.header.sourcePort == 40000 && third.header.sourcePort == 40002)
        #expect(first.header.destinationPort == 443)
    }

    @Test("R10.1: a subnet is associated with one network ACL")
    func oneACLPerSubnet() throws {
        var lab = Lab()
        lab.networkACLs = """
            network-acls:
              acl-1: {vpc: lab, subnets: [A]}
              acl-2: {vpc: lab, subnets: [A]}
            """
        let error = try #require(throws: ScenarioError.self) { try ScenarioLoader.load(lab.yaml, file: "lab.yaml") }
        #expect(error.description.contains("exactly one network ACL"))
    }

    @Test("R14.3: an internet-bound packet to a declared AWS range is labelled with the service")
    func serviceLabel() throws {
        var lab = Lab()
        lab.extra = "aws-public-ranges:\n  - {service: AMAZON, cidrs: [3.0.0.0/8]}\n  - {service: lambda, cidrs: [3.208.72.0/24]}"
        let result = try lab.classify(from: "a1", to: "3.208.72.9")
        #expect(result.hops.last?.kind == .awsService)
        #expect(result.hops.last?.resource.name == "Lambda us-east-1")  // the specific subset wins over AMAZON
        #expect(try lab.classify(from: "a1", to: "3.1.1.1").hops.last?.resource.name == "AMAZON us-east-1")
    }
}
