import Foundation
import PathClassifier
import PathCore
import Testing
import VPCTopology

/// §4 gateway endpoints and §5 interface endpoints.
@Suite("§4–§5 VPC endpoints")
struct EndpointRuleTests {
    static let gateway = """
        endpoints:
          s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A]}
        """

    /// S12: a Lambda interface endpoint in B with private DNS; its SG allows 443 from the VPC.
    static func interfaceLab(endpointSG: String = "[{protocol: tcp, ports: 443, source: 10.0.0.0/16}]", extra: String = "")
        -> Lab
    {
        var lab = Lab()
        lab.extraSecurityGroups = "vpce-sg: {vpc: lab, ingress: \(endpointSG)}"
        lab.endpoints = """
            endpoints:
              lambda-if:
                type: interface
                service: lambda
                vpc: lab
                subnets: {B: 10.0.2.200}
                security-groups: [vpce-sg]
                private-dns: true
            \(extra)
            """
        lab.extra = "aws-public-ranges:\n  - {service: lambda, cidrs: [3.208.72.0/24]}"
        return lab
    }

    @Test("R4.2 / R4.3: the endpoint route names pl- → vpce-")
    func gatewayEndpointRoute() throws {
        var lab = Lab()
        lab.endpoints = Self.gateway
        let result = try lab.classify(from: "a1", to: "s3")
        #expect(result.reason == .gatewayEndpoint)
        let route = try #require(result.hops.first { $0.kind == .routeTable })
        #expect(route.detail.contains("pl-") && route.detail.contains("→ vpce-"))
        #expect(result.hops.contains { $0.kind == .gatewayEndpoint && $0.resource.id.hasPrefix("vpce-") })
    }

    @Test("R4.2: subnets whose table lacks the endpoint route do not use it")
    func endpointOnlyForListedTables() throws {
        var lab = Lab()
        lab.endpoints = Self.gateway
        lab.bRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        #expect(try lab.classify(from: "b1", to: "s3").reason == .igwViaNAT)
    }

    @Test("R4.7 / S5: a gateway endpoint refuses UDP")
    func gatewayEndpointUDP() throws {
        var lab = Lab()
        lab.endpoints = Self.gateway
        #expect(try lab.classify(from: "a1", to: "52.217.1.1", protocol: .udp, port: 443).reason == .gatewayEndpointProtocol)
    }

    @Test("R4.7: a gateway endpoint accepts ICMP echo")
    func gatewayEndpointEcho() throws {
        var lab = Lab()
        lab.endpoints = Self.gateway
        #expect(try lab.classify(from: "a1", to: "52.217.1.1", protocol: .icmp).reason == .gatewayEndpoint)
    }

    @Test("R4.8 / R9.5: security-group egress still applies; the S3 prefix list may be its destination")
    func gatewayEndpointSecurityGroup() throws {
        var lab = Lab()
        lab.endpoints = Self.gateway
        lab.aEgress = "- {protocol: tcp, ports: 443, destination: s3-list}"
        #expect(try lab.classify(from: "a1", to: "s3").reason == .gatewayEndpoint)
        #expect(try lab.classify(from: "a1", to: "s3", port: 80).reason == .securityGroupEgress)
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .securityGroupEgress)
    }

    @Test("R5.5: an endpoint that is not available forwards nothing")
    func gatewayEndpointPending() throws {
        var lab = Lab()
        lab.endpoints = """
            endpoints:
              s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A], state: pending}
            """
        #expect(try lab.classify(from: "a1", to: "s3").reason == .endpointNotAvailable)
    }

    @Test("R5.1 / R5.2 / R5.6 / S12: private DNS sends the service name to the endpoint ENI")
    func interfaceEndpoint() throws {
        let topology = try Self.interfaceLab().topology()
        let resolver = NameResolver(topology: topology)
        let flow = try resolver.resolve(FlowRequest(from: "a1", to: "lambda"), ordinal: 0)
        #expect(flow.header.destination == IPAddress("10.0.2.200"))
        #expect(flow.dnsAnswer?.contains("private DNS") == true)
        let result = Classifier(topology: topology).classify(flow.header, from: flow.source)
        #expect(result.reason == .interfaceEndpoint)
        #expect(result.hops.contains { $0.kind == .securityGroupIngress && $0.resource.name == "vpce-sg" })
    }

    @Test("R5.6: with private DNS off, the service name resolves to public addresses")
    func privateDNSOff() throws {
        var lab = Self.interfaceLab()
        lab.endpoints = lab.endpoints.replacingOccurrences(of: "private-dns: true", with: "private-dns: false")
        let result = try lab.classify(from: "a1", to: "lambda")
        #expect(result.reason == .igwDirect)
    }

    @Test("R5.6: private DNS needs enableDnsHostnames")
    func privateDNSNeedsHostnames() throws {
        var lab = Self.interfaceLab()
        lab.extra += "\n"
        let yaml = lab.yaml.replacingOccurrences(
            of: "lab: {cidrs: [10.0.0.0/16], ipv6-cidrs: [\"2600:1f18:aa00::/56\"]}",
            with: "lab: {cidrs: [10.0.0.0/16], ipv6-cidrs: [\"2600:1f18:aa00::/56\"], dns-hostnames: false}")
        let topology = try ScenarioLoaderSupport.load(yaml)
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "lambda"), ordinal: 0)
        #expect(flow.header.destination == IPAddress("3.208.72.1"))
    }

    @Test("R5.2 / S13: an endpoint security group without inbound rules drops")
    func interfaceEndpointNoIngress() throws {
        #expect(try Self.interfaceLab(endpointSG: "[]").classify(from: "a1", to: "lambda").reason == .securityGroupIngress)
    }

    @Test("R5.4 / S14: an interface endpoint carries TCP only")
    func interfaceEndpointUDP() throws {
        let result = try Self.interfaceLab().classify(from: "a1", to: "10.0.2.200", protocol: .udp, port: 443)
        #expect(result.reason == .endpointProtocol)
    }

    @Test("R5.3: an endpoint ENI cannot initiate connections")
    func endpointCannotInitiate() throws {
        let topology = try Self.interfaceLab().topology()
        let packet = PacketHeader(
            source: IPAddress("10.0.2.200")!, destination: IPAddress("10.0.1.10")!, protocolNumber: .tcp, sourcePort: 443,
            destinationPort: 40000)
        let classifier = Classifier(topology: topology)
        #expect(classifier.classify(packet).reason == .endpointCannotInitiate)
        #expect(classifier.classify(packet, isReply: true).reason == .local)
    }

    @Test("R5.7: S3 private DNS only for inbound Resolver endpoints keeps in-VPC answers public")
    func s3InboundResolverOnly() throws {
        #expect(try Lab.s3Endpoints(privateDNSOnlyForInboundResolver: true).classify(from: "a1", to: "s3").reason == .gatewayEndpoint)
        #expect(try Lab.s3Endpoints(privateDNSOnlyForInboundResolver: false).classify(from: "a1", to: "s3").reason == .interfaceEndpoint)
    }
}
