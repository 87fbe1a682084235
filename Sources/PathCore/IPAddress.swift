/// The address family of an address, prefix or packet.
public enum AddressFamily: String, Sendable, Hashable, CaseIterable {
    case ipv4
    case ipv6
}

/// An IPv4 or IPv6 address. IPv4-mapped IPv6 addresses stay IPv6 (R1.2).
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses either family; IPv6 is tried only when the text contains a colon.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        guard let value = text.withUTF8({ IPAddress(utf8: $0) }) else { return nil }
        self = value
    }

    /// Parses an address from its UTF-8 bytes: IPv6 when it has a colon, else dotted-quad IPv4.
    public init?(utf8 text: UnsafeBufferPointer<UInt8>) {
        if text.contains(UInt8(ascii: ":")) {
            guard let v6 = IPv6Address(String(decoding: text, as: UTF8.self)) else { return nil }
            self = .v6(v6)
        } else {
            guard let v4 = IPv4Address(utf8: text) else { return nil }
            self = .v4(v4)
        }
    }

    /// The family of this address.
    @inlinable
    public var family: AddressFamily {
        switch self {
        case .v4: return .ipv4
        case .v6: return .ipv6
        }
    }

    public var description: String {
        switch self {
        case .v4(let a): return a.description
        case .v6(let a): return a.description
        }
    }

    /// The longest text of an address of either family, in bytes.
    public static let maximumTextLength = IPv6Address.maximumTextLength

    /// Writes the address's text into `buffer` (at least ``maximumTextLength`` bytes) and returns
    /// its length, without making a `String`.
    public func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        switch self {
        case .v4(let a): return a.writeText(into: buffer)
        case .v6(let a): return a.writeText(into: buffer)
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): return a < b
        case (.v6(let a), .v6(let b)): return a < b
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        }
    }
}
