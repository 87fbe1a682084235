import CaptureReplay
import Foundation
import PathClassifier
import PathCore
import Testing
import VPCTopology

/// §9 security groups, §10 network ACLs, §11 evaluation order, §13 addresses.
@Suite("§9–§11, §13 filters, order and addresses")
struct FilterRuleTests {
    @Test("R9.1: traffic is allowed if any rule of any attached group matches")
    func unionOfGroups() throws {
        var lab = Lab()
        lab.extraSecurityGroups = "sg-ssh: {vpc: lab, ingress: [{protocol: tcp, ports: 22, source: 10.0.1.0/24}]}"
        lab.bIngress = "- {protocol: tcp, ports: 443, source: 10.0.0.0/16}"
        lab.extraInstances = "b2: {subnet: B, private-ip: 10.0.2.6, security-groups: [sg-b, sg-ssh]}"
        #expect(try lab.classify(from: "a1", to: "b2", port: 22).reason == .local)
        #expect(try lab.classify(from: "a1", to: "b2", port: 443).reason == .local)
        let denied = try lab.classify(from: "a1", to: "b2", port: 8080)
        #expect(denied.reason == .securityGroupIngress)
        #expect(denied.hops.last?.detail.contains("tcp 8080 from 10.0.1.10") == true)
    }

    @Test("R9.1: a group with no outbound rules allows nothing out")
    func noEgressRules() throws {
        var lab = Lab()
        lab.aEgress = ""
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .securityGroupEgress)
    }

    @Test("R9.2: a reply passes security groups by connection state")
    func statefulReply() throws {
        var lab = Lab()
        lab.bIngress = ""
        #expect(try lab.classify(from: "a1", to: "b1").reason == .securityGroupIngress)
        let reply = try lab.classify(from: "a1", to: "b1", isReply: true)
        #expect(reply.reason == .local)
        #expect(reply.text.contains("R9.2"))
    }

    @Test("R9.4: a security-group reference matches private IPs of members only")
    func groupReference() throws {
        var lab = Lab()
        lab.bIngress = "- {protocol: tcp, ports: 5432, source: sg-a}"
        #expect(try lab.classify(from: "a2", to: "b1", port: 5432).reason == .local)
        lab.extraInstances = "a3: {subnet: A, private-ip: 10.0.1.30, security-groups: [sg-b]}"
        #expect(try lab.classify(from: "a3", to: "b1", port: 5432).reason == .securityGroupIngress)
    }

    @Test("R9.3: ICMP rules match on type")
    func icmpType() throws {
        var lab = Lab()
        lab.bIngress = "- {protocol: icmp, icmp-type: 8, source: 10.0.0.0/16}"
        #expect(try lab.classify(from: "a1", to: "b1", protocol: .icmp).reason == .local)
        #expect(try lab.classify(from: "a1", to: "b1", protocol: .udp, port: 53).reason == .securityGroupIngress)
    }

    static let subnetACL = """
        network-acls:
          acl-a:
            vpc: lab
            subnets: [A]
            ingress:
              - {rule: 100, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
            egress:
              - {rule: 90, action: deny, protocol: tcp, ports: 25, cidr: 0.0.0.0/0}
              - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}
              - {rule: 110, action: deny, protocol: udp, ports: 53, cidr: 0.0.0.0/0}
        """

    @Test("R10.2: rules are evaluated in ascending order, first match wins")
    func firstMatchWins() throws {
        var lab = Lab()
        lab.networkACLs = Self.subnetACL
        let mail = try lab.classify(from: "a1", to: "8.8.8.8", port: 25)
        #expect(mail.reason == .networkACLEgress)
        #expect(mail.hops.last?.detail.hasPrefix("rule 90 deny") == true)
        // Rule 100 allows before rule 110 could deny.
        #expect(try lab.classify(from: "a1", to: "8.8.8.8", protocol: .udp, port: 53).reason == .igwDirect)
    }

    @Test("R10.2: a packet no numbered rule matches hits the * rule")
    func implicitDeny() throws {
        var lab = Lab()
        lab.networkACLs = Self.subnetACL
        let result = try lab.classify(from: "a1", to: "2600::1", family: .ipv6)
        #expect(result.reason == .networkACLEgress)
        #expect(result.hops.last?.detail.contains("rule *") == true)
    }

    @Test("R10.3 / S15: network ACLs are stateless: a reply is checked again")
    func statelessReply() throws {
        var lab = Lab()
        lab.networkACLs = Self.subnetACL
        // b1 answers a1 on its ephemeral port: A's inbound ACL allows only 443.
        let reply = try lab.classify(from: "b1", to: "a1", port: 50000, isReply: true)
        #expect(reply.reason == .networkACLIngress)
    }

    @Test("R10.4 / R1.14 / S16: no route table or ACL between two interfaces of one subnet")
    func sameSubnet() throws {
        var lab = Lab()
        lab.networkACLs = Self.subnetACL
        lab.aRoutes = ""
        let result = try lab.classify(from: "a1", to: "a2", port: 22)
        #expect(result.reason == .local)
        #expect(!result.hops.contains { $0.kind == .routeTable || $0.kind == .networkACLEgress || $0.kind == .networkACLIngress })
    }

    @Test("R10.5: the default ACL allows IPv6 only when the VPC has an IPv6 block")
    func defaultACLIPv6() throws {
        let topology = try Lab().topology()
        let acl = topology[try #require(topology.vpcs.first?.defaultNetworkACL)]
        #expect(acl.ingress.map(\.ruleNumber) == [100, 101])
        let v4Only = try ScenarioLoaderSupport.load(
            Lab().yaml.replacingOccurrences(of: ", ipv6-cidrs: [\"2600:1f18:aa00::/56\"]", with: "")
                .replacingOccurrences(of: ", ipv6-cidr: \"2600:1f18:aa00:1::/64\"", with: "")
                .replacingOccurrences(of: ", ipv6-addresses: [\"2600:1f18:aa00:1::10\"]", with: ""))
        #expect(v4Only[try #require(v4Only.vpcs.first?.defaultNetworkACL)].ingress.map(\.ruleNumber) == [100])
    }

    @Test("R11.1: security groups are checked before network ACLs, ACLs before routes")
    func evaluationOrder() throws {
        var lab = Lab()
        lab.networkACLs = Self.subnetACL
        lab.aEgress = "- {protocol: tcp, ports: 443, destination: 0.0.0.0/0}"
        #expect(try lab.classify(from: "a1", to: "8.8.8.8", port: 25).reason == .securityGroupEgress)
        lab.aEgress = "- {protocol: all, destination: 0.0.0.0/0}"
        lab.aRoutes = ""
        #expect(try lab.classify(from: "a1", to: "8.8.8.8", port: 25).reason == .networkACLEgress)
        #expect(try lab.classify(from: "a1", to: "8.8.8.8").reason == .noRoute)
    }

    @Test("R1.10 / R9.7 / R13.3 / S29: the Resolver answers whatever security groups say")
    func resolver() throws {
        var lab = Lab()
        lab.aEgress = ""
        #expect(try lab.classify(from: "a1", to: "169.254.169.253", protocol: .udp, port: 53).reason == .awsDNS)
        #expect(try lab.classify(from: "a1", to: "10.0.0.2", protocol: .udp, port: 53).reason == .awsDNS)
        #expect(try lab.classify(from: "a1", to: "169.254.169.254", port: 80).reason == .awsLinkLocal)
        #expect(try lab.classify(from: "a1", to: "169.254.168.9", port: 80).reason == .reservedAddress)
    }

    @Test("R13.3: without enableDnsSupport the Resolver does not answer")
    func resolverDisabled() throws {
        let yaml = Lab().yaml.replacingOccurrences(of: "ipv6-cidrs: [\"2600:1f18:aa00::/56\"]}", with: "ipv6-cidrs: [\"2600:1f18:aa00::/56\"], dns-support: false}")
        let topology = try ScenarioLoaderSupport.load(yaml)
        let packet = PacketHeader(source: IPAddress("10.0.1.10")!, destination: IPAddress("10.0.0.2")!, protocolNumber: .udp, sourcePort: 40000, destinationPort: 53)
        #expect(Classifier(topology: topology).classify(packet).reason == .dnsDisabled)
    }

    @Test("R13.1: the subnet's reserved addresses are never delivered")
    func reservedAddresses() throws {
        for address in ["10.0.2.0", "10.0.2.1", "10.0.2.3", "10.0.2.255"] {
            #expect(try Lab().classify(from: "a1", to: address).reason == .reservedAddress, "\(address)")
        }
    }

    static func applianceLab(sourceDestCheck: Bool) -> Lab {
        var lab = Lab()
        lab.extraInstances = "fw: {subnet: P, private-ip: 10.0.0.50, source-dest-check: \(sourceDestCheck), security-groups: [sg-b]}"
        lab.aRoutes += "\n- {destination: 10.0.2.0/24, target: fw}"
        return lab
    }

    @Test("R1.8 / R13.2 / S17: an appliance with source/destination check on drops transit traffic")
    func applianceSourceDestCheck() throws {
        #expect(try Self.applianceLab(sourceDestCheck: true).classify(from: "a1", to: "b1").reason == .sourceDestCheck)
    }

    @Test("R1.8 / R2.6 / S18, R19.5: an appliance with the check off receives the traffic and forwards it on to its destination")
    func appliance() throws {
        let result = try Self.applianceLab(sourceDestCheck: false).classify(from: "a1", to: "b1")
        #expect(result.reason == .local)
        #expect(result.notes.contains { $0.hasPrefix("MORE_SPECIFIC_ROUTE") })
        let forwarded = try #require(result.hops.firstIndex { $0.detail.contains("forwards the packet unchanged") })
        #expect(result.hops[forwarded].resource.name == "fw/eth0")
        // After the appliance: its own security groups outbound, its subnet's route table, then b1.
        #expect(result.hops[(forwarded + 1)...].map(\.kind) == [.securityGroupEgress, .networkACLEgress, .routeTable, .networkACLIngress, .securityGroupIngress, .destination])
        #expect(result.hops.last?.resource.name == "b1/eth0")
    }

    @Test("R11.1: a source address no interface owns is reported, not guessed")
    func unknownSource() throws {
        let topology = try Lab().topology()
        let packet = PacketHeader(source: IPAddress("192.0.2.1")!, destination: IPAddress("10.0.1.10")!, protocolNumber: .tcp, sourcePort: 1, destinationPort: 2)
        #expect(Classifier(topology: topology).classify(packet).reason == .unknownSource)
    }
}

@Suite("Capture state")
struct CaptureStateTests {
    static func packet(_ source: String, _ destination: String, sourcePort: UInt16 = 40000, destinationPort: UInt16 = 443) -> PacketHeader {
        PacketHeader(source: IPAddress(source)!, destination: IPAddress(destination)!, protocolNumber: .tcp, sourcePort: sourcePort, destinationPort: destinationPort)
    }

    @Test("R9.2 / R10.3: a reply from the internet passes the SG by state but meets the subnet ACL")
    func replyFromInternet() throws {
        var lab = Lab()
        lab.networkACLs = FilterRuleTests.subnetACL  // A inbound: only tcp 443
        let state = CaptureClassifier(topology: try lab.topology())
        #expect(state.classify(Self.packet("10.0.1.10", "8.8.8.8")).reason == .igwDirect)
        let reply = state.classify(Self.packet("8.8.8.8", "10.0.1.10", sourcePort: 443, destinationPort: 40000))
        #expect(reply.reason == .networkACLIngress)
    }

    @Test("R7.4 / R11.4: a new connection from the internet needs a public IP")
    func inbound() throws {
        let state = CaptureClassifier(topology: try Lab().topology())
        #expect(state.classify(Self.packet("198.51.100.7", "10.0.1.10", destinationPort: 22)).reason == .igwInbound)
        #expect(state.classify(Self.packet("198.51.100.7", "10.0.1.20", destinationPort: 22)).reason == .igwNotPublicTarget)
        #expect(state.classify(Self.packet("198.51.100.7", "10.0.2.5", destinationPort: 22)).reason == .igwNotPublicTarget)
    }

    @Test("an ICMP echo request the other way is not a reply")
    func icmpDirections() throws {
        var lab = Lab()
        lab.bIngress = "- {protocol: icmp, source: 10.0.0.0/16}"
        let state = CaptureClassifier(topology: try lab.topology())
        func echo(_ s: String, _ d: String, _ type: UInt8) -> PacketHeader {
            PacketHeader(source: IPAddress(s)!, destination: IPAddress(d)!, protocolNumber: .icmp, icmpType: type, icmpCode: 0)
        }
        #expect(state.classify(echo("10.0.1.10", "10.0.2.5", 8)).reason == .local)
        #expect(state.classify(echo("10.0.2.5", "10.0.1.10", 0)).reason == .local)  // the reply
        // a1's group allows all inbound here; b1 → a1 as a new request is walked, not taken as a reply.
        let request = state.classify(echo("10.0.2.5", "10.0.1.10", 8))
        #expect(request.hops.contains { $0.kind == .securityGroupEgress && !$0.detail.contains("R9.2") })
    }

    @Test("R13.2: transit frames at a capture point with source/destination check on are dropped")
    func capturePoint() throws {
        var lab = Lab()
        lab.extraInstances = "fw: {subnet: P, private-ip: 10.0.0.50, security-groups: [sg-b]}"
        let topology = try lab.topology()
        let fw = try NameResolver(topology: topology).source("fw").interface
        let on = CaptureClassifier(topology: topology, capturePoint: fw)
        #expect(on.classify(Self.packet("10.0.1.10", "10.0.2.5")).reason == .sourceDestCheck)
        var off = lab
        off.extraInstances = "fw: {subnet: P, private-ip: 10.0.0.50, security-groups: [sg-b], source-dest-check: false}"
        let offTopology = try off.topology()
        let state = CaptureClassifier(topology: offTopology, capturePoint: try NameResolver(topology: offTopology).source("fw").interface)
        #expect(state.classify(Self.packet("10.0.1.10", "10.0.2.5")).reason == .local)
    }

    @Test("later fragments take the first fragment's verdict")
    func fragments() throws {
        let state = CaptureClassifier(topology: try Lab().topology())
        let first = state.classify(Self.packet("10.0.1.20", "8.8.8.8"), fragment: (7, true))
        #expect(first.reason == .igwNoPublicIP)
        #expect(state.classify(Self.packet("10.0.1.20", "8.8.8.8"), fragment: (7, false)).reason == .igwNoPublicIP)
        #expect(state.classify(Self.packet("10.0.1.20", "8.8.8.8"), fragment: (8, false)).reason == .fragmentWithoutFirst)
    }
}
