import PathCore
import Testing
import _PacketPathTestSupport

@Suite("Poptrie against a linear reference")
struct PoptrieTests {
    static func differential<A: IntegerAddress>(tables: Int, seed: UInt64, make: @escaping (A.Word) -> A) {
        var generator = SeededGenerator(state: seed)
        var mismatches = 0
        for t in 0..<tables {
            let routes: [(prefix: CIDR<A>, value: UInt16)] = LPMOracle.table(&generator, make: make)
            let trie = Poptrie(routes)
            let addresses = LPMOracle.probes(routes, &generator, make: make)
            var batch = [UInt16](repeating: 0, count: addresses.count)
            var interleaved = [UInt16](repeating: 0, count: addresses.count)
            addresses.withUnsafeBufferPointer { keys in
                batch.withUnsafeMutableBufferPointer { trie.lookup(keys, into: $0, strategy: .oneByOne) }
                interleaved.withUnsafeMutableBufferPointer { trie.lookup(keys, into: $0, strategy: .interleaved) }
            }
            for (i, address) in addresses.enumerated() {
                let expected = LPMOracle.lookup(routes, address)
                if batch[i] != expected || interleaved[i] != expected { mismatches += 1 }
                let got = trie.lookup(address)
                if got != expected {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("table \(t) (seed \(seed)): \(address) → \(got), expected \(expected); routes \(routes.map { "\($0.prefix)=\($0.value)" })") }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("IPv4: 10,000 seeded random tables")
    func ipv4Random() { Self.differential(tables: 10_000, seed: 4) { IPv4Address($0) } }

    @Test("IPv6: 10,000 seeded random tables")
    func ipv6Random() { Self.differential(tables: 10_000, seed: 6) { IPv6Address($0) } }

    @Test("edges: /0, /32, /128, nested, duplicates (last wins), empty")
    func edges() throws {
        let v4: [(prefix: CIDR<IPv4Address>, value: UInt16)] = [
            (try #require(IPv4Prefix(containing: IPv4Address(0), length: 0)), 1),
            (IPv4Prefix(containing: IPv4Address(10, 0, 0, 0), length: 8), 2),
            (IPv4Prefix(containing: IPv4Address(10, 1, 0, 0), length: 16), 3),
            (IPv4Prefix(containing: IPv4Address(10, 1, 2, 3), length: 32), 4),
            (IPv4Prefix(containing: IPv4Address(10, 1, 0, 0), length: 16), 5),
            (IPv4Prefix(containing: IPv4Address(10, 1, 2, 0), length: 23), 6),
        ]
        let trie = Poptrie(v4)
        #expect(trie.lookup(IPv4Address(8, 8, 8, 8)) == 1)
        #expect(trie.lookup(IPv4Address(10, 9, 9, 9)) == 2)
        #expect(trie.lookup(IPv4Address(10, 1, 9, 9)) == 5)  // the duplicate /16: last wins
        #expect(trie.lookup(IPv4Address(10, 1, 2, 3)) == 4)
        #expect(trie.lookup(IPv4Address(10, 1, 2, 4)) == 6)
        #expect(trie.lookup(IPv4Address(10, 1, 3, 255)) == 6)
        #expect(Poptrie<IPv4Address>([]).lookup(IPv4Address(1, 2, 3, 4)) == 0)
        let host = IPv6Prefix(containing: IPv6Address("2001:db8::1")!, length: 128)
        let v6 = Poptrie<IPv6Address>([(host, 9), (IPv6Prefix(containing: IPv6Address(0), length: 0), 1)])
        #expect(v6.lookup(IPv6Address("2001:db8::1")!) == 9)
        #expect(v6.lookup(IPv6Address("2001:db8::2")!) == 1)
    }
}

@Suite("DIR-16-8-8 against the linear reference")
struct DIR16Tests {
    @Test("DIR-16-8-8: 10,000 seeded random IPv4 tables, single and batched lookups")
    func dir16Random() {
        var generator = SeededGenerator(state: 16)
        var mismatches = 0
        for t in 0..<10_000 {
            let routes: [(prefix: CIDR<IPv4Address>, value: UInt16)] = LPMOracle.table(&generator) { IPv4Address($0) }
            let table = DIR16Table(routes)
            let probes = LPMOracle.probes(routes, &generator) { IPv4Address($0) }
            var batch = [UInt16](repeating: 0, count: probes.count)
            probes.withUnsafeBufferPointer { keys in batch.withUnsafeMutableBufferPointer { table.lookup(keys, into: $0) } }
            for (i, address) in probes.enumerated() {
                let expected = LPMOracle.lookup(routes, address)
                if table.lookup(address) != expected || batch[i] != expected {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("table \(t): \(address) → \(table.lookup(address)), expected \(expected)") }
                }
            }
        }
        #expect(mismatches == 0)
    }
}
