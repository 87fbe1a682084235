/// A bounds-checked, read-only view of a frame: every read returns `nil` past the end, so a
/// lying length field can never read outside the buffer.
struct Bytes {
    let buffer: UnsafeRawBufferPointer

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var count: Int { buffer.count }

    @inline(__always)
    func u8(_ at: Int) -> UInt8? {
        guard at >= 0, at < buffer.count else { return nil }
        return buffer[at]
    }

    /// A big-endian 16-bit field.
    @inline(__always)
    func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at &+ 2 <= buffer.count else { return nil }
        return UInt16(buffer[at]) << 8 | UInt16(buffer[at + 1])
    }

    /// A 32-bit field, big-endian unless told otherwise.
    @inline(__always)
    func u32(_ at: Int, bigEndian: Bool = true) -> UInt32? {
        guard at >= 0, at &+ 4 <= buffer.count else { return nil }
        let b = (UInt32(buffer[at]), UInt32(buffer[at + 1]), UInt32(buffer[at + 2]), UInt32(buffer[at + 3]))
        return bigEndian ? b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3 : b.3 << 24 | b.2 << 16 | b.1 << 8 | b.0
    }

    /// A big-endian 128-bit field.
    @inline(__always)
    func u128(_ at: Int) -> UInt128? {
        guard at >= 0, at &+ 16 <= buffer.count else { return nil }
        var value: UInt128 = 0
        for i in 0..<16 { value = value << 8 | UInt128(buffer[at + i]) }
        return value
    }

    /// The bytes from `at` to the end, as a frame of their own (for VXLAN's inner frame).
    func suffix(from at: Int) -> Bytes {
        Bytes(UnsafeRawBufferPointer(rebasing: buffer[min(at, buffer.count)...]))
    }
}
