import PathCore
import VPCTopology

/// Checks that need the whole scenario: the addressing and route rules AWS enforces, shared with
/// snapshots (``Topology/awsRefusals()``), each reported at the YAML path of what it is about.
extension ScenarioBuilder {
    func validate() {
        for refusal in topology.awsRefusals() {
            let where_: String
            switch refusal.subject {
            case .subnet(let subnet): where_ = path(.subnet, subnet.rawValue) + (refusal.field.map { ".\($0)" } ?? "")
            case .interface(let interface): where_ = path(.interface, interface.rawValue)
            case .route(let table, let route): where_ = routePaths[table.rawValue]?[route] ?? path(.routeTable, table.rawValue)
            }
            reader.error(refusal.message, path: where_)
        }
    }

    func path(_ kind: ResourceKind, _ index: Int) -> String { paths[kind]?[index] ?? "" }
}
