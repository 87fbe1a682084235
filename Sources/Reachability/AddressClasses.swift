import PathCore
import VPCTopology

/// A run of consecutive addresses of one family, `first` to `last` inclusive (IPv4 addresses as
/// their 32-bit value in the low bits).
public struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    public var family: AddressFamily
    public var first: UInt128
    public var last: UInt128

    public init(family: AddressFamily, first: UInt128, last: UInt128) {
        self.family = family
        self.first = first
        self.last = last
    }

    public init(_ prefix: IPPrefix) {
        switch prefix {
        case .v4(let p): self.init(family: .ipv4, first: UInt128(p.network.rawValue), last: UInt128(p.last.rawValue))
        case .v6(let p): self.init(family: .ipv6, first: p.network.rawValue, last: p.last.rawValue)
        }
    }

    /// How many addresses (saturating at `UInt128.max` for all of IPv6).
    public var count: UInt128 { last - first == .max ? .max : last - first + 1 }

    public func address(_ value: UInt128) -> IPAddress {
        family == .ipv4 ? .v4(IPv4Address(UInt32(value))) : .v6(IPv6Address(value))
    }

    public func contains(_ address: IPAddress) -> Bool { Self.value(address).map { first <= $0 && $0 <= last } ?? false }

    /// The value of an address of this range's family.
    static func value(_ address: IPAddress) -> UInt128? {
        switch address {
        case .v4(let a): UInt128(a.rawValue)
        case .v6(let a): a.rawValue
        }
    }

    /// The fewest CIDR blocks that cover the range exactly, in order.
    public var prefixes: [IPPrefix] {
        let width = family == .ipv4 ? 32 : 128
        var blocks: [IPPrefix] = []
        var start = first
        while true {
            // The largest aligned block at `start` that does not pass `last`.
            var size = start == 0 ? width : min(start.trailingZeroBitCount, width)
            while size > 0 && (size == 128 ? UInt128.max : (UInt128(1) << size) - 1) > last - start { size -= 1 }
            let length = UInt8(width - size)
            switch address(start) {
            case .v4(let a): blocks.append(.v4(IPv4Prefix(containing: a, length: length)))
            case .v6(let a): blocks.append(.v6(IPv6Prefix(containing: a, length: length)))
            }
            let end = size == 128 ? UInt128.max : start + (UInt128(1) << size) - 1
            if end >= last { break }
            start = end + 1
        }
        return blocks
    }

    /// `10.0.0.0/8`, or `10.0.0.0/8, 11.0.0.0/9 and 3 more blocks`.
    public var description: String {
        let blocks = prefixes
        let shown = blocks.prefix(3).map(\.description).joined(separator: ", ")
        return blocks.count > 3 ? "\(shown) and \(blocks.count - 3) more blocks" : shown
    }
}

/// The address space cut where any prefix the topology holds begins or ends: within one class
/// every address is inside exactly the same prefixes — route destinations and prefix-list
/// entries, security-group and network ACL CIDRs, VPC, subnet, peering, VPN and on-premises CIDRs,
/// interface, public, load-balancer target and declared service addresses, and the ranges AWS
/// gives fixed meaning (private and shared space, link-local, the reserved service addresses,
/// R1.10, R7.5, R13.1). Since the walk reads addresses only through such prefixes, every
/// address of a class gets the same answer; one representative per class stands for all of it.
public struct AddressClasses: Sendable {
    /// The classes of the family, in address order, covering the whole space.
    public let classes: [AddressRange]

    public init(topology: Topology, family: AddressFamily) {
        var starts: Set<UInt128> = [0]
        func cut(_ prefix: IPPrefix) {
            let range = AddressRange(prefix)
            guard range.family == family else { return }
            starts.insert(range.first)
            if range.last < (family == .ipv4 ? UInt128(UInt32.max) : .max) { starts.insert(range.last + 1) }
        }
        for prefix in Self.prefixes(of: topology) { cut(prefix) }
        let ordered = starts.sorted()
        let top = family == .ipv4 ? UInt128(UInt32.max) : UInt128.max
        classes = ordered.indices.map { index in
            AddressRange(family: family, first: ordered[index], last: index + 1 < ordered.count ? ordered[index + 1] - 1 : top)
        }
    }

    /// Every prefix the walk may test an address against (see the type's comment).
    static func prefixes(of topology: Topology) -> [IPPrefix] {
        var found: [IPPrefix] = Self.fixed
        func host(_ address: IPAddress) -> IPPrefix {
            switch address {
            case .v4(let a): .v4(IPv4Prefix(containing: a, length: 32))
            case .v6(let a): .v6(IPv6Prefix(containing: a, length: 128))
            }
        }
        for vpc in topology.vpcs {
            found += vpc.cidrs
            if let server = vpc.dnsServer { found.append(host(.v4(server))) }
        }
        for subnet in topology.subnets { found += subnet.cidrs }
        for list in topology.prefixLists { found += list.entries ?? [] }
        func destination(_ destination: RouteDestination) {
            if case .cidr(let prefix) = destination { found.append(prefix) }
        }
        for table in topology.routeTables { for route in table.routes { destination(route.destination) } }
        for gateway in topology.transitGateways {
            for table in gateway.routeTables { for route in table.routes { destination(route.destination) } }
            for attachment in gateway.attachments { found += attachment.onPremises }
        }
        for group in topology.securityGroups {
            for rule in group.ingress + group.egress { if case .cidr(let prefix) = rule.peer { found.append(prefix) } }
        }
        for acl in topology.networkACLs { found += (acl.ingress + acl.egress).map(\.cidr) }
        for peering in topology.peeringConnections { found += peering.requesterCIDRs + peering.accepterCIDRs }
        for connection in topology.vpnConnections { found += connection.routes + connection.onPremises }
        for interface in topology.interfaces {
            found += interface.addresses.map(host)
            found += interface.ipv4.compactMap { $0.publicAddress.map { host(.v4($0)) } }
        }
        for balancer in topology.loadBalancers {
            for group in balancer.targetGroups {
                for target in group.targets { if case .ip(let address) = target.kind { found.append(host(address)) } }
            }
        }
        found += topology.serviceRanges.map(\.prefix)
        return found
    }

    /// Ranges with a fixed meaning whatever the topology: ``privateSpace`` (an internet gateway
    /// refuses it, R7.5), ``unroutable`` space, AWS's reserved link-local /22 with its three
    /// service addresses and fd00:ec2::/32's three (R1.10).
    static let fixed: [IPPrefix] =
        privateSpace + unroutable + [globalUnicast]
        + ["169.254.168.0/22", "169.254.169.253/32", "169.254.169.254/32", "169.254.169.123/32", "fd00:ec2::253/128", "fd00:ec2::254/128", "fd00:ec2::123/128"]
        .map(parsed)

    /// IPv6 global unicast, the only IPv6 space the internet routes.
    static let globalUnicast = parsed("2000::/3")

    /// RFC 1918, RFC 6598 and unique local space.
    static let privateSpace: [IPPrefix] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"].map(parsed)

    /// Space nothing sends from or to across a VPC: "this network", loopback, link-local,
    /// multicast, the reserved class E and broadcast, AWS's fd00:ec2::/32, IPv6 unspecified and
    /// loopback.
    static let unroutable: [IPPrefix] = [
        "0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "fd00:ec2::/32", "fe80::/10", "ff00::/8", "::/127",
    ].map(parsed)

    private static func parsed(_ text: String) -> IPPrefix { try! IPPrefix.parse(text).get() }

    /// The class holding `address`.
    public func classOf(_ address: IPAddress) -> AddressRange? {
        guard let value = AddressRange.value(address), let family = classes.first?.family, family == address.family else { return nil }
        var low = 0, high = classes.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if classes[middle].first <= value { low = middle } else { high = middle - 1 }
        }
        return classes[low]
    }
}
