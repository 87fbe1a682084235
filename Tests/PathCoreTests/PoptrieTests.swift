import PathCore
import Testing
import _PacketPathTestSupport

/// The oracle: a linear scan for the longest prefix; for a prefix listed twice, the last value.
func linearLookup<A: IntegerAddress>(_ routes: [(prefix: CIDR<A>, value: UInt16)], _ address: A) -> UInt16 {
    var best: (length: Int, value: UInt16)? = nil
    for route in routes where route.prefix.contains(address) {
        if best == nil || Int(route.prefix.length) >= best!.length { best = (Int(route.prefix.length), route.value) }
    }
    return best?.value ?? 0
}

@Suite("Poptrie against a linear reference")
struct PoptrieTests {
    /// A random table: prefixes clustered so that nesting and shared paths are common.
    static func table<A: IntegerAddress>(_ generator: inout SeededGenerator, make: (A.Word) -> A) -> [(prefix: CIDR<A>, value: UInt16)] {
        let width = A.Word.bitWidth
        let count = Int.random(in: 0...40, using: &generator)
        let base = A.Word.random(in: A.Word.min...A.Word.max, using: &generator)
        return (0..<count).map { _ in
            let length = UInt8(Int.random(in: 0...width, using: &generator))
            let noise = A.Word.random(in: A.Word.min...A.Word.max, using: &generator) >> A.Word(Int.random(in: 0..<width, using: &generator))
            let address = Bool.random(using: &generator) ? base ^ noise : A.Word.random(in: A.Word.min...A.Word.max, using: &generator)
            return (CIDR(containing: make(address), length: length), UInt16.random(in: 1...UInt16.max, using: &generator))
        }
    }

    /// Addresses to try: inside and at the edges of every prefix, plus random ones.
    static func probes<A: IntegerAddress>(_ routes: [(prefix: CIDR<A>, value: UInt16)], _ generator: inout SeededGenerator, make: (A.Word) -> A) -> [A] {
        var out: [A] = []
        for route in routes {
            out += [route.prefix.network, route.prefix.last]
            out.append(make(route.prefix.network.rawValue &- 1))
            out.append(make(route.prefix.last.rawValue &+ 1))
        }
        for _ in 0..<16 { out.append(make(A.Word.random(in: A.Word.min...A.Word.max, using: &generator))) }
        return out
    }

    static func differential<A: IntegerAddress>(tables: Int, seed: UInt64, make: @escaping (A.Word) -> A) {
        var generator = SeededGenerator(state: seed)
        var mismatches = 0
        for t in 0..<tables {
            let routes: [(prefix: CIDR<A>, value: UInt16)] = table(&generator, make: make)
            let trie = Poptrie(routes)
            let addresses = probes(routes, &generator, make: make)
            var batch = [UInt16](repeating: 0, count: addresses.count)
            var interleaved = [UInt16](repeating: 0, count: addresses.count)
            addresses.withUnsafeBufferPointer { keys in
                batch.withUnsafeMutableBufferPointer { trie.lookup(keys, into: $0, strategy: .oneByOne) }
                interleaved.withUnsafeMutableBufferPointer { trie.lookup(keys, into: $0, strategy: .interleaved) }
            }
            for (i, address) in addresses.enumerated() {
                let expected = linearLookup(routes, address)
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

@Suite("DIR-24-8 and DIR-16-8-8 against the linear reference and the Poptrie")
struct DIR24Tests {
    @Test("DIR-16-8-8: 10,000 seeded random IPv4 tables, single and batched lookups")
    func dir16Random() {
        var generator = SeededGenerator(state: 16)
        var mismatches = 0
        for t in 0..<10_000 {
            let routes: [(prefix: CIDR<IPv4Address>, value: UInt16)] = PoptrieTests.table(&generator) { IPv4Address($0) }
            let table = DIR16Table(routes)
            let probes = PoptrieTests.probes(routes, &generator) { IPv4Address($0) }
            var batch = [UInt16](repeating: 0, count: probes.count)
            probes.withUnsafeBufferPointer { keys in batch.withUnsafeMutableBufferPointer { table.lookup(keys, into: $0) } }
            for (i, address) in probes.enumerated() {
                let expected = linearLookup(routes, address)
                if table.lookup(address) != expected || batch[i] != expected {
                    mismatches += 1
                    if mismatches <= 5 { Issue.record("table \(t): \(address) → \(table.lookup(address)), expected \(expected)") }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("random IPv4 tables, including prefixes longer than /24 and duplicates")
    func random() throws {
        var generator = SeededGenerator(state: 24)
        for _ in 0..<12 {
            var routes: [(prefix: CIDR<IPv4Address>, value: UInt16)] = PoptrieTests.table(&generator) { IPv4Address($0) }
            // Add nested long prefixes under one /24 to exercise tbl8 groups.
            let base = UInt32.random(in: 0...UInt32.max, using: &generator) & 0xFFFF_FF00
            for length in [24, 25, 26, 28, 30, 32, 25] {
                routes.append((IPv4Prefix(containing: IPv4Address(base | UInt32.random(in: 0...255, using: &generator)), length: UInt8(length)),
                               UInt16.random(in: 1...9, using: &generator)))
            }
            let table = try DIR24Table(routes)
            let trie = Poptrie(routes)
            let dir16 = DIR16Table(routes)
            var probes = PoptrieTests.probes(routes, &generator) { IPv4Address($0) }
            probes += (0..<256).map { IPv4Address(base | UInt32($0)) }
            for address in probes {
                let expected = linearLookup(routes, address)
                #expect(table.lookup(address) == expected, "\(address)")
                #expect(trie.lookup(address) == expected, "\(address)")
                #expect(dir16.lookup(address) == expected, "\(address)")
            }
            var batch = [UInt16](repeating: 0, count: probes.count)
            probes.withUnsafeBufferPointer { keys in batch.withUnsafeMutableBufferPointer { table.lookup(keys, into: $0) } }
            #expect(batch == probes.map { linearLookup(routes, $0) })
            var trieBatch = [UInt16](repeating: 0, count: probes.count)
            probes.withUnsafeBufferPointer { keys in trieBatch.withUnsafeMutableBufferPointer { trie.lookup(keys, into: $0) } }
            #expect(trieBatch == batch)
        }
    }
}
