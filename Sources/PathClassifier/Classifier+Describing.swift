import PathCore
import VPCTopology

/// The words hops and notes are made of.
extension Classifier {
    /// `(instance alpha5)`, `(Lambda Hyperplane ENI of lf6c)`, …
    func ownerText(_ owner: NetworkInterface.Owner) -> String {
        switch owner {
        case .instance(let i): return "(instance \(topology[i].label.name ?? topology[i].label.id))"
        case .lambda(let functions):
            let names = functions.map { topology[$0].label.name ?? topology[$0].label.id }.joined(separator: ", ")
            return "(Lambda Hyperplane ENI of \(names))"
        case .interfaceEndpoint(let e): return "(interface endpoint \(topology[e].label.name ?? topology[e].label.id))"
        case .gatewayLoadBalancerEndpoint(let e): return "(GWLB endpoint \(topology[e].label.name ?? topology[e].label.id))"
        case .natGateway(let n): return "(NAT gateway \(topology[n].label.name ?? topology[n].label.id))"
        case .loadBalancer(let b): return "(load balancer \(topology[b].label.name ?? topology[b].label.id))"
        case .managed(let what): return "(interface of \(what))"
        case .none: return "(unattached interface)"
        }
    }

    /// `route 0.0.0.0/0 → igw-…`, `route pl-… [name entry 52.216.0.0/15] → vpce-…` (the entry
    /// that matched; without one, `route pl-… [name] → vpce-…`).
    package func describe(_ route: Route, matched: IPPrefix?) -> String {
        let target = topology.label(of: route.target)
        let targetText = target.name.map { "\(target.id) (\($0))" } ?? target.id
        let origin = route.origin.isStatic ? "" : " [propagated]"
        switch route.destination {
        case .cidr(let prefix):
            return "route \(prefix) → \(targetText)\(origin)"
        case .prefixList(let list):
            let record = topology[list]
            return "route \(record.label.id) [\(record.prefixListName)\(matched.map { " entry \($0)" } ?? "")] → \(targetText)\(origin)"
        }
    }

    /// `0.0.0.0/0`, `pl-… (name)`, `sg-… (name)`.
    package func describe(_ peer: SecurityGroup.Peer) -> String {
        switch peer {
        case .cidr(let prefix): return prefix.description
        case .prefixList(let list): return "prefix list \(topology[list].label)"
        case .securityGroup(let group): return "members of \(topology[group].label)"
        case .missing(let id): return id
        }
    }

    /// `tcp 443 to 8.8.8.8`, `icmp type 8 from 10.0.1.5`: the packet as a rule would see it.
    func trafficText(_ packet: PacketHeader, egress: Bool) -> String {
        var text = packet.protocolNumber.description
        if let port = packet.destinationPort { text += " \(port)" }
        if let type = packet.icmpType { text += " type \(type)" }
        return egress ? "\(text) to \(packet.destination)" : "\(text) from \(packet.source)"
    }

    /// Notes on why the winning route beat the others that matched (RA `MORE_SPECIFIC_ROUTE`,
    /// `HIGHER_PRIORITY_ROUTE`, R1.7 `AMBIGUOUS_PREFIX_LIST_TIE`).
    func explainChoice(_ walk: inout Walk, selection: RouteSelection, table: RouteTable) {
        guard walk.recordsPath else { return }
        guard let winner = selection.winner else { return }
        let winning = describe(table.routes[winner.routeIndex], matched: winner.matchedPrefix)
        for loser in selection.candidates.dropFirst().prefix(3) {
            let losing = describe(table.routes[loser.routeIndex], matched: loser.matchedPrefix)
            if loser.matchedPrefix.length < winner.matchedPrefix.length {
                walk.note("MORE_SPECIFIC_ROUTE: \(winning) is more specific than \(losing) (R1.1)")
            } else if loser.priorityClass > winner.priorityClass {
                let rule = winner.priorityClass == 0 ? (loser.priorityClass == 1 ? "R1.5" : "R1.4") : "R1.6"
                walk.note("HIGHER_PRIORITY_ROUTE: \(winning) has priority over \(losing) at equal length (\(rule))")
            }
        }
        if selection.isAmbiguousTie(in: table) {
            walk.note(
                "AMBIGUOUS_PREFIX_LIST_TIE: prefix lists with the same entry point to different targets; AWS picks one at random and keeps it, packet-path picks the lowest pl- ID (R1.7)")
        }
    }
}
