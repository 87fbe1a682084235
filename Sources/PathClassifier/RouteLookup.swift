import PathCore
import VPCTopology

/// How a walk picks the route a table uses for the packet's destination (R1.1–R1.13): the readable
/// reference selection, which explains its choice on the path, or compiled tables, which only
/// find it. The classifier is given one; the walk does not know which.
public enum RouteLookup: Sendable {
    /// ``RouteSelection``: every candidate weighed, the choice recorded as hops and notes.
    case reference
    /// Compiled tables (``CompiledRoutes``) for walks that record no path; a walk that records
    /// its path, or a family the tables could not compile, is looked up the reference way.
    case compiled(CompiledRoutes)
}

/// The route a table gives a walk's packet, or why it gives none.
enum RouteChoice {
    case route(Int)
    case drop(Reason)
}

extension Classifier {
    /// The route `tableIndex` uses for the walk's packet, by ``routeLookup``.
    func choose(_ walk: inout Walk, table tableIndex: RouteTableIndex) -> RouteChoice {
        if case .compiled(let tables) = routeLookup, walk.detail == .reason, let compiled = tables[tableIndex].lookup(walk.current.destination) {
            guard let routeIndex = compiled else { return .drop(.noRoute) }
            return topology[tableIndex].routes[routeIndex].state == .blackhole ? .drop(.blackholeRoute) : .route(routeIndex)
        }
        return select(&walk, table: tableIndex)
    }

    /// The reference choice (``RouteSelection``), explained on the walk's path.
    func select(_ walk: inout Walk, table tableIndex: RouteTableIndex) -> RouteChoice {
        let packet = walk.current
        let table = topology[tableIndex]
        let selection = RouteSelection.select(packet.destination, in: table, topology: topology)
        if let unresolved = selection.unresolvedPrefixLists.first {
            walk.hop(
                .routeTable, table.label,
                "prefix list \(topology[unresolved].label) has no entries in the input; the route cannot be decided",
                passed: false)
            return .drop(.insufficientData)
        }
        guard let winner = selection.winner else {
            walk.hop(.routeTable, table.label, "no route matches \(packet.destination) (R11.1)", passed: false)
            return .drop(.noRoute)
        }
        let route = table.routes[winner.routeIndex]
        explainChoice(&walk, selection: selection, table: table)
        if route.state == .blackhole {
            walk.hop(
                .routeTable, table.label, "\(describe(route, matched: winner.matchedPrefix)) is a blackhole route (R1.11)", passed: false,
                rule: winner.routeIndex)
            return .drop(.blackholeRoute)
        }
        walk.hop(.routeTable, table.label, describe(route, matched: winner.matchedPrefix), rule: winner.routeIndex)
        return .route(winner.routeIndex)
    }
}
