import LPMComparison
import PathCore
import Testing
import _PacketPathTestSupport

@Suite("DIR-24-8 against the linear reference, the Poptrie and DIR-16-8-8")
struct DIR24Tests {
    @Test("random IPv4 tables, including prefixes longer than /24 and duplicates")
    func random() throws {
        var generator = SeededGenerator(state: 24)
        for _ in 0..<12 {
            var routes: [(prefix: CIDR<IPv4Address>, value: UInt16)] = LPMOracle.table(&generator) { IPv4Address($0) }
            // Add nested long prefixes under one /24 to exercise tbl8 groups.
            let base = UInt32.random(in: 0...UInt32.max, using: &generator) & 0xFFFF_FF00
            for length in [24, 25, 26, 28, 30, 32, 25] {
                routes.append((IPv4Prefix(containing: IPv4Address(base | UInt32.random(in: 0...255, using: &generator)), length: UInt8(length)),
                               UInt16.random(in: 1...9, using: &generator)))
            }
            let table = try DIR24Table(routes)
            let trie = Poptrie(routes)
            let dir16 = DIR16Table(routes)
            var probes = LPMOracle.probes(routes, &generator) { IPv4Address($0) }
            probes += (0..<256).map { IPv4Address(base | UInt32($0)) }
            for address in probes {
                let expected = LPMOracle.lookup(routes, address)
                #expect(table.lookup(address) == expected, "\(address)")
                #expect(trie.lookup(address) == expected, "\(address)")
                #expect(dir16.lookup(address) == expected, "\(address)")
            }
            var batch = [UInt16](repeating: 0, count: probes.count)
            probes.withUnsafeBufferPointer { keys in batch.withUnsafeMutableBufferPointer { table.lookup(keys, into: $0) } }
            #expect(batch == probes.map { LPMOracle.lookup(routes, $0) })
            var trieBatch = [UInt16](repeating: 0, count: probes.count)
            probes.withUnsafeBufferPointer { keys in trieBatch.withUnsafeMutableBufferPointer { trie.lookup(keys, into: $0) } }
            #expect(trieBatch == batch)
        }
    }
}
