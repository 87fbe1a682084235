/// A compiled longest-prefix-match table: a Poptrie-style multibit trie (Asai and Ohara, "Poptrie:
/// A Compressed Trie with Population Count for Fast and Scalable Software IP Routing Table Lookup",
/// SIGCOMM 2015), generic over the address width.
///
/// Layout: the first 16 bits index a direct table; each entry is a value or a node. A node covers
/// the next 6 bits with two 64-bit bitmaps: `vector` marks the slots that continue into a child node
/// (children are contiguous, found by `base1 + popcount`), and `leafVector` marks where a run of equal
/// values starts among the other slots (values are contiguous, found by `base0 + popcount - 1`).
///
/// ```
///  address: [ 16 bits ][ 6 ][ 6 ][ 6 ] …
///              │         │
///   direct[2^16] ──► node: vector ─► children (contiguous)
///                          leafVector ─► leaves (runs of equal values)
/// ```
///
/// Values are `UInt16`, 0 meaning no match. The table is immutable; build another to change it.
public struct Poptrie<Address: IntegerAddress>: Sendable {
    /// One multibit node: 24 bytes, read with one cache miss.
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var vector: UInt64
        @usableFromInline var leafVector: UInt64
        @usableFromInline var base1: UInt32
        @usableFromInline var base0: UInt32
    }

    /// Direct table: a value, or `nodeFlag | node index`.
    @usableFromInline let direct: [UInt32]
    @usableFromInline let nodes: [Node]
    @usableFromInline let leaves: [UInt16]

    @usableFromInline static var nodeFlag: UInt32 { 0x8000_0000 }
    @usableFromInline static var directBits: Int { 16 }
    @usableFromInline static var width: Int { Address.Word.bitWidth }

    /// Builds the table. A prefix listed twice keeps its last value.
    /// - Complexity: O(n · w) for n prefixes of width w.
    public init(_ routes: [(prefix: CIDR<Address>, value: UInt16)]) {
        var builder = PoptrieBuilder<Address>()
        for route in routes { builder.insert(route.prefix, value: route.value) }
        let built = builder.compile()
        direct = built.direct
        nodes = built.vector.indices.map {
            Node(vector: built.vector[$0], leafVector: built.leafVector[$0], base1: built.base1[$0], base0: built.base0[$0])
        }
        leaves = built.leaves
    }

    /// The value of the longest prefix containing `address`, or 0.
    /// - Complexity: O(w / 6) memory reads.
    @inlinable
    public func lookup(_ address: Address) -> UInt16 {
        direct.withUnsafeBufferPointer { direct in
            nodes.withUnsafeBufferPointer { nodes in
                leaves.withUnsafeBufferPointer { leaves in
                    Self.lookup(address.rawValue, direct: direct, nodes: nodes, leaves: leaves)
                }
            }
        }
    }

    /// How a batch is walked.
    public enum BatchStrategy: Sendable {
        /// One key at a time for tables that fit in cache, interleaved otherwise.
        case automatic
        case oneByOne
        /// Sixteen keys in lockstep, so their cache misses overlap.
        case interleaved
    }

    /// Looks up every key of `keys` into `values` (same count), with the tables pinned once.
    @inlinable
    public func lookup(
        _ keys: UnsafeBufferPointer<Address>, into values: UnsafeMutableBufferPointer<UInt16>, strategy: BatchStrategy = .automatic
    ) {
        precondition(values.count >= keys.count, "values must hold one result per key")
        direct.withUnsafeBufferPointer { direct in
            nodes.withUnsafeBufferPointer { nodes in
                leaves.withUnsafeBufferPointer { leaves in
                    // A table that fits in cache gains nothing from overlapping misses and loses to
                    // the extra bookkeeping (docs/performance.md).
                    let oneByOne = strategy == .oneByOne || (strategy == .automatic && structureBytes < Self.interleavingThreshold)
                    if oneByOne {
                        for i in keys.indices { values[i] = Self.lookup(keys[i].rawValue, direct: direct, nodes: nodes, leaves: leaves) }
                        return
                    }
                    var start = 0
                    while start < keys.count {
                        let end = min(start + Self.lanes, keys.count)
                        Self.lookupInterleaved(keys, start..<end, into: values, direct: direct, nodes: nodes, leaves: leaves)
                        start = end
                    }
                }
            }
        }
    }

    /// Structures smaller than this are looked up one key at a time (they stay in cache).
    @usableFromInline static var interleavingThreshold: Int { 4 << 20 }

    /// Lookups advanced together, one trie level at a time, so their cache misses overlap.
    @usableFromInline static var lanes: Int { 16 }

    /// Walks the keys of `range` in lockstep: each round reads one node for every unfinished key.
    @inlinable @inline(__always)
    static func lookupInterleaved(
        _ keys: UnsafeBufferPointer<Address>, _ range: Range<Int>, into values: UnsafeMutableBufferPointer<UInt16>,
        direct: UnsafeBufferPointer<UInt32>, nodes: UnsafeBufferPointer<Node>, leaves: UnsafeBufferPointer<UInt16>
    ) {
        var node = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var pending: UInt32 = 0
        withUnsafeMutableBytes(of: &node) { raw in
            let current = raw.bindMemory(to: Int.self)
            for (lane, i) in range.enumerated() {
                let entry = direct[Int(truncatingIfNeeded: keys[i].rawValue >> (width - directBits))]
                if entry & nodeFlag == 0 {
                    values[i] = UInt16(truncatingIfNeeded: entry)
                } else {
                    current[lane] = Int(entry & ~nodeFlag)
                    pending |= 1 << UInt32(lane)
                }
            }
            var shift = width - directBits - 6
            while pending != 0 {
                var remaining = pending
                while remaining != 0 {
                    let lane = remaining.trailingZeroBitCount
                    remaining &= remaining &- 1
                    let i = range.lowerBound + lane
                    let key = keys[i].rawValue
                    let slot = shift >= 0 ? Int(truncatingIfNeeded: key >> shift) & 63 : Int(truncatingIfNeeded: key << -shift) & 63
                    let bit = UInt64(1) &<< UInt64(slot)
                    let below = bit &- 1
                    let n = nodes[current[lane]]
                    if n.vector & bit != 0 {
                        current[lane] = Int(n.base1) &+ (n.vector & below).nonzeroBitCount
                    } else {
                        values[i] = leaves[Int(n.base0) &+ (n.leafVector & (below | bit)).nonzeroBitCount &- 1]
                        pending &= ~(1 << UInt32(lane))
                    }
                }
                shift -= 6
            }
        }
    }

    /// The lookup proper. Indices come from the builder, which keeps every child and leaf index
    /// inside its array; the buffers are bounds-checked in debug builds only.
    @inlinable @inline(__always)
    static func lookup(
        _ key: Address.Word, direct: UnsafeBufferPointer<UInt32>, nodes: UnsafeBufferPointer<Node>, leaves: UnsafeBufferPointer<UInt16>
    ) -> UInt16 {
        let entry = direct[Int(truncatingIfNeeded: key >> (width - directBits))]
        if entry & nodeFlag == 0 { return UInt16(truncatingIfNeeded: entry) }
        var node = nodes[Int(entry & ~nodeFlag)]
        var shift = width - directBits - 6
        while true {
            // Bits past the end of the address read as zero; the builder filled those slots alike.
            let slot = shift >= 0 ? Int(truncatingIfNeeded: key >> shift) & 63 : Int(truncatingIfNeeded: key << -shift) & 63
            let bit = UInt64(1) &<< UInt64(slot)
            let below = bit &- 1
            if node.vector & bit != 0 {
                node = nodes[Int(node.base1) &+ (node.vector & below).nonzeroBitCount]
                shift -= 6
            } else {
                return leaves[Int(node.base0) &+ (node.leafVector & (below | bit)).nonzeroBitCount &- 1]
            }
        }
    }

    /// Bytes of the lookup structure (arrays' element storage).
    public var structureBytes: Int {
        direct.count * 4 + nodes.count * MemoryLayout<Node>.stride + leaves.count * 2
    }

    /// The number of multibit nodes.
    public var nodeCount: Int { nodes.count }
}

/// A binary trie of the prefixes, compiled into a ``Poptrie``.
struct PoptrieBuilder<Address: IntegerAddress> {
    /// Binary trie in arrays: children (0 = none; node 0 is the root) and values (0 = none).
    var zero: [Int32] = [0]
    var one: [Int32] = [0]
    var value: [UInt16] = [0]

    mutating func insert(_ prefix: CIDR<Address>, value newValue: UInt16) {
        let width = Address.Word.bitWidth
        var node = 0
        for depth in 0..<Int(prefix.length) {
            let bit = (prefix.network.rawValue >> (width - 1 - depth)) & 1 == 1
            let next = bit ? one[node] : zero[node]
            if next != 0 {
                node = Int(next)
                continue
            }
            let created = Int32(value.count)
            zero.append(0)
            one.append(0)
            value.append(0)
            if bit { one[node] = created } else { zero[node] = created }
            node = Int(created)
        }
        value[node] = newValue
    }

    struct Compiled {
        var direct: [UInt32] = []
        var vector: [UInt64] = []
        var leafVector: [UInt64] = []
        var base1: [UInt32] = []
        var base0: [UInt32] = []
        var leaves: [UInt16] = []
    }

    /// Follows `bits` bits of `path` (most significant first) from `node` at `depth`, keeping the
    /// last value seen; returns the trie node reached (or -1 when the path leaves the trie) and that value.
    func walk(from node: Int, depth: Int, path: Int, bits: Int, inherited: UInt16) -> (node: Int, value: UInt16, depth: Int) {
        let width = Address.Word.bitWidth
        var current = node
        var best = inherited
        var d = depth
        for i in stride(from: bits - 1, through: 0, by: -1) {
            if d >= width { break }
            let next = (path >> i) & 1 == 1 ? one[current] : zero[current]
            if next == 0 { return (-1, best, d) }
            current = Int(next)
            d += 1
            if value[current] != 0 { best = value[current] }
        }
        return (current, best, d)
    }

    /// Whether `node` has anything below it.
    func hasChildren(_ node: Int) -> Bool { zero[node] != 0 || one[node] != 0 }

    func compile() -> Compiled {
        var out = Compiled()
        let directBits = Poptrie<Address>.directBits
        var direct = [UInt32](repeating: UInt32(value[0]), count: 1 << directBits)
        var pending: [(slot: Int, node: Int, inherited: UInt16)] = []
        // Fill the direct table by descending the binary trie: a subtree's range takes its best
        // value, and deeper prefixes overwrite their part.
        func fill(_ node: Int, depth: Int, path: Int, inherited: UInt16) {
            let best = value[node] != 0 ? value[node] : inherited
            if depth == directBits {
                if hasChildren(node) { pending.append((path, node, best)) } else { direct[path] = UInt32(best) }
                return
            }
            let span = 1 << (directBits - depth)
            let start = path << (directBits - depth)
            if best != inherited || depth == 0 {
                direct.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[start..<start + span]).update(repeating: UInt32(best)) }
            }
            if zero[node] != 0 { fill(Int(zero[node]), depth: depth + 1, path: path << 1, inherited: best) }
            if one[node] != 0 { fill(Int(one[node]), depth: depth + 1, path: path << 1 | 1, inherited: best) }
        }
        fill(0, depth: 0, path: 0, inherited: 0)
        for entry in pending {
            direct[entry.slot] = Poptrie<Address>.nodeFlag | UInt32(out.vector.count)
            appendNodes(&out, trieNodes: [(entry.node, entry.inherited, directBits)])
        }
        out.direct = direct
        return out
    }

    /// Appends multibit nodes for `trieNodes` contiguously, then their children, depth first per group.
    func appendNodes(_ out: inout Compiled, trieNodes: [(node: Int, inherited: UInt16, depth: Int)]) {
        let first = out.vector.count
        for _ in trieNodes {
            out.vector.append(0)
            out.leafVector.append(0)
            out.base1.append(0)
            out.base0.append(0)
        }
        for (offset, entry) in trieNodes.enumerated() {
            let index = first + offset
            var children: [(node: Int, inherited: UInt16, depth: Int)] = []
            var vector: UInt64 = 0
            var leafVector: UInt64 = 0
            var last: UInt16? = nil
            out.base0[index] = UInt32(out.leaves.count)
            for slot in 0..<64 {
                let (node, best, depth) = walk(from: entry.node, depth: entry.depth, path: slot, bits: 6, inherited: entry.inherited)
                if node >= 0, hasChildren(node), depth == entry.depth + 6 {
                    vector |= UInt64(1) << UInt64(slot)
                    children.append((node, best, depth))
                } else if best != last {
                    leafVector |= UInt64(1) << UInt64(slot)
                    out.leaves.append(best)
                    last = best
                }
            }
            out.vector[index] = vector
            out.leafVector[index] = leafVector
            if !children.isEmpty {
                out.base1[index] = UInt32(out.vector.count)
                appendNodes(&out, trieNodes: children)
            }
        }
    }
}
