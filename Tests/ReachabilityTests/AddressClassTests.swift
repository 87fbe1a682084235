import PathCore
import Testing
import VPCTopology

@testable import Reachability

/// Address ranges as CIDR blocks, and the address classes' cuts.
@Suite("address classes")
struct AddressClassTests {
    @Test("a range's blocks cover it exactly, in order, each aligned: checked on random IPv4 and IPv6 ranges")
    func prefixesCoverRanges() {
        var random = SplitMix(seed: 7)
        for trial in 0..<2000 {
            let family: AddressFamily = trial % 2 == 0 ? .ipv4 : .ipv6
            let top: UInt128 = family == .ipv4 ? UInt128(UInt32.max) : .max
            var a = UInt128(random.next()) << 64 | UInt128(random.next())
            var b = UInt128(random.next()) << 64 | UInt128(random.next())
            if family == .ipv4 { (a, b) = (a & top, b & top) }
            if trial % 5 == 0 { b = a &+ UInt128(random.next() % 300) }  // small ranges too
            if b > top { b = top }
            let range = AddressRange(family: family, first: min(a, b), last: max(a, b))
            var next = range.first
            var total: UInt128 = 0
            for block in range.prefixes {
                let covered = AddressRange(block)
                #expect(covered.first == next, "\(range): \(block) does not start where the last ended")
                total &+= covered.count
                next = covered.last &+ 1
            }
            #expect(next &- 1 == range.last && total == range.count, "\(range)")
        }
        #expect(AddressRange(family: .ipv4, first: 0, last: UInt128(UInt32.max)).prefixes.map(\.description) == ["0.0.0.0/0"])
        #expect(AddressRange(family: .ipv4, first: 1, last: 6).prefixes.map(\.description) == ["0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/31", "0.0.0.6/32"])
    }

    @Test("the classes tile the space, and every prefix of the topology is a union of whole classes")
    func classesTile() throws {
        for file in ScenarioFiles.all {
            let topology = try ScenarioFiles.load(file)
            for family in [AddressFamily.ipv4, .ipv6] {
                let classes = AddressClasses(topology: topology, family: family).classes
                #expect(classes.first?.first == 0 && classes.last?.last == (family == .ipv4 ? UInt128(UInt32.max) : .max))
                for (a, b) in zip(classes, classes.dropFirst()) { #expect(a.last &+ 1 == b.first) }
                for prefix in AddressClasses.prefixes(of: topology) where prefix.family == family {
                    let range = AddressRange(prefix)
                    // No class straddles either end of the prefix.
                    #expect(!classes.contains { $0.first < range.first && range.first <= $0.last }, "\(file): \(prefix)")
                    #expect(!classes.contains { $0.first <= range.last && range.last < $0.last }, "\(file): \(prefix)")
                }
            }
        }
    }
}

/// A small seeded generator (SplitMix64): the same samples on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Which outside addresses count as the internet, on-premises or private.
@Suite("outside address kinds")
struct OutsideAddressKindTests {
    @Test("the IPv6 internet is global unicast (2000::/3) only; IPv4's leaves out private, link-local, loopback, multicast and reserved space")
    func internetSpace() throws {
        let topology = try ScenarioFiles.load(ScenarioFiles.all.first { $0.hasSuffix("multi-tier/scenario.yaml") }!)
        let engine = Reachability(topology: topology)
        for family in [AddressFamily.ipv4, .ipv6] {
            let answers = engine.sources(reaching: "bastion", ReachQuestion(protocolNumber: .tcp, port: 22, family: family))
            let internet = answers.flatMap { answer -> [AddressRange] in
                if case .addresses(.internet, let ranges) = answer.party { return ranges }
                return []
            }
            #expect(!internet.isEmpty)
            for range in internet {
                if family == .ipv6 {
                    #expect(AddressClasses.globalUnicast.contains(range.address(range.first)) && AddressClasses.globalUnicast.contains(range.address(range.last)), "\(range)")
                } else {
                    for excluded in ["10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "127.0.0.1", "224.0.0.1", "240.0.0.1", "0.0.0.1"] {
                        #expect(!range.contains(IPAddress(excluded)!), "\(range) holds \(excluded)")
                    }
                }
            }
        }
    }
}
