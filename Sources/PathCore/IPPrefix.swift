/// Why a prefix text was rejected by ``IPPrefix/parse(_:)``.
public enum PrefixParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not `ADDRESS/LENGTH` with a valid address.
    case malformed(String)
    /// The length is not a number from 0 to 32 (IPv4) or 128 (IPv6).
    case lengthOutOfRange(String)
    /// The address has bits set beyond the prefix length; `canonical` is what was probably meant.
    case hostBitsSet(String, canonical: String)

    public var description: String {
        switch self {
        case .malformed(let text): return "'\(text)' is not a CIDR block (expected ADDRESS/LENGTH)"
        case .lengthOutOfRange(let text): return "'\(text)' has a prefix length out of range"
        case .hostBitsSet(let text, let canonical):
            return "'\(text)' has host bits set beyond its prefix length (did you mean \(canonical)?)"
        }
    }
}

/// An address type held as one unsigned integer: ``IPv4Address`` (`UInt32`) or ``IPv6Address`` (`UInt128`).
public protocol IntegerAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    associatedtype Word: FixedWidthInteger & UnsignedInteger & Sendable
    var rawValue: Word { get }
    init(_ rawValue: Word)
}

extension IPv4Address: IntegerAddress {}
extension IPv6Address: IntegerAddress {}

/// A CIDR block of one family: a network address and a prefix length, host bits zero.
/// ``IPv4Prefix`` and ``IPv6Prefix`` are its two instances.
public struct CIDR<Address: IntegerAddress>: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits are always zero).
    public let network: Address
    /// The prefix length, 0…32 for IPv4, 0…128 for IPv6.
    public let length: UInt8

    /// The family's address width in bits.
    @inlinable
    public static var maximumLength: UInt8 { UInt8(Address.Word.bitWidth) }

    /// Creates the block of `length` containing `address`, clearing host bits.
    @inlinable
    public init(containing address: Address, length: UInt8) {
        precondition(length <= Self.maximumLength, "prefix length out of range")
        self.network = Address(address.rawValue & Self.mask(length))
        self.length = length
    }

    /// The netmask for `length` as an integer (`/24` in IPv4 is `0xFFFF_FF00`).
    @inlinable
    public static func mask(_ length: UInt8) -> Address.Word {
        length == 0 ? 0 : Address.Word.max << (Address.Word(maximumLength) - Address.Word(length))
    }

    /// Whether `address` lies inside this block.
    /// - Complexity: O(1).
    @inlinable
    public func contains(_ address: Address) -> Bool {
        address.rawValue & Self.mask(length) == network.rawValue
    }

    /// Whether `other` lies entirely inside this block.
    @inlinable
    public func contains(_ other: CIDR) -> Bool {
        other.length >= length && contains(other.network)
    }

    /// Whether the two blocks share at least one address.
    @inlinable
    public func overlaps(_ other: CIDR) -> Bool {
        contains(other.network) || other.contains(network)
    }

    /// The last address of the block (the broadcast address of an IPv4 subnet).
    @inlinable
    public var last: Address { Address(network.rawValue | ~Self.mask(length)) }

    public var description: String { "\(network)/\(length)" }
}

/// An IPv4 CIDR block.
public typealias IPv4Prefix = CIDR<IPv4Address>
/// An IPv6 CIDR block.
public typealias IPv6Prefix = CIDR<IPv6Address>

/// An IPv4 or IPv6 CIDR block.
public enum IPPrefix: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Prefix)
    case v6(IPv6Prefix)

    /// Parses `ADDRESS/LENGTH` strictly: no spaces, a decimal length without leading zeros,
    /// and no host bits set (AWS rejects `10.0.0.1/16` as a VPC, subnet or route CIDR).
    public static func parse(_ text: some StringProtocol) -> Result<IPPrefix, PrefixParseError> {
        let string = String(text)
        let parts = string.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(parts[0]) else { return .failure(.malformed(string)) }
        let lengthText = parts[1]
        guard !lengthText.isEmpty, lengthText.count <= 3, lengthText.allSatisfy({ $0.isASCII && $0.isNumber }),
            lengthText == "0" || !lengthText.hasPrefix("0"), let length = UInt8(lengthText)
        else { return .failure(.malformed(string)) }
        switch address {
        case .v4(let a):
            guard length <= 32 else { return .failure(.lengthOutOfRange(string)) }
            let prefix = IPv4Prefix(containing: a, length: length)
            guard prefix.network == a else { return .failure(.hostBitsSet(string, canonical: prefix.description)) }
            return .success(.v4(prefix))
        case .v6(let a):
            guard length <= 128 else { return .failure(.lengthOutOfRange(string)) }
            let prefix = IPv6Prefix(containing: a, length: length)
            guard prefix.network == a else { return .failure(.hostBitsSet(string, canonical: prefix.description)) }
            return .success(.v6(prefix))
        }
    }

    /// Parses like ``parse(_:)`` but returns `nil` on error.
    public init?(_ text: some StringProtocol) {
        guard case .success(let prefix) = IPPrefix.parse(text) else { return nil }
        self = prefix
    }

    /// The family of this prefix.
    public var family: AddressFamily {
        switch self {
        case .v4: return .ipv4
        case .v6: return .ipv6
        }
    }

    /// The prefix length.
    public var length: UInt8 {
        switch self {
        case .v4(let p): return p.length
        case .v6(let p): return p.length
        }
    }

    /// Whether `address` lies inside this block; always false across families (R1.2).
    @inlinable
    public func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.v4(let p), .v4(let a)): return p.contains(a)
        case (.v6(let p), .v6(let a)): return p.contains(a)
        default: return false
        }
    }

    /// Whether `other` lies entirely inside this block (same family only).
    public func contains(_ other: IPPrefix) -> Bool {
        switch (self, other) {
        case (.v4(let p), .v4(let q)): return p.contains(q)
        case (.v6(let p), .v6(let q)): return p.contains(q)
        default: return false
        }
    }

    /// Whether the two blocks share an address (same family only).
    public func overlaps(_ other: IPPrefix) -> Bool {
        switch (self, other) {
        case (.v4(let p), .v4(let q)): return p.overlaps(q)
        case (.v6(let p), .v6(let q)): return p.overlaps(q)
        default: return false
        }
    }

    /// The network address.
    public var network: IPAddress {
        switch self {
        case .v4(let p): return .v4(p.network)
        case .v6(let p): return .v6(p.network)
        }
    }

    public var description: String {
        switch self {
        case .v4(let p): return p.description
        case .v6(let p): return p.description
        }
    }
}
