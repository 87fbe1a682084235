import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import Testing
import VPCTopology

/// The baseline network of aws-semantics.md §17, as a scenario with insertion points, so each
/// test states only what it changes.
///
/// VPC 10.0.0.0/16 (+ 2600:1f18:aa00::/56) in us-east-1; subnet A 10.0.1.0/24 (AZ a), B
/// 10.0.2.0/24 (AZ b), P 10.0.0.0/24 (public, NAT gateway nat-1 with an EIP); igw-1 attached;
/// the S3 prefix list with 52.216.0.0/15 and 3.5.0.0/19; allow-all security groups; instances
/// `a1` (10.0.1.10, public 54.0.0.10), `a2` (10.0.1.20, no public IP) and `b1` (10.0.2.5).
struct Lab {
    var aRoutes = "- {destination: 0.0.0.0/0, target: igw-1}"
    var bRoutes = ""
    var pRoutes = "- {destination: 0.0.0.0/0, target: igw-1}"
    var aEgress = "- {protocol: all, destination: [0.0.0.0/0, \"::/0\"]}"
    var bIngress = "- {protocol: all, source: 0.0.0.0/0}"
    var natState = "available"
    var natConnectivity = "connectivity: public, public-ip: 3.0.0.1"
    var networkACLs = ""
    var endpoints = ""
    var extra = ""
    var extraInstances = ""
    var extraSecurityGroups = ""
    var extraPrefixLists = ""
    var extraRouteTables = ""
    var lambdas = ""

    var yaml: String {
        """
        version: 1
        region: us-east-1
        vpcs:
          lab: {cidrs: [10.0.0.0/16], ipv6-cidrs: ["2600:1f18:aa00::/56"]}
        prefix-lists:
          s3-list: {aws-service: s3, cidrs: [52.216.0.0/15, 3.5.0.0/19]}
          \(extraPrefixLists)
        internet-gateways:
          igw-1: {vpc: lab}
        subnets:
          A: {vpc: lab, az: us-east-1a, cidr: 10.0.1.0/24, ipv6-cidr: "2600:1f18:aa00:1::/64"}
          B: {vpc: lab, az: us-east-1b, cidr: 10.0.2.0/24}
          P: {vpc: lab, az: us-east-1a, cidr: 10.0.0.0/24}
        nat-gateways:
          nat-1: {subnet: P, private-ip: 10.0.0.100, \(natConnectivity), state: \(natState)}
        route-tables:
          rt-A:
            vpc: lab
            subnets: [A]
            routes:
              \(aRoutes.replacingOccurrences(of: "\n", with: "\n      "))
          rt-B:
            vpc: lab
            subnets: [B]
            routes:
              \(bRoutes.replacingOccurrences(of: "\n", with: "\n      "))
          rt-P:
            vpc: lab
            subnets: [P]
            routes:
              \(pRoutes.replacingOccurrences(of: "\n", with: "\n      "))
          \(extraRouteTables.replacingOccurrences(of: "\n", with: "\n  "))
        security-groups:
          sg-a:
            vpc: lab
            ingress: [{protocol: all, source: 0.0.0.0/0}]
            egress:
              \(aEgress.replacingOccurrences(of: "\n", with: "\n      "))
          sg-b:
            vpc: lab
            ingress:
              \(bIngress.replacingOccurrences(of: "\n", with: "\n      "))
          \(extraSecurityGroups.replacingOccurrences(of: "\n", with: "\n  "))
        instances:
          a1: {subnet: A, private-ip: 10.0.1.10, public-ip: 54.0.0.10, ipv6-addresses: ["2600:1f18:aa00:1::10"], security-groups: [sg-a]}
          a2: {subnet: A, private-ip: 10.0.1.20, security-groups: [sg-a]}
          b1: {subnet: B, private-ip: 10.0.2.5, security-groups: [sg-b]}
          \(extraInstances.replacingOccurrences(of: "\n", with: "\n  "))
        \(networkACLs)
        \(endpoints)
        \(lambdas)
        \(extra)
        """
    }

    /// Loads the scenario, failing the test with every diagnostic if it does not load.
    func topology() throws -> Topology {
        do {
            return try ScenarioLoader.load(yaml, file: "lab.yaml").0
        } catch {
            Issue.record("lab scenario did not load:\n\(error)\n---\n\(yaml)")
            throw error
        }
    }

    /// Classifies one flow as the CLI does: names resolved, then the reference walk.
    func classify(
        from: String, to: String, protocol number: IPProtocolNumber = .tcp, port: UInt16? = nil,
        family: AddressFamily = .ipv4, isReply: Bool = false
    ) throws -> Classification {
        let topology = try topology()
        let request = FlowRequest(from: from, to: to, protocolNumber: number, port: port, family: family)
        let flow = try NameResolver(topology: topology).resolve(request, ordinal: 0)
        return Classifier(topology: topology).classify(flow.header, from: flow.source, isReply: isReply)
    }
}

extension Lab {
    /// Classifies one flow both ways (R19.7), names resolved as the CLI does; a source outside the
    /// topology opens a connection from the internet.
    func flow(
        from: String, to: String, protocol number: IPProtocolNumber = .tcp, port: UInt16? = nil, icmpType: UInt8? = nil,
        family: AddressFamily = .ipv4, oneWay: Bool = false
    ) throws -> FlowClassification {
        let topology = try topology()
        let request = FlowRequest(from: from, to: to, protocolNumber: number, port: port, icmpType: icmpType, family: family)
        let resolver = NameResolver(topology: topology)
        if let inbound = resolver.resolveInbound(request, ordinal: 0) {
            return Classifier(topology: topology).classifyInboundFlow(inbound, oneWay: oneWay)
        }
        let flow = try resolver.resolve(request, ordinal: 0)
        return Classifier(topology: topology).classifyFlow(flow.header, from: flow.source, oneWay: oneWay)
    }
}

extension Classification {
    /// All hop details and notes, for assertions about explanations.
    var text: String { (hops.map { "\($0.kind.rawValue) \($0.resource) \($0.detail)" } + notes).joined(separator: "\n") }
}

extension Lab {
    /// The lab with an S3 gateway endpoint on rt-A and an S3 interface endpoint in subnet B with
    /// private DNS, whose answers stay public in the VPC when `onlyInbound` (R5.7).
    static func s3Endpoints(privateDNSOnlyForInboundResolver onlyInbound: Bool) -> Lab {
        var lab = Lab()
        lab.extraSecurityGroups = "vpce-sg: {vpc: lab, ingress: [{protocol: tcp, ports: 443, source: 10.0.0.0/16}]}"
        lab.endpoints = """
            endpoints:
              s3-gw: {type: gateway, service: s3, vpc: lab, route-tables: [rt-A]}
              s3-if:
                type: interface
                service: s3
                vpc: lab
                subnets: {B: 10.0.2.201}
                security-groups: [vpce-sg]
                private-dns: true
                private-dns-only-for-inbound-resolver: \(onlyInbound)
            """
        return lab
    }
}
