/// A three-level fixed-stride longest-prefix-match table for IPv4 (16, 8 and 8 bits: the
/// DIR-24-8 idea with a 2^16 first level) for small and medium tables such as AWS route tables.
///
/// ```
///  address: [    16 bits    ][ 8 ][ 8 ]
///  level1[2^16] : value, or 1ccc… → level2[c * 256 + next 8 bits] : value, or 1ddd…
///                                   → level3[d * 256 + last 8 bits] : value
/// ```
///
/// Entries are 32 bits: a value (0 = no match) or, with the top bit set, a 256-entry chunk of the
/// next level. The first level is 256 KiB; each /16 holding longer prefixes adds a 1 KiB chunk,
/// each /24 holding longer prefixes another. One to three reads, no popcount and no data-dependent
/// loop: on an AWS-style table it is as fast as a 32 MiB DIR-24-8 (docs/performance.md), in a
/// structure that stays in cache. Large tables touch most /16s and would need a chunk for each;
/// they use ``DIR24Table``.
public struct DIR16Table: Sendable {
    @usableFromInline let level1: [UInt32]
    @usableFromInline let level2: [UInt32]
    @usableFromInline let level3: [UInt32]

    @usableFromInline static var chunkFlag: UInt32 { 0x8000_0000 }

    /// Builds the table; for a prefix listed twice the last value wins.
    /// - Complexity: O(2^16 + n · 2^(16 - length)) for prefixes up to /16, 256 per longer one.
    public init(_ routes: [(prefix: IPv4Prefix, value: UInt16)]) {
        var last: [IPv4Prefix: UInt16] = [:]
        for route in routes { last[route.prefix] = route.value }
        // Shorter prefixes are painted first so longer ones overwrite them.
        let ordered = last.sorted { $0.key.length < $1.key.length }
        var level1 = [UInt32](repeating: 0, count: 1 << 16)
        var level2: [UInt32] = []
        var level3: [UInt32] = []
        /// The chunk below `entry`, made (filled with the entry's value) if there is none yet.
        func chunk(_ entry: inout UInt32, in level: inout [UInt32]) -> Int {
            if entry & Self.chunkFlag != 0 { return Int(entry & ~Self.chunkFlag) }
            let index = level.count >> 8
            level += [UInt32](repeating: entry, count: 256)
            entry = Self.chunkFlag | UInt32(index)
            return index
        }
        for (prefix, value) in ordered {
            let network = Int(prefix.network.rawValue)
            let length = Int(prefix.length)
            let v = UInt32(value)
            if length <= 16 {
                // No chunk exists yet below a /16 or shorter (ascending length order).
                let start = network >> 16
                for i in start..<start + (1 << (16 - length)) { level1[i] = v }
                continue
            }
            let second = chunk(&level1[network >> 16], in: &level2) << 8
            if length <= 24 {
                // No third-level chunk exists yet: only prefixes longer than /24 make them.
                let start = second | (network >> 8 & 0xFF)
                for i in start..<start + (1 << (24 - length)) { level2[i] = v }
                continue
            }
            let third = chunk(&level2[second | (network >> 8 & 0xFF)], in: &level3) << 8
            let start = third | (network & 0xFF)
            for i in start..<start + (1 << (32 - length)) { level3[i] = v }
        }
        // The branch-free batch lookup reads index 0 of a level it does not need: never empty.
        self.level1 = level1
        self.level2 = level2.isEmpty ? [0] : level2
        self.level3 = level3.isEmpty ? [0] : level3
    }

    /// The value of the longest prefix containing `address`, or 0.
    /// - Complexity: one to three memory reads.
    @inlinable
    public func lookup(_ address: IPv4Address) -> UInt16 {
        level1.withUnsafeBufferPointer { l1 in
            level2.withUnsafeBufferPointer { l2 in
                level3.withUnsafeBufferPointer { l3 in Self.lookup(address.rawValue, l1, l2, l3) }
            }
        }
    }

    /// Looks up every key of `keys` into `out`, branch-free (``lookupWithoutBranches``).
    @inlinable
    public func lookup(_ keys: UnsafeBufferPointer<IPv4Address>, into out: UnsafeMutableBufferPointer<UInt16>) {
        precondition(out.count >= keys.count, "out must hold one result per key")
        level1.withUnsafeBufferPointer { l1 in
            level2.withUnsafeBufferPointer { l2 in
                level3.withUnsafeBufferPointer { l3 in
                    for i in keys.indices { out[i] = Self.lookupWithoutBranches(keys[i].rawValue, l1, l2, l3) }
                }
            }
        }
    }

    /// The lookup with three reads always and no branch: a level that is not needed is read at
    /// index 0 and its result masked away. When consecutive keys stop at different levels (Zipf
    /// keys in an AWS-style table: /16s, /24s and longer), the branches of ``lookup(_:_:_:_:)``
    /// mispredict; these reads hit the cache and independent keys overlap them.
    @inlinable @inline(__always)
    static func lookupWithoutBranches(
        _ key: UInt32, _ l1: UnsafeBufferPointer<UInt32>, _ l2: UnsafeBufferPointer<UInt32>, _ l3: UnsafeBufferPointer<UInt32>
    ) -> UInt16 {
        let e1 = l1[Int(key >> 16)]
        let m1 = UInt32(bitPattern: Int32(bitPattern: e1) >> 31)  // all ones when e1 names a chunk
        let r2 = l2[Int(((e1 & ~chunkFlag) << 8 | key >> 8 & 0xFF) & m1)]
        let e2 = r2 & m1 | e1 & ~m1
        let m2 = UInt32(bitPattern: Int32(bitPattern: e2) >> 31)
        let r3 = l3[Int(((e2 & ~chunkFlag) << 8 | key & 0xFF) & m2)]
        return UInt16(truncatingIfNeeded: r3 & m2 | e2 & ~m2)
    }

    @inlinable @inline(__always)
    static func lookup(_ key: UInt32, _ l1: UnsafeBufferPointer<UInt32>, _ l2: UnsafeBufferPointer<UInt32>, _ l3: UnsafeBufferPointer<UInt32>) -> UInt16 {
        var entry = l1[Int(key >> 16)]
        if entry & chunkFlag != 0 {
            entry = l2[Int(entry & ~chunkFlag) << 8 | Int(key >> 8 & 0xFF)]
            if entry & chunkFlag != 0 { entry = l3[Int(entry & ~chunkFlag) << 8 | Int(key & 0xFF)] }
        }
        return UInt16(truncatingIfNeeded: entry)
    }

    /// Bytes of the lookup structure.
    public var structureBytes: Int { (level1.count + level2.count + level3.count) * 4 }
}
