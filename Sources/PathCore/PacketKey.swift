/// Two addresses and a tag, as a ``FlowTableKey``: the key of a connection's direction, of an IP
/// datagram's fragments or of a conversation. IPv4 and IPv6 keys never meet: the family is part of
/// the tag.
public struct PacketKey: FlowTableKey, Hashable, Sendable {
    /// The first address (IPv4 in the low 32 bits).
    public var source: UInt128
    /// The second address (IPv4 in the low 32 bits).
    public var destination: UInt128
    /// What else tells keys apart (protocol, ports, identification), as its owner packs it in the
    /// low 56 bits; the top byte holds the family.
    public var tag: UInt64

    /// A key of two addresses of one family and a tag of at most 56 bits.
    @inlinable
    public init(_ source: IPAddress, _ destination: IPAddress, tag: UInt64) {
        switch (source, destination) {
        case (.v4(let s), .v4(let d)):
            self.source = UInt128(s.rawValue)
            self.destination = UInt128(d.rawValue)
            self.tag = tag
        case (.v6(let s), .v6(let d)):
            self.source = s.rawValue
            self.destination = d.rawValue
            self.tag = tag | 1 << 56
        case (.v4(let s), .v6(let d)):  // never in one packet; kept distinct all the same
            self.source = UInt128(s.rawValue)
            self.destination = d.rawValue
            self.tag = tag | 2 << 56
        case (.v6(let s), .v4(let d)):
            self.source = s.rawValue
            self.destination = UInt128(d.rawValue)
            self.tag = tag | 3 << 56
        }
    }

    @inlinable
    public var mixedHash: UInt64 {
        let low = mixHash(UInt64(truncatingIfNeeded: source), UInt64(truncatingIfNeeded: destination) ^ tag)
        return mixHash(low ^ UInt64(truncatingIfNeeded: source >> 64), UInt64(truncatingIfNeeded: destination >> 64))
    }

    /// The same key with the two addresses swapped and the tag given.
    @inlinable
    public func swapped(tag: UInt64) -> PacketKey {
        var key = self
        swap(&key.source, &key.destination)
        let family = self.tag >> 56
        key.tag = (family >= 2 ? family ^ 1 : family) << 56 | tag  // mixed families swap too
        return key
    }

    /// The two addresses back, in key order.
    public var addresses: (IPAddress, IPAddress) {
        func address(_ value: UInt128, _ isV6: Bool) -> IPAddress {
            isV6 ? .v6(IPv6Address(value)) : .v4(IPv4Address(UInt32(truncatingIfNeeded: value)))
        }
        switch tag >> 56 {
        case 0: return (address(source, false), address(destination, false))
        case 1: return (address(source, true), address(destination, true))
        case 2: return (address(source, false), address(destination, true))
        default: return (address(source, true), address(destination, false))
        }
    }
}
