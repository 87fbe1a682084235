import PathClassifier
import PathCore
import Testing
import _PacketPathTestSupport
import VPCTopology

/// The compiled route table against the readable RouteSelection, over seeded random AWS-style tables
/// with prefix lists, propagated routes, blackholes and equal-length ties.
@Suite("Compiled route tables")
struct CompiledRouteTableTests {
    @Test("2,000 random tables agree with RouteSelection on every probe")
    func random() {
        var g = SeededGenerator(state: 1129)
        var checked = 0
        for _ in 0..<2_000 {
            var builder = TopologyBuilder(account: "1", region: "us-east-1")
            builder.vpcs = [VPC(label: ResourceLabel(id: "vpc-1"), account: "1", region: "us-east-1", ipv4CIDRs: [], ipv6CIDRs: [])]
            // A small pool of prefixes so that identical and nested destinations are common.
            let pool: [IPPrefix] = (0..<12).map { _ in
                let length = UInt8(Int.random(in: 0...32, using: &g))
                return .v4(IPv4Prefix(containing: IPv4Address(UInt32.random(in: 0...3, using: &g) << 30 | UInt32.random(in: 0...0xFF, using: &g) << 22), length: length))
            }
            for l in 0..<3 {
                let entries = (0..<Int.random(in: 1...4, using: &g)).map { _ in pool.randomElement(using: &g)! }
                builder.prefixLists.append(
                    PrefixList(label: ResourceLabel(id: "pl-0\(Int.random(in: 0...9, using: &g))\(l)"), prefixListName: "l\(l)", owner: "1",
                               family: .ipv4, entries: entries))
            }
            var table = RouteTable(label: ResourceLabel(id: "rtb-1"), vpc: VPCIndex(0), isMain: true)
            for i in 0..<Int.random(in: 1...14, using: &g) {
                let destination: RouteDestination = Bool.random(using: &g)
                    ? .cidr(pool.randomElement(using: &g)!) : .prefixList(PrefixListIndex(Int.random(in: 0..<3, using: &g)))
                let state: RouteState = [.active, .active, .active, .blackhole, .filtered].randomElement(using: &g)!
                let origin: RouteOrigin = [.createRoute, .createRoute, .propagated].randomElement(using: &g)!
                table.routes.append(Route(destination: destination, target: .missing(id: "t\(i)"), state: state, origin: origin))
            }
            let topology = builder.build()
            let compiled = CompiledRouteTable(table, topology: topology)
            for _ in 0..<24 {
                let address = IPAddress.v4(IPv4Address(UInt32.random(in: 0...UInt32.max, using: &g) & 0xFFC0_0000 | UInt32.random(in: 0...0xFF, using: &g)))
                let expected = RouteSelection.select(address, in: table, topology: topology).winner?.routeIndex
                #expect(compiled.lookup(address) == .some(expected), "\(address) in \(table.routes.enumerated().map { "\($0.offset): \($0.element.destination) \($0.element.state) \($0.element.origin)" }) lists \(topology.prefixLists.map { "\($0.label.id)=\($0.entries!)" })")
                checked += 1
            }
        }
        #expect(checked == 48_000)
    }

    @Test("a prefix list without entries leaves its family to the reference")
    func unresolved() {
        var builder = TopologyBuilder(account: "1", region: "us-east-1")
        builder.prefixLists = [PrefixList(label: ResourceLabel(id: "pl-1"), prefixListName: "x", owner: "1", family: .ipv4, entries: nil)]
        let table = RouteTable(
            label: ResourceLabel(id: "rtb-1"), vpc: VPCIndex(0), isMain: true,
            routes: [Route(destination: .prefixList(PrefixListIndex(0)), target: .local, origin: .createRoute)])
        let topology = builder.build()
        let compiled = CompiledRouteTable(table, topology: topology)
        #expect(compiled.lookup(IPAddress("10.0.0.1")!) == nil)
        #expect(compiled.lookup(IPAddress("::1")!) == .some(nil))
    }
}
