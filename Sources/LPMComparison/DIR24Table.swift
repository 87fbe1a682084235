import PathCore

/// A DIR-24-8 longest-prefix-match table for IPv4 (Gupta, Lin, McKeown, INFOCOM 1998) with 16-bit
/// entries: `tbl24` is indexed by the top 24 bits; an entry is either an index into the distinct
/// values or, with the top bit set, a 256-entry `tbl8` group for the last 8 bits.
///
/// ```
///  address: [        24 bits        ][ 8 ]
///  tbl24[2^24] : 0vvv…  → values[v]          (one memory read)
///                1ggg…  → tbl8[g * 256 + low 8 bits] → values[…]
/// ```
///
/// 32 MiB for `tbl24` plus 512 bytes per group: one dependent read for most lookups, which keeps it
/// at the memory-parallelism ceiling for uniformly random keys over large tables.
/// At most 32,767 distinct values and 32,767 groups.
public struct DIR24Table: Sendable {
    @usableFromInline let tbl24: [UInt16]
    @usableFromInline let tbl8: [UInt16]
    @usableFromInline let values: [UInt16]

    /// Why a table cannot be built in 16-bit entries.
    public enum Overflow: Error, Sendable { case tooManyValues, tooManyGroups }

    /// Builds the table; for a prefix listed twice the last value wins.
    /// - Complexity: O(2^24 + n · 2^(24 - length)) for prefixes up to /24, 256 per longer prefix.
    public init(_ routes: [(prefix: IPv4Prefix, value: UInt16)]) throws(Overflow) {
        var index: [UInt16: UInt16] = [0: 0]
        var values: [UInt16] = [0]
        // Last value wins for duplicates; shorter prefixes are painted first so longer ones overwrite.
        var last: [IPv4Prefix: UInt16] = [:]
        for route in routes { last[route.prefix] = route.value }
        let ordered = last.sorted { $0.key.length < $1.key.length }
        for (_, value) in ordered where index[value] == nil {
            guard values.count < 0x8000 else { throw .tooManyValues }
            index[value] = UInt16(values.count)
            values.append(value)
        }
        var tbl24 = [UInt16](repeating: 0, count: 1 << 24)
        var tbl8: [UInt16] = []
        for (prefix, value) in ordered {
            let v = index[value]!
            let network = Int(prefix.network.rawValue)
            if prefix.length <= 24 {
                let start = network >> 8
                let count = 1 << (24 - Int(prefix.length))
                // Groups already made by longer prefixes cannot exist yet (ascending length order).
                tbl24.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[start..<start + count]).update(repeating: v) }
            } else {
                let slot = network >> 8
                var group: Int
                if tbl24[slot] & 0x8000 != 0 {
                    group = Int(tbl24[slot] & 0x7FFF)
                } else {
                    group = tbl8.count >> 8
                    guard group < 0x8000 else { throw .tooManyGroups }
                    tbl8 += [UInt16](repeating: tbl24[slot], count: 256)
                    tbl24[slot] = 0x8000 | UInt16(group)
                }
                let start = group << 8 | (network & 0xFF)
                for i in start..<start + (1 << (32 - Int(prefix.length))) { tbl8[i] = v }
            }
        }
        self.tbl24 = tbl24
        self.tbl8 = tbl8
        self.values = values
    }

    /// The value of the longest prefix containing `address`, or 0.
    /// - Complexity: one or two memory reads.
    @inlinable
    public func lookup(_ address: IPv4Address) -> UInt16 {
        tbl24.withUnsafeBufferPointer { t24 in
            tbl8.withUnsafeBufferPointer { t8 in
                values.withUnsafeBufferPointer { v in Self.lookup(address.rawValue, t24, t8, v) }
            }
        }
    }

    /// Looks up every key of `keys` into `out`.
    @inlinable
    public func lookup(_ keys: UnsafeBufferPointer<IPv4Address>, into out: UnsafeMutableBufferPointer<UInt16>) {
        precondition(out.count >= keys.count, "out must hold one result per key")
        tbl24.withUnsafeBufferPointer { t24 in
            tbl8.withUnsafeBufferPointer { t8 in
                values.withUnsafeBufferPointer { v in
                    for i in keys.indices { out[i] = Self.lookup(keys[i].rawValue, t24, t8, v) }
                }
            }
        }
    }

    @inlinable @inline(__always)
    static func lookup(_ key: UInt32, _ t24: UnsafeBufferPointer<UInt16>, _ t8: UnsafeBufferPointer<UInt16>, _ v: UnsafeBufferPointer<UInt16>) -> UInt16 {
        let entry = t24[Int(key >> 8)]
        if entry & 0x8000 == 0 { return v[Int(entry)] }
        return v[Int(t8[Int(entry & 0x7FFF) << 8 | Int(key & 0xFF)])]
    }

    /// Bytes of the lookup structure.
    public var structureBytes: Int { tbl24.count * 2 + tbl8.count * 2 + values.count * 2 }
}
