/// The bytes of output lines, built piece by piece: the one place the reporters write through a
/// pointer. An append is a capacity check and a copy — no uniqueness check, no generic
/// `append(contentsOf:)`, no retain — and the buffer only grows, so a worker's buffer is allocated
/// once per run. Bounds are checked in debug builds only: every write first reserves its room.
///
/// One per worker (``Replayer/Lines``); not shared between threads.
public final class LineBuffer {
    // Unchecked: one owner writes at a time (the class's contract), so the per-access dynamic
    // exclusivity check a class property otherwise pays would only cost.
    @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) @usableFromInline var capacity: Int
    @exclusivity(unchecked) @usableFromInline var used = 0

    public init(capacity: Int = 1 << 12) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written.
    @inlinable public var count: Int { used }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always)
    public func reserve(_ extra: Int) {
        if used + extra > capacity { grow(toHold: used + extra) }
    }

    @usableFromInline func grow(toHold needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: used)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        base[used] = byte
        used += 1
    }

    @inlinable @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        if let source = bytes.baseAddress { (base + used).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        used += bytes.count
    }

    @inlinable @inline(__always)
    public func append(_ text: StaticString) {
        text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
    }

    /// A string's UTF-8 (a copy of a native string is contiguous already: no bytes are copied twice).
    @inlinable
    public func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Lets `body` write at most `limit` bytes in place; it returns how many it wrote.
    @inlinable @inline(__always)
    public func write(upTo limit: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        reserve(limit)
        let written = body(UnsafeMutableBufferPointer(start: base + used, count: limit))
        assert(written >= 0 && written <= limit, "wrote \(written) bytes of \(limit) reserved")
        used += written
    }

    /// Inserts `count` copies of `byte` at `index`, moving what follows.
    public func insert(_ byte: UInt8, count: Int, at index: Int) {
        assert(index >= 0 && index <= used && count >= 0)
        reserve(count)
        (base + index + count).update(from: base + index, count: used - index)
        (base + index).update(repeating: byte, count: count)
        used += count
    }

    /// Forgets the bytes; the capacity stays.
    public func removeAll() { used = 0 }

    /// The bytes written, valid during the call.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: used))
    }

    /// The bytes `range`, valid during the call.
    public func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        assert(range.lowerBound >= 0 && range.upperBound <= used)
        return try body(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// The bytes as text.
    public var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }
}
