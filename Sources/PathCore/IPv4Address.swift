/// An IPv4 address held as a host-order `UInt32` (`10.0.7.10` is `0x0A00_070A`).
///
/// Parsing is strict: exactly four decimal octets, each 0…255, no leading zeros
/// (`010.0.0.1` is rejected because some parsers read it as octal), no spaces.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address as a host-order integer.
    public var rawValue: UInt32

    /// Creates an address from its host-order integer value.
    @inlinable
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// Creates an address from four octets, most significant first.
    @inlinable
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text; returns `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let value = text.withUTF8({ IPv4Address(utf8: $0) }) else { return nil }
        self = value
    }

    /// Parses dotted-quad text from its UTF-8 bytes (no leading zeros, each octet 0–255): the one
    /// parser, not generic, so that readers of bytes (flow logs) pay no `String` per address.
    public init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        var value: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits == 1 && leadingZero { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 3 || current > 255 { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, octets < 3 else { return nil }
                value = value << 8 | current
                octets += 1
                current = 0
                digits = 0
                leadingZero = false
            default:
                return nil
            }
        }
        guard digits > 0, octets == 3 else { return nil }
        self.rawValue = value << 8 | current
    }

    /// The longest dotted-quad text, in bytes.
    public static let maximumTextLength = 15

    /// Writes the dotted-quad text into `buffer` (at least ``maximumTextLength`` bytes) and returns
    /// its length: digit by digit, since interpolation cost four conversions and appends per
    /// address, and replay prints addresses on every line.
    public func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        for shift in stride(from: UInt32(24), through: 0, by: -8) {
            let octet = rawValue >> shift & 0xFF
            if octet >= 100 { buffer[count] = UInt8(48 + octet / 100); count += 1 }
            if octet >= 10 { buffer[count] = UInt8(48 + octet / 10 % 10); count += 1 }
            buffer[count] = UInt8(48 + octet % 10)
            count += 1
            if shift > 0 { buffer[count] = UInt8(ascii: "."); count += 1 }
        }
        return count
    }

    /// Dotted-quad text, e.g. `10.0.7.10`.
    public var description: String { String(unsafeUninitializedCapacity: Self.maximumTextLength) { writeText(into: $0) } }

    @inlinable
    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.rawValue < rhs.rawValue }
}
