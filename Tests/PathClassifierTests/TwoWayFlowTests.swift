import PathClassifier
import PathCore
import Testing

/// §19.7: a flow is judged by its first packet and its reply.
@Suite("§19.7 two-way flows")
struct TwoWayFlowTests {
    /// Subnet A's network ACL: everything out, only TCP 443 in.
    static let only443In = """
        network-acls:
          acl-a:
            vpc: lab
            subnets: [A]
            ingress:
              - {rule: 100, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
            egress:
              - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}
        """

    @Test("R10.3, R19.7 / S15: a stateless ACL without ephemeral ports lets the request out and drops its reply")
    func statelessReplyDropped() throws {
        var lab = Lab()
        lab.networkACLs = Self.only443In
        let flow = try lab.flow(from: "a1", to: "8.8.8.8", port: 443)
        #expect(flow.request.reason == .igwDirect)
        #expect(flow.reply?.reason == .networkACLIngress)
        #expect(flow.reason == .networkACLIngress && flow.verdict == .dropped)
        #expect(flow.decisiveHop?.resource.name == "acl-a")
        // One way, the first packet alone says internet: what trace said before R19.7.
        let oneWay = try lab.flow(from: "a1", to: "8.8.8.8", port: 443, oneWay: true)
        #expect(oneWay.reply == nil && oneWay.reason == .igwDirect)
    }

    @Test("R10.3, R11.5: a reply from the internet through a NAT gateway meets the NAT subnet's inbound rules")
    func natSubnetInboundOnReply() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        // The NAT subnet lets in only what comes from the VPC: the request passes, the reply from 8.8.8.8 does not.
        lab.networkACLs = """
            network-acls:
              acl-p:
                vpc: lab
                subnets: [P]
                ingress:
                  - {rule: 100, action: allow, protocol: all, cidr: 10.0.0.0/16}
                egress:
                  - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}
            """
        let flow = try lab.flow(from: "a2", to: "8.8.8.8", port: 443)
        #expect(flow.request.reason == .igwViaNAT)
        #expect(flow.reason == .networkACLIngress)
        #expect(flow.decisiveHop?.resource.name == "acl-p")
        let hops = try #require(flow.reply?.hops)
        #expect(hops.map(\.kind) == [.internetGateway, .networkACLIngress])
    }

    @Test("R19.7: the reply to the internet through a NAT gateway is translated back and routed to the sender")
    func natReplyReturns() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        let flow = try lab.flow(from: "a2", to: "8.8.8.8", port: 443)
        #expect(flow.reason == .igwViaNAT)
        let kinds = try #require(flow.reply?.hops.map(\.kind))
        #expect(kinds == [.internetGateway, .networkACLIngress, .natGateway, .networkACLEgress, .routeTable, .networkACLIngress, .securityGroupIngress, .destination])
        #expect(flow.reply?.hops[2].detail.contains("10.0.1.20") == true)
    }

    @Test("R19.7: an instance with a public IP in a subnet whose default route is a NAT gateway is not reachable from the internet")
    func publicIPBehindNAT() throws {
        var lab = Lab()
        lab.aRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        let flow = try lab.flow(from: "198.51.100.9", to: "a1", port: 22)
        #expect(flow.request.reason == .igwInbound, "the request reaches a1 through its public IP")
        #expect(flow.reason == .asymmetricReturn, "the reply leaves through the NAT gateway with another source address")
        #expect(flow.reply?.hops.contains { $0.kind == .natGateway } == true)
        // With the internet gateway as the default route the reply goes back the way it came.
        #expect(try Lab().flow(from: "198.51.100.9", to: "a1", port: 22).reason == .igwInbound)
    }

    @Test("R8.1, R19.7: a private NAT gateway's destination sees the NAT address, and the reply returns through it")
    func privateNAT() throws {
        var lab = Lab()
        lab.natConnectivity = "connectivity: private"
        lab.aRoutes += "\n- {destination: 10.0.2.0/24, target: nat-1}"
        // B lets in the NAT subnet and refuses A: the request arrives from the NAT's address, so it passes.
        lab.networkACLs = """
            network-acls:
              acl-b:
                vpc: lab
                subnets: [B]
                ingress:
                  - {rule: 100, action: deny, protocol: all, cidr: 10.0.1.0/24}
                  - {rule: 110, action: allow, protocol: all, cidr: 10.0.0.0/16}
                egress:
                  - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}
            """
        let flow = try lab.flow(from: "a2", to: "b1", port: 443)
        #expect(flow.request.reason == .local)
        #expect(flow.reason == .local, "\(flow.reply?.text ?? "no reply")")
        let reply = try #require(flow.reply)
        #expect(reply.hops.contains { $0.kind == .natGateway && $0.detail.contains("back to 10.0.1.20") })
        #expect(reply.hops.last?.resource.name == "a2/eth0")
    }

    @Test("R19.7: an ICMP echo is answered by an echo reply; other ICMP messages get no reply walk")
    func icmp() throws {
        let echo = try Lab().flow(from: "a1", to: "b1", protocol: .icmp, icmpType: 8)
        #expect(echo.reply?.reason == .local)
        let unreachable = try Lab().flow(from: "a1", to: "b1", protocol: .icmp, icmpType: 3)
        #expect(unreachable.reply == nil && unreachable.reason == .local)
    }

    @Test("R19.7: a dropped request has no reply walk; the flow's reason is the request's")
    func droppedRequest() throws {
        let flow = try Lab().flow(from: "a2", to: "8.8.8.8")
        #expect(flow.reply == nil && flow.reason == .igwNoPublicIP)
    }
}
