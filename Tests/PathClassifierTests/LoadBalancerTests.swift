import PathClassifier
import PathCore
import Testing

/// §19.3: Network Load Balancers.
@Suite("§19.3 Network Load Balancers")
struct LoadBalancerTests {
    /// An internal NLB with nodes in A (zone a, 10.0.1.50) and B (zone b, 10.0.2.50), no security
    /// groups, a TCP 80 listener to `web` (b1 on 8080).
    static func balancer(
        _ extra: String = "", groupExtra: String = "", targets: String = "[b1]", listeners: String = "[{protocol: tcp, port: 80, target-group: web}]"
    ) -> String {
        """
        load-balancers:
          nlb:
            vpc: lab
            nodes: {A: 10.0.1.50, B: 10.0.2.50}
            listeners: \(listeners)
            target-groups:
              web: {port: 8080, targets: \(targets)\(groupExtra)}
            \(extra)
        """
    }

    @Test("R19.3: client → node of its zone → instance target, which sees the client's address; the reply returns through the node")
    func instanceTarget() throws {
        var lab = Lab()
        lab.extra = Self.balancer()
        // b1 admits a1 alone: client IP preservation is on for instance targets.
        lab.bIngress = "- {protocol: tcp, ports: 8080, source: 10.0.1.10/32}"
        let flow = try lab.flow(from: "a1", to: "10.0.2.50", port: 80)
        #expect(flow.request.reason == .local, "\(flow.request.text)")
        let balancerHop = try #require(flow.request.hops.first { $0.kind == .loadBalancer })
        #expect(balancerHop.detail.contains("10.0.2.5 port 8080") && balancerHop.detail.contains("seen from 10.0.1.10"))
        #expect(flow.request.hops.last?.kind == .destination && flow.request.hops.last?.resource.name == "b1/eth0")
        let reply = try #require(flow.reply)
        #expect(reply.reason == .local, "\(reply.text)")
        #expect(reply.hops.first?.resource.name == "b1/eth0")
        #expect(reply.hops.contains { $0.kind == .loadBalancer && $0.detail.contains("translates the reply back") })
        #expect(flow.verdict == .private)
    }

    @Test("R19.3: an NLB without security groups lets all client traffic in; with one, its inbound rules filter clients")
    func securityGroupsOrNone() throws {
        var lab = Lab()
        lab.extra = Self.balancer()
        let open = try lab.classify(from: "a1", to: "10.0.2.50", port: 80)
        #expect(open.reason == .local, "\(open.text)")
        #expect(open.hops.contains { $0.kind == .securityGroupIngress && $0.detail.contains("has no security groups") })
        lab.extraSecurityGroups = """
            sg-nlb:
              vpc: lab
              ingress: [{protocol: tcp, ports: 80, source: 10.0.2.0/24}]
            """
        lab.extra = Self.balancer("security-groups: [sg-nlb]")
        let filtered = try lab.classify(from: "a1", to: "10.0.2.50", port: 80)
        #expect(filtered.reason == .securityGroupIngress, "\(filtered.text)")
        #expect(filtered.decisiveHop?.resource.name == "nlb/B" && filtered.decisiveHop?.detail.contains("no inbound rule") == true)
    }

    @Test("R19.3: IP targets over TCP see the node's address: a target group that admits the client's CIDR drops it")
    func ipTargetSeesNode() throws {
        var lab = Lab()
        lab.bIngress = "- {protocol: tcp, ports: 8080, source: 10.0.1.0/24}"
        lab.extra = Self.balancer(groupExtra: ", target-type: ip", targets: "[10.0.2.5]")
        let dropped = try lab.classify(from: "a1", to: "10.0.2.50", port: 80)
        #expect(dropped.reason == .securityGroupIngress, "\(dropped.text)")
        #expect(dropped.hops.last?.detail.contains("from 10.0.2.50") == true)
        // preserve_client_ip.enabled overrides the default.
        lab.extra = Self.balancer(groupExtra: ", target-type: ip, preserve-client-ip: true", targets: "[10.0.2.5]")
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", port: 80).reason == .local)
    }

    @Test("R19.3: a target group rule referencing the NLB's security group admits clients whose address is preserved")
    func referenceToBalancerGroup() throws {
        var lab = Lab()
        lab.extraSecurityGroups = """
            sg-nlb:
              vpc: lab
              ingress: [{protocol: tcp, ports: 80, source: 10.0.0.0/16}]
            """
        lab.bIngress = "- {protocol: tcp, ports: 8080, source: sg-nlb}"
        lab.extra = Self.balancer("security-groups: [sg-nlb]")
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", port: 80).reason == .local)
        // Straight to the target, the reference does not match a1.
        #expect(try lab.classify(from: "a1", to: "10.0.2.5", port: 8080).reason == .securityGroupIngress)
    }

    @Test("R19.3: cross-zone load balancing is off by default: a node with no target in its zone drops; on, it forwards")
    func crossZone() throws {
        var lab = Lab()
        lab.extra = Self.balancer()
        let noTarget = try lab.classify(from: "a1", to: "10.0.1.50", port: 80)
        #expect(noTarget.reason == .lbNoTarget, "\(noTarget.text)")
        #expect(noTarget.decisiveHop?.detail.contains("cross-zone load balancing is off") == true)
        lab.extra = Self.balancer("cross-zone: true")
        #expect(try lab.classify(from: "a1", to: "10.0.1.50", port: 80).reason == .local)
        lab.extra = Self.balancer(targets: "[]")
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", port: 80).reason == .lbNoTarget)
        // A target group's own setting overrides the load balancer's.
        lab.extra = Self.balancer("cross-zone: true", groupExtra: ", cross-zone: false")
        #expect(try lab.classify(from: "a1", to: "10.0.1.50", port: 80).reason == .lbNoTarget)
        lab.extra = Self.balancer(groupExtra: ", cross-zone: true")
        #expect(try lab.classify(from: "a1", to: "10.0.1.50", port: 80).reason == .local)
    }

    @Test("R19.3: no listener for the protocol and port drops; UDP needs a UDP or TCP_UDP listener")
    func listeners() throws {
        var lab = Lab()
        lab.extra = Self.balancer()
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", port: 81).reason == .lbNoListener)
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", protocol: .udp, port: 80).reason == .lbNoListener)
        lab.extra = Self.balancer(listeners: "[{protocol: tcp-udp, port: 80, target-group: web}]")
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", protocol: .udp, port: 80).reason == .local)
        // Addressed to the node on no port at all (ICMP): no listener.
        #expect(try lab.classify(from: "a1", to: "10.0.2.50", protocol: .icmp).reason == .lbNoListener)
    }

    @Test("R19.3: healthy targets first; with none healthy, traffic fails open to the others")
    func health() throws {
        var lab = Lab()
        lab.extraInstances = "b2: {subnet: B, private-ip: 10.0.2.6, security-groups: [sg-b]}"
        lab.extra = Self.balancer(targets: "[{instance: b1, health: unhealthy}, b2]")
        let healthy = try lab.classify(from: "a1", to: "10.0.2.50", port: 80)
        #expect(healthy.hops.last?.resource.name == "b2/eth0", "\(healthy.text)")
        lab.extra = Self.balancer(targets: "[{instance: b1, health: unhealthy}, {instance: b2, health: unused, port: 9000}]")
        let failOpen = try lab.classify(from: "a1", to: "10.0.2.50", port: 80)
        #expect(failOpen.reason == .local && failOpen.hops.last?.resource.name == "b1/eth0", "\(failOpen.text)")
    }

    @Test("R19.3: the reply leaves the target through its subnet's outbound network ACL, whatever its route table says")
    func replyMeetsTargetACL() throws {
        var lab = Lab()
        lab.extra = Self.balancer()
        lab.networkACLs = """
            network-acls:
              acl-b:
                vpc: lab
                subnets: [B]
                ingress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
                egress: [{rule: 100, action: allow, protocol: tcp, ports: 8080, cidr: 0.0.0.0/0}]
            """
        // The client is in A, the node and target in B: the request crosses acl-b inbound only.
        let flow = try lab.flow(from: "a1", to: "10.0.2.50", port: 80)
        #expect(flow.request.reason == .local)
        #expect(flow.reason == .networkACLEgress && flow.decisiveHop?.resource.name == "acl-b", "\(flow.reply?.text ?? "")")
    }

    @Test("R19.3: an internet-facing NLB takes internet clients at its public address to a target in a private subnet, and its reply leaves without a NAT gateway")
    func internetFacing() throws {
        var lab = Lab()
        lab.extra = """
            load-balancers:
              edge:
                vpc: lab
                scheme: internet-facing
                nodes: {P: {private-ip: 10.0.0.50, public-ip: 3.0.0.50}}
                cross-zone: true
                listeners: [{protocol: tcp, port: 443, target-group: app}]
                target-groups:
                  app: {port: 8443, targets: [b1]}
            """
        let flow = try lab.flow(from: "198.51.100.7", to: "3.0.0.50", port: 443)
        #expect(flow.request.reason == .igwInbound, "\(flow.request.text)")
        #expect(flow.request.hops.last?.resource.name == "b1/eth0")
        let reply = try #require(flow.reply)
        #expect(reply.reason == .igwDirect, "\(reply.text)")
        #expect(reply.hops.last?.kind == .internetGateway && reply.hops.last?.detail.contains("3.0.0.50") == true, "the node's public address")
        #expect(flow.reason == .igwInbound)
        // The internal scheme has no public address to be reached at.
        lab.extra = Self.balancer()
        #expect(try lab.flow(from: "198.51.100.7", to: "10.0.2.50", port: 80).reason == .igwNotPublicTarget)
    }

    @Test("R19.3: the load balancer's name resolves to its node in the client's zone")
    func nameResolves() throws {
        var lab = Lab()
        lab.extra = Self.balancer("cross-zone: true")
        let flow = try lab.classify(from: "a1", to: "nlb", port: 80)
        #expect(flow.hops.contains { $0.kind == .loadBalancer && $0.resource.name == "nlb" })
        #expect(flow.hops.contains { $0.resource.name == "nlb/A" }, "a1 is in zone a: the A node answers")
    }

    @Test("R19.3: packets of a capture, each alone: the node's packet to the target, and the target's answer to the node, are delivered")
    func capturePackets() throws {
        var lab = Lab()
        lab.extra = Self.balancer(groupExtra: ", target-type: ip", targets: "[10.0.2.5]")
        // What a mirror on b1 sees: 10.0.2.50 → 10.0.2.5:8080 and the answer back.
        let toTarget = try lab.classify(from: "10.0.2.50", to: "10.0.2.5", port: 8080)
        #expect(toTarget.reason == .local, "\(toTarget.text)")
        let answer = try lab.classify(from: "b1", to: "10.0.2.50", port: 40000, isReply: true)
        #expect(answer.reason == .local && answer.hops.last?.kind == .loadBalancer, "\(answer.text)")
    }
}
