/// An IPv6 address held as a host-order `UInt128`.
///
/// Parsing accepts every RFC 4291 text form (`::` compression, embedded IPv4 in the
/// last 32 bits, upper or lower case) and rejects zone indices, over-long groups and
/// a second `::`. ``description`` is the RFC 5952 canonical form: lower case, leading
/// zeros dropped, the longest run of two or more zero groups compressed (the first
/// run on a tie), and no compression of a single zero group.
public struct IPv6Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a host-order integer.
    public var rawValue: UInt128

    /// Creates an address from its host-order integer value.
    @inlinable
    public init(_ rawValue: UInt128) { self.rawValue = rawValue }

    /// Parses IPv6 text; returns `nil` for anything that is not an IPv6 address.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawCompression = false
        var index = 0
        if bytes.starts(with: [UInt8(ascii: ":"), UInt8(ascii: ":")]) {
            sawCompression = true
            index = 2
            if index == bytes.count { self.rawValue = 0; return }
        } else if bytes[0] == UInt8(ascii: ":") {
            return nil
        }
        while index < bytes.count {
            // Read one group or a trailing dotted IPv4 address.
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: ":") { end += 1 }
            let field = bytes[index..<end]
            if field.isEmpty { return nil }
            if field.contains(UInt8(ascii: ".")) {
                guard end == bytes.count, let v4 = IPv4Address(String(decoding: field, as: UTF8.self)) else {
                    return nil
                }
                let groups = [UInt16(v4.rawValue >> 16), UInt16(v4.rawValue & 0xFFFF)]
                if sawCompression { tail += groups } else { head += groups }
                index = end
                break
            }
            guard field.count <= 4, let group = UInt16(String(decoding: field, as: UTF8.self), radix: 16) else {
                return nil
            }
            if sawCompression { tail.append(group) } else { head.append(group) }
            index = end
            if index == bytes.count { break }
            // At a colon: a double colon starts the compressed run.
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                guard !sawCompression else { return nil }
                sawCompression = true
                index += 1
                if index == bytes.count { break }
            } else if index == bytes.count {
                return nil
            }
        }
        let total = head.count + tail.count
        if sawCompression {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        var value: UInt128 = 0
        for group in head { value = value << 16 | UInt128(group) }
        for _ in 0..<(8 - total) { value <<= 16 }
        for group in tail { value = value << 16 | UInt128(group) }
        self.rawValue = value
    }

    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16] {
        (0..<8).map { UInt16(truncatingIfNeeded: rawValue >> (112 - 16 * UInt128($0))) }
    }

    /// The longest RFC 5952 text, in bytes.
    public static let maximumTextLength = 39

    /// Writes the RFC 5952 canonical text into `buffer` (at least ``maximumTextLength`` bytes) and
    /// returns its length: digit by digit, since replay prints an address per line.
    public func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        // Groups read from the integer as needed: no array per address.
        let value = rawValue
        func group(_ i: Int) -> UInt16 { UInt16(truncatingIfNeeded: value >> (112 - 16 * i)) }
        // Find the longest run (length >= 2) of zero groups; first one wins ties.
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for i in 0...8 {
            if i < 8 && group(i) == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength && length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        var count = 0
        func put(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }
        var i = 0
        while i < 8 {
            if i == bestStart {
                put(UInt8(ascii: ":"))
                if i == 0 { put(UInt8(ascii: ":")) }
                i += bestLength
                if i == 8 { return count }
                continue
            }
            let bits = group(i)
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let digit = UInt8(truncatingIfNeeded: bits >> UInt16(shift)) & 0xF
                if digit == 0 && !started && shift > 0 { continue }
                started = true
                put(digit < 10 ? 48 + digit : 87 + digit)
            }
            i += 1
            if i < 8 { put(UInt8(ascii: ":")) }
        }
        return count
    }

    /// RFC 5952 canonical text.
    public var description: String { String(unsafeUninitializedCapacity: Self.maximumTextLength) { writeText(into: $0) } }

    @inlinable
    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool { lhs.rawValue < rhs.rawValue }
}
