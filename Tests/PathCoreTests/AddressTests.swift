import PathCore
import Testing

@Suite("IP addresses")
struct AddressTests {
    @Test("IPv4 parses dotted quads into host-order integers", arguments: [
        ("0.0.0.0", UInt32(0)), ("10.0.7.10", 0x0A00_070A), ("255.255.255.255", 0xFFFF_FFFF), ("192.168.1.0", 0xC0A8_0100),
    ])
    func ipv4Parses(text: String, value: UInt32) {
        #expect(IPv4Address(text)?.rawValue == value)
        #expect(IPv4Address(value).description == text)
    }

    @Test("IPv4 rejects malformed text", arguments: [
        "10.0.0.256", "10.0.0", "10.0.0.0.1", "010.0.0.1", "10..0.1", "1.2.3.4 ", "", "a.b.c.d", "1.2.3.-4", "1.2.3.4/32",
    ])
    func ipv4Rejects(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test("IPv6 formats canonically (RFC 5952)", arguments: [
        ("2001:DB8:0:0:0:0:2:1", "2001:db8::2:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single zero group is not compressed
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longest run is compressed
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // the first of equal runs
        ("::", "::"), ("::1", "::1"), ("1::", "1::"),
        ("2400:6500:08cc:6f00::", "2400:6500:8cc:6f00::"),
        ("::ffff:10.0.0.1", "::ffff:a00:1"),
        ("fd00:ec2::253", "fd00:ec2::253"),
    ])
    func ipv6Canonical(text: String, canonical: String) throws {
        let address = try #require(IPv6Address(text))
        #expect(address.description == canonical)
        #expect(IPv6Address(canonical) == address)
    }

    @Test("IPv6 rejects malformed text", arguments: [
        "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "g::1",
        "fe80::1%eth0", "::1.2.3", "1.2.3.4::",
    ])
    func ipv6Rejects(text: String) {
        #expect(IPv6Address(text) == nil)
    }

    @Test("IPv4-mapped IPv6 stays IPv6 (R1.2)")
    func mappedStaysIPv6() {
        #expect(IPAddress("::ffff:10.0.0.1")?.family == .ipv6)
    }
}

@Suite("CIDR prefixes")
struct PrefixTests {
    @Test("strict parsing rejects host bits, bad lengths and junk", arguments: [
        ("10.0.0.1/16", "host bits"), ("10.0.0.0/33", "out of range"), ("::/129", "out of range"), ("10.0.0.0", "not a CIDR"),
        ("10.0.0.0/", "not a CIDR"), ("10.0.0.0/08", "not a CIDR"), ("10.0.0.0/ 8", "not a CIDR"), ("2001:db8::1/64", "host bits"),
    ])
    func rejects(text: String, phrase: String) {
        guard case .failure(let error) = IPPrefix.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.description.contains(phrase))
    }

    @Test("host-bit errors suggest the canonical block")
    func suggestsCanonical() {
        guard case .failure(.hostBitsSet(_, let canonical)) = IPPrefix.parse("10.0.7.10/24") else {
            Issue.record("expected hostBitsSet")
            return
        }
        #expect(canonical == "10.0.7.0/24")
    }

    @Test("containment, edges and overlap")
    func containment() throws {
        let all = try #require(IPPrefix("0.0.0.0/0"))
        let host = try #require(IPPrefix("10.0.7.10/32"))
        let subnet = try #require(IPPrefix("10.0.7.0/24"))
        #expect(all.contains(IPAddress("255.255.255.255")!))
        #expect(host.contains(IPAddress("10.0.7.10")!) && !host.contains(IPAddress("10.0.7.11")!))
        #expect(subnet.contains(host) && !host.contains(subnet))
        #expect(subnet.overlaps(host) && host.overlaps(subnet))
        #expect(!subnet.overlaps(IPPrefix("10.0.8.0/24")!))
        #expect(!all.contains(IPAddress("::1")!))  // R1.2: families never mix
        let v6all = try #require(IPPrefix("::/0"))
        #expect(v6all.contains(IPAddress("ffff::1")!))
        #expect(try #require(IPPrefix("2001:db8::1/128")).contains(IPAddress("2001:db8::1")!))
        if case .v4(let p) = subnet { #expect(p.last == IPv4Address("10.0.7.255")) }
    }

    @Test("protocol names and numbers")
    func protocols() {
        #expect(IPProtocolNumber(name: "TCP") == .tcp)
        #expect(IPProtocolNumber(name: "icmp6") == .icmpv6)
        #expect(IPProtocolNumber(name: "47")?.description == "47")
        #expect(IPProtocolNumber(name: "256") == nil)
        #expect(IPProtocolNumber(name: "gre") == nil)
    }
}
