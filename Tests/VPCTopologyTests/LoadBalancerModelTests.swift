import PathCore
import Testing
import VPCTopology

/// The load balancer model's own rules (R19.3): listeners by protocol and port, client IP
/// preservation defaults, eligible targets by zone and health.
@Suite("Load balancer model")
struct LoadBalancerModelTests {
    static func balancer(crossZone: Bool = false, targets: [LoadBalancer.Target]) -> LoadBalancer {
        var balancer = LoadBalancer(label: ResourceLabel(id: "net/nlb/1"), vpc: VPCIndex(0))
        balancer.crossZone = crossZone
        balancer.targetGroups = [LoadBalancer.TargetGroup(label: ResourceLabel(id: "tg"), targetType: .ip, port: 80, targets: targets)]
        balancer.listeners = [LoadBalancer.Listener(listenerProtocol: .tcpUDP, port: 53, targetGroup: 0), LoadBalancer.Listener(listenerProtocol: .tls, port: 443, targetGroup: 0)]
        return balancer
    }

    static func target(_ address: String, _ health: LoadBalancer.Target.Health = .healthy) -> LoadBalancer.Target {
        LoadBalancer.Target(kind: .ip(IPAddress(address)!), health: health)
    }

    /// Zones of the test targets: 10.0.1.x in a, 10.0.2.x in b, others outside the VPC.
    static func zone(_ target: LoadBalancer.Target) -> String? {
        guard case .ip(let address) = target.kind else { return nil }
        if (try? IPPrefix.parse("10.0.1.0/24").get())?.contains(address) == true { return "a" }
        if (try? IPPrefix.parse("10.0.2.0/24").get())?.contains(address) == true { return "b" }
        return nil
    }

    @Test("a listener takes its protocol and port only; TCP_UDP both, TLS is TCP")
    func listeners() {
        let balancer = Self.balancer(targets: [])
        #expect(balancer.listener(for: .udp, port: 53) != nil && balancer.listener(for: .tcp, port: 53) != nil)
        #expect(balancer.listener(for: .tcp, port: 443) != nil && balancer.listener(for: .udp, port: 443) == nil)
        #expect(balancer.listener(for: .tcp, port: 80) == nil && balancer.listener(for: .icmp, port: 53) == nil)
    }

    @Test("client IP preservation: on for instance targets and UDP, off for IP targets over TCP and TLS, unless set")
    func preservation() {
        var group = LoadBalancer.TargetGroup(label: ResourceLabel(id: "tg"), targetType: .ip, port: 80)
        #expect(!group.preservesClientIP(over: .tcp) && !group.preservesClientIP(over: .tls))
        #expect(group.preservesClientIP(over: .udp) && group.preservesClientIP(over: .tcpUDP))
        group.targetType = .instance
        #expect(group.preservesClientIP(over: .tcp))
        group.preserveClientIP = false
        #expect(!group.preservesClientIP(over: .udp))
    }

    @Test("eligible targets: the node's zone unless cross-zone (the group's setting first), targets outside the VPC from any zone, healthy first, else all")
    func eligibility() {
        let targets = [Self.target("10.0.1.5"), Self.target("10.0.2.5"), Self.target("192.168.9.9", .unhealthy)]
        var balancer = Self.balancer(targets: targets)
        var eligible = balancer.eligibleTargets(of: balancer.targetGroups[0], nodeZone: "a", zone: Self.zone)
        #expect(eligible == [targets[0]], "zone a's healthy target; the unhealthy outside one waits")
        balancer.crossZone = true
        eligible = balancer.eligibleTargets(of: balancer.targetGroups[0], nodeZone: "a", zone: Self.zone)
        #expect(eligible == [targets[0], targets[1]])
        balancer.targetGroups[0].crossZone = false
        eligible = balancer.eligibleTargets(of: balancer.targetGroups[0], nodeZone: "b", zone: Self.zone)
        #expect(eligible == [targets[1]])
        // Fail-open: no healthy target in reach, so the unhealthy ones in reach take traffic.
        let sick = Self.balancer(targets: [Self.target("10.0.1.5", .unhealthy), Self.target("10.0.2.5", .unused)])
        #expect(sick.eligibleTargets(of: sick.targetGroups[0], nodeZone: "a", zone: Self.zone) == [sick.targetGroups[0].targets[0]])
        #expect(Self.balancer(targets: []).eligibleTargets(of: Self.balancer(targets: []).targetGroups[0], nodeZone: "a", zone: Self.zone).isEmpty)
    }
}

/// Zone IDs across accounts (R5.12).
@Suite("Zone IDs")
struct ZoneIDTests {
    @Test("a subnet's zone ID is its own, else its account's mapping of its zone name, else unknown")
    func zoneIDs() {
        var topology = TopologyBuilder(account: "111111111111", region: "us-east-1")
        topology.vpcs = [
            VPC(label: ResourceLabel(id: "vpc-a"), account: "111111111111", region: "us-east-1", ipv4CIDRs: [], ipv6CIDRs: []),
            VPC(label: ResourceLabel(id: "vpc-b"), account: "222222222222", region: "us-east-1", ipv4CIDRs: [], ipv6CIDRs: []),
        ]
        topology.subnets = [
            Subnet(label: ResourceLabel(id: "s1"), vpc: VPCIndex(0), availabilityZone: "us-east-1a", ipv4CIDR: nil, ipv6CIDR: nil),
            Subnet(label: ResourceLabel(id: "s2"), vpc: VPCIndex(1), availabilityZone: "us-east-1a", ipv4CIDR: nil, ipv6CIDR: nil),
        ]
        topology.zoneIDs = ["111111111111": ["us-east-1a": "use1-az4"]]
        #expect(topology.build().zoneID(of: SubnetIndex(0)) == "use1-az4")
        #expect(topology.build().zoneID(of: SubnetIndex(1)) == nil, "the same name in another account is not the same zone")
        topology.subnets[1].availabilityZoneID = "use1-az6"
        #expect(topology.build().zoneID(of: SubnetIndex(1)) == "use1-az6")
        #expect(ResourceState("available") == .available && ResourceState("pendingAcceptance") != .available)
    }
}
