import PathCore
/// Two addresses and a tag, as a ``FlowTableKey``: the key of a connection's direction, of an IP
/// datagram's fragments or of a conversation. IPv4 and IPv6 keys never meet: the family is part of
/// the tag.
///
/// Addresses are held as 64-bit halves, not `UInt128`, so the key is 8-byte aligned: 40 bytes, and a
/// table slot with a small value fits in 48 (a `UInt128` would align it to 16 and pad it to 64).
package struct PacketKey: FlowTableKey, Hashable, Sendable {
    /// The first address's high and low 64 bits (IPv4: 0 and the address).
    package var sourceHigh: UInt64
    package var sourceLow: UInt64
    /// The second address's high and low 64 bits.
    package var destinationHigh: UInt64
    package var destinationLow: UInt64
    /// What else tells keys apart (protocol, ports, identification), as its owner packs it in the
    /// low 56 bits; the top byte holds the family.
    package var tag: UInt64

    /// A key of two addresses of one family and a tag of at most 56 bits.
    package init(_ source: IPAddress, _ destination: IPAddress, tag: UInt64) {
        @inline(__always) func halves(_ address: IPAddress) -> (UInt64, UInt64, isV6: Bool) {
            switch address {
            case .v4(let a): return (0, UInt64(a.rawValue), false)
            case .v6(let a): return (UInt64(truncatingIfNeeded: a.rawValue >> 64), UInt64(truncatingIfNeeded: a.rawValue), true)
            }
        }
        let s = halves(source), d = halves(destination)
        (sourceHigh, sourceLow, destinationHigh, destinationLow) = (s.0, s.1, d.0, d.1)
        // Families: 0 both IPv4, 1 both IPv6, 2 and 3 mixed (never in one packet; kept distinct all the same).
        let family: UInt64 = s.isV6 == d.isV6 ? (s.isV6 ? 1 : 0) : (s.isV6 ? 3 : 2)
        self.tag = tag | family << 56
    }

    package var mixedHash: UInt64 {
        mixHash(mixHash(sourceLow, destinationLow ^ tag) ^ sourceHigh, destinationHigh)
    }

    /// The same key with the two addresses swapped and the tag given.
    package func swapped(tag: UInt64) -> PacketKey {
        var key = self
        swap(&key.sourceHigh, &key.destinationHigh)
        swap(&key.sourceLow, &key.destinationLow)
        let family = self.tag >> 56
        key.tag = (family >= 2 ? family ^ 1 : family) << 56 | tag  // mixed families swap too
        return key
    }

    /// The two addresses back, in key order.
    package var addresses: (IPAddress, IPAddress) {
        func address(_ high: UInt64, _ low: UInt64, _ isV6: Bool) -> IPAddress {
            isV6 ? .v6(IPv6Address(UInt128(high) << 64 | UInt128(low))) : .v4(IPv4Address(UInt32(truncatingIfNeeded: low)))
        }
        let family = tag >> 56
        return (address(sourceHigh, sourceLow, family == 1 || family == 3), address(destinationHigh, destinationLow, family == 1 || family == 2))
    }
}
