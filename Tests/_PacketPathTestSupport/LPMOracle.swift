import PathCore

/// Longest-prefix-match tables and probes for testing any LPM structure, and the oracle they are
/// checked against.
public enum LPMOracle {
    /// The oracle: a linear scan for the longest prefix; for a prefix listed twice, the last value.
    public static func lookup<A: IntegerAddress>(_ routes: [(prefix: CIDR<A>, value: UInt16)], _ address: A) -> UInt16 {
        var best: (length: Int, value: UInt16)? = nil
        for route in routes where route.prefix.contains(address) {
            if best == nil || Int(route.prefix.length) >= best!.length { best = (Int(route.prefix.length), route.value) }
        }
        return best?.value ?? 0
    }

    /// A random table: prefixes clustered so that nesting and shared paths are common.
    public static func table<A: IntegerAddress>(_ generator: inout SeededGenerator, make: (A.Word) -> A) -> [(prefix: CIDR<A>, value: UInt16)] {
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
    public static func probes<A: IntegerAddress>(_ routes: [(prefix: CIDR<A>, value: UInt16)], _ generator: inout SeededGenerator, make: (A.Word) -> A) -> [A] {
        var out: [A] = []
        for route in routes {
            out += [route.prefix.network, route.prefix.last]
            out.append(make(route.prefix.network.rawValue &- 1))
            out.append(make(route.prefix.last.rawValue &+ 1))
        }
        for _ in 0..<16 { out.append(make(A.Word.random(in: A.Word.min...A.Word.max, using: &generator))) }
        return out
    }
}
