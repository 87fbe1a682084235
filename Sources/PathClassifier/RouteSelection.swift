import PathCore
import VPCTopology

/// The outcome of looking up a destination in one route table, the readable way:
/// every route is a candidate, and the winner is chosen by the documented priority.
///
/// Order (R1.1–R1.7, R1.11):
/// 1. longest matching prefix; a prefix-list route competes with its longest matching entry (R1.5);
/// 2. on equal length, a static CIDR route, then a prefix-list route, then a propagated route
///    (R1.4, R1.5, R1.6);
/// 3. between prefix-list routes of equal length, the lowest `pl-` ID, flagged as ambiguous (R1.7);
/// 4. `blackhole` routes take part (they shadow less specific routes, R1.11, Q2); `filtered`
///    routes do not.
///
/// A compiled structure replaces this on the fast path; this one stays as its oracle.
package struct RouteSelection: Sendable, Hashable {
    /// A route that matched the destination, with the prefix it matched by.
    package struct Candidate: Sendable, Hashable {
        /// Position of the route in ``RouteTable/routes``.
        package var routeIndex: Int
        /// The route's CIDR, or the prefix-list entry that matched.
        package var matchedPrefix: IPPrefix
        /// 0 static CIDR, 1 prefix list, 2 propagated: lower wins on equal length.
        package var priorityClass: Int
        /// The prefix-list ID for prefix-list routes (R1.7 tie-break).
        package var prefixListID: String?
    }

    /// Every matching route, best first.
    package var candidates: [Candidate]
    /// Prefix-list routes whose entries are unknown (an incomplete snapshot): the outcome cannot be trusted.
    package var unresolvedPrefixLists: [PrefixListIndex]

    /// The winning candidate, if any route matched.
    package var winner: Candidate? { candidates.first }

    /// Whether the winner tied with another prefix-list route to a different target (R1.7).
    package func isAmbiguousTie(in table: RouteTable) -> Bool {
        guard candidates.count >= 2, let first = candidates.first, first.priorityClass == 1 else { return false }
        let second = candidates[1]
        return second.priorityClass == 1 && second.matchedPrefix.length == first.matchedPrefix.length
            && table.routes[second.routeIndex].target != table.routes[first.routeIndex].target
    }

    /// Looks `destination` up in `table`.
    /// - Complexity: O(routes × prefix-list entries).
    package static func select(_ destination: IPAddress, in table: RouteTable, topology: Topology) -> RouteSelection {
        var candidates: [Candidate] = []
        var unresolved: [PrefixListIndex] = []
        for (index, route) in table.routes.enumerated() where route.state != .filtered {
            switch route.destination {
            case .cidr(let prefix):
                guard prefix.contains(destination) else { continue }
                candidates.append(
                    Candidate(
                        routeIndex: index, matchedPrefix: prefix, priorityClass: route.origin.isStatic ? 0 : 2,
                        prefixListID: nil))
            case .prefixList(let listIndex):
                let list = topology[listIndex]
                guard list.family == destination.family else { continue }
                guard let entries = list.entries else {
                    unresolved.append(listIndex)
                    continue
                }
                let best = entries.filter { $0.contains(destination) }.max { $0.length < $1.length }
                guard let best else { continue }
                candidates.append(
                    Candidate(
                        routeIndex: index, matchedPrefix: best, priorityClass: route.origin.isStatic ? 1 : 2,
                        prefixListID: list.label.id))
            }
        }
        // A total order: length, class, the pl- ID between static prefix-list routes (R1.7), route order.
        candidates.sort { a, b in
            if a.matchedPrefix.length != b.matchedPrefix.length { return a.matchedPrefix.length > b.matchedPrefix.length }
            if a.priorityClass != b.priorityClass { return a.priorityClass < b.priorityClass }
            if a.priorityClass == 1, let pa = a.prefixListID, let pb = b.prefixListID, pa != pb { return pa < pb }
            return a.routeIndex < b.routeIndex
        }
        return RouteSelection(candidates: candidates, unresolvedPrefixLists: unresolved)
    }
}
