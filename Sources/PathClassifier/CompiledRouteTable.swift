import PathCore
import VPCTopology

/// A route table compiled for fast lookups: AWS route priority is folded in at build time, so the
/// lookup is a plain longest-prefix match returning the winning route (``DIR16Table`` for IPv4,
/// ``Poptrie`` for IPv6: the faster structures for route-table sizes, docs/performance.md).
///
/// Folding (R1.1–R1.7, R1.11): every CIDR route and every entry of every prefix-list route becomes a
/// candidate prefix; among candidates with the identical prefix, a static CIDR route wins over a
/// prefix-list route, which wins over a propagated one, and between prefix lists the lowest `pl-` ID
/// wins; blackhole routes stay (they shadow); `filtered` routes are left out. ``RouteSelection`` is the
/// readable oracle it is tested against.
package struct CompiledRouteTable: Sendable {
    let v4: DIR16Table?
    let v6: Poptrie<IPv6Address>?

    /// Compiles `table`. A family whose prefix lists lack entries is not compiled (``lookup(_:)``
    /// then returns `nil` and callers use ``RouteSelection``).
    package init(_ table: RouteTable, topology: Topology) {
        var best4: [IPv4Prefix: (rank: (Int, String, Int), route: Int)] = [:]
        var best6: [IPv6Prefix: (rank: (Int, String, Int), route: Int)] = [:]
        var unresolved: Set<AddressFamily> = []
        func offer(_ prefix: IPPrefix, rank: (Int, String, Int), route: Int) {
            switch prefix {
            case .v4(let p): if best4[p].map({ rank < $0.rank }) ?? true { best4[p] = (rank, route) }
            case .v6(let p): if best6[p].map({ rank < $0.rank }) ?? true { best6[p] = (rank, route) }
            }
        }
        for (index, route) in table.routes.enumerated() where route.state != .filtered {
            switch route.destination {
            case .cidr(let prefix):
                offer(prefix, rank: (route.origin.isStatic ? 0 : 2, "", index), route: index)
            case .prefixList(let list):
                guard let entries = topology[list].entries else {
                    unresolved.insert(topology[list].family)
                    continue
                }
                for entry in entries {
                    // The same total order as RouteSelection: the pl- ID only decides between static prefix-list routes.
                    let rank = route.origin.isStatic ? (1, topology[list].label.id, index) : (2, "", index)
                    offer(entry, rank: rank, route: index)
                }
            }
        }
        // Values are route index + 1; 0 is a miss.
        let fits = table.routes.count < Int(UInt16.max)
        v4 = unresolved.contains(.ipv4) || !fits ? nil : DIR16Table(best4.map { ($0.key, UInt16($0.value.route + 1)) })
        v6 = unresolved.contains(.ipv6) || !fits ? nil : Poptrie(best6.map { ($0.key, UInt16($0.value.route + 1)) })
    }

    /// The position of the winning route for `destination`: `.some(nil)` when no route matches, `nil`
    /// when the family could not be compiled.
    /// - Complexity: up to three memory reads for IPv4, O(w / 6) for IPv6.
    package func lookup(_ destination: IPAddress) -> Int?? {
        let value: UInt16
        switch destination {
        case .v4(let address):
            guard let v4 else { return nil }
            value = v4.lookup(address)
        case .v6(let address):
            guard let v6 else { return nil }
            value = v6.lookup(address)
        }
        return .some(value == 0 ? nil : Int(value) - 1)
    }
}

/// Every route table of a topology compiled, by route-table index: built once per replay and
/// shared, read-only, by its workers.
public struct CompiledRoutes: Sendable {
    let tables: [CompiledRouteTable]

    public init(_ topology: Topology) {
        tables = topology.routeTables.map { CompiledRouteTable($0, topology: topology) }
    }

    /// The compiled form of a route table.
    package subscript(_ table: RouteTableIndex) -> CompiledRouteTable { tables[table.rawValue] }
}
