import Benchmark
import CaptureReplay
import Foundation
import PacketSources
import PacketWire
import PathClassifier
import LPMComparison
import PathCore
import VPCTopology

/// LPM build and lookup (Poptrie, DIR-24-8, DIR-16-8-8), decoding, classification (reference walk,
/// counting walk, established connection) and an end-to-end counting replay, on deterministic data.
/// Wall clock is informative only on these shared machines; `mallocCountTotal` is the stable metric.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 1, scalingFactor: .kilo,
        maxDuration: .seconds(5), maxIterations: 100)

    var state: UInt64 = 20_261_129
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let lengths: [UInt8] = [16, 18, 20, 22, 23, 24, 24, 24, 24, 24, 24, 28, 32]
    let routes: [(prefix: IPv4Prefix, value: UInt16)] = (0..<100_000).map { _ in
        (IPv4Prefix(containing: IPv4Address(UInt32(truncatingIfNeeded: next())), length: lengths[Int(next() % UInt64(lengths.count))]),
         UInt16(1 + next() % 4096))
    }
    let keys = (0..<1_000).map { _ in IPv4Address(UInt32(truncatingIfNeeded: next())) }
    let trie = Poptrie(routes)
    let dir24 = try! DIR24Table(routes)

    Benchmark("LPM build: Poptrie, 100k IPv4 prefixes", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Poptrie(routes)) }
    }
    Benchmark("LPM lookup: Poptrie, 100k IPv4 prefixes, 1k uniform keys") { benchmark in
        for _ in benchmark.scaledIterations {
            var sum = 0
            for key in keys { sum &+= Int(trie.lookup(key)) }
            blackHole(sum)
        }
    }
    Benchmark("LPM lookup: DIR-24-8, 100k IPv4 prefixes, 1k uniform keys") { benchmark in
        for _ in benchmark.scaledIterations {
            var sum = 0
            for key in keys { sum &+= Int(dir24.lookup(key)) }
            blackHole(sum)
        }
    }
    // A route-table-sized table: 2,000 of those prefixes.
    let small = Array(routes.prefix(2_000))
    let smallTrie = Poptrie(small)
    let dir16 = DIR16Table(small)
    let smallKeys = small.prefix(1_000).map { $0.prefix.network }
    Benchmark("LPM lookup: Poptrie, 2k IPv4 prefixes, 1k keys inside them") { benchmark in
        for _ in benchmark.scaledIterations {
            var sum = 0
            for key in smallKeys { sum &+= Int(smallTrie.lookup(key)) }
            blackHole(sum)
        }
    }
    Benchmark("LPM lookup: DIR-16-8-8, 2k IPv4 prefixes, 1k keys inside them") { benchmark in
        for _ in benchmark.scaledIterations {
            var sum = 0
            for key in smallKeys { sum &+= Int(dir16.lookup(key)) }
            blackHole(sum)
        }
    }

    // The reference classifier on a small VPC: one packet to the internet, one to S3 through a route.
    var network = TopologyBuilder(account: "1", region: "us-east-1")
    network.vpcs = [VPC(label: ResourceLabel(id: "vpc-1"), account: "1", region: "us-east-1", ipv4CIDRs: [IPv4Prefix(containing: IPv4Address(10, 0, 0, 0), length: 16)], ipv6CIDRs: [])]
    network.internetGateways = [InternetGateway(label: ResourceLabel(id: "igw-1"), attachedVPC: VPCIndex(0))]
    network.routeTables = [RouteTable(
        label: ResourceLabel(id: "rtb-1"), vpc: VPCIndex(0), isMain: true,
        routes: [Route(destination: .cidr(.v4(IPv4Prefix(containing: IPv4Address(10, 0, 0, 0), length: 16))), target: .local, origin: .createRouteTable),
                 Route(destination: .cidr(.v4(IPv4Prefix(containing: IPv4Address(0), length: 0))), target: .internetGateway(InternetGatewayIndex(0)), origin: .createRoute)])]
    network.vpcs[0].mainRouteTable = RouteTableIndex(0)
    network.securityGroups = [SecurityGroup(label: ResourceLabel(id: "sg-1"), vpc: VPCIndex(0), egress: [SecurityGroup.Rule(traffic: .all, peer: .cidr(.v4(IPv4Prefix(containing: IPv4Address(0), length: 0))))])]
    network.networkACLs = [NetworkACL(label: ResourceLabel(id: "acl-1"), vpc: VPCIndex(0), isDefault: true,
                                       egress: [NetworkACL.Entry(ruleNumber: 100, allows: true, traffic: .all, cidr: .v4(IPv4Prefix(containing: IPv4Address(0), length: 0)))])]
    network.vpcs[0].defaultNetworkACL = NetworkACLIndex(0)
    network.subnets = [Subnet(label: ResourceLabel(id: "subnet-1"), vpc: VPCIndex(0), availabilityZone: "us-east-1a", ipv4CIDR: IPv4Prefix(containing: IPv4Address(10, 0, 1, 0), length: 24), ipv6CIDR: nil)]
    var interface = NetworkInterface(label: ResourceLabel(id: "eni-1"), subnet: SubnetIndex(0), owner: .none)
    interface.ipv4 = [NetworkInterface.IPv4Binding(privateAddress: IPv4Address(10, 0, 1, 10), publicAddress: IPv4Address(54, 0, 0, 1))]
    interface.securityGroups = [SecurityGroupIndex(0)]
    network.interfaces = [interface]
    let topology = network.build()
    let classifier = Classifier(topology: topology)
    let packet = PacketHeader(source: .v4(IPv4Address(10, 0, 1, 10)), destination: .v4(IPv4Address(8, 8, 8, 8)), protocolNumber: .tcp, sourcePort: 40000, destinationPort: 443)

    Benchmark("Classify: reference walk, internet-bound packet") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(classifier.classify(packet)) }
    }
    let counting = Classifier(topology: topology, routes: .compiled(CompiledRoutes(topology)))
    Benchmark("Classify: counting walk (no hop text, compiled routes), internet-bound packet") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(counting.classify(packet, from: InterfaceIndex(0), detail: .reason).reason) }
    }
    let connections = CaptureClassifier(topology: topology, detail: .reason)
    _ = connections.classifyPath(packet)
    Benchmark("Classify: a further packet of an open connection (one flow-table probe)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(connections.classifyPath(packet)) }
    }

    // Decoding and a whole replay of a generated capture: 1,000 connections, 20 frames each, interleaved.
    let builder = FrameBuilder(linkType: .ethernet)
    var frames: [[UInt8]] = []
    for round in 0..<20 {
        for connection in 0..<1_000 {
            var p = FrameBuilder.Packet(
                source: .v4(IPv4Address(10, 0, 1, 10)), destination: .v4(IPv4Address(52, 216, UInt8(connection >> 8), UInt8(connection & 0xFF))),
                protocolNumber: .tcp)
            p.sourcePort = UInt16(40_000 + connection)
            p.destinationPort = 443
            p.tcpFlags = round == 0 ? 0x02 : 0x10
            if round % 2 == 1 { (p.source, p.destination, p.sourcePort, p.destinationPort) = (p.destination, p.source, p.destinationPort, p.sourcePort) }
            frames.append(builder.frame(p, sourceMAC: [2, 0, 0, 0, 0, 1], destinationMAC: [2, 0, 0, 0, 0, 2]))
        }
    }
    let decoder = FrameDecoder()
    Benchmark("Decode: Ethernet/IPv4/TCP frame") { benchmark in
        for _ in benchmark.scaledIterations {
            frames[0].withUnsafeBytes { blackHole(decoder.decode($0, linkType: .ethernet)) }
        }
    }
    let capture = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-bench-\(getpid()).pcap").path
    let writer = try! PcapFileWriter(path: capture, linkType: .ethernet)
    for (index, frame) in frames.enumerated() { try! writer.write(frame, seconds: 1_767_225_600, nanoseconds: UInt32(index) * 1_000) }
    try! writer.commit()
    Benchmark("Replay: 20,000-frame capture, 1,000 connections, counting (summary)", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations {
            let summary = Summary()
            try! Replayer(topology: topology, jobs: 1).replay(capture, into: summary)
            blackHole(summary.packets)
        }
    }
}
