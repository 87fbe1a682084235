import JSONParsing
import PathClassifier
import TrafficAnalysis

/// `coverage`'s output: per resource, each rule, entry or route with its hits, the ones never hit,
/// and the ones that can never match; then the gateways and endpoints.
package enum CoverageText {
    static func kindName(_ kind: HopKind) -> String {
        switch kind {
        case .securityGroupIngress: return "security group, inbound"
        case .securityGroupEgress: return "security group, outbound"
        case .networkACLIngress: return "network ACL, inbound"
        case .networkACLEgress: return "network ACL, outbound"
        case .routeTable: return "route table"
        default: return kind.rawValue
        }
    }

    package static func text(_ coverage: Coverage, records: Int) -> String {
        var lines: [String] = []
        var current: (HopKind, String)?
        for entry in coverage.entries {
            if current.map({ $0 != (entry.key.kind, entry.key.resource) }) ?? true {
                current = (entry.key.kind, entry.key.resource)
                lines.append("\(entry.key.resource) (\(kindName(entry.key.kind))):")
            }
            let position = entry.key.kind == .routeTable ? "" : "#\(entry.key.rule ?? 0) "
            var note = ""
            if let other = entry.coveredBy {
                note = entry.key.kind == .networkACLIngress || entry.key.kind == .networkACLEgress
                    ? "   can never match: entry #\(other) before it covers it"
                    : "   can never match alone: rule #\(other) of the group is at least as broad"
            } else if entry.records == 0 {
                note = "   never hit"
            }
            lines.append("  \(String(entry.records).leftPadded(to: 9))  \((position + entry.text).rightPadded(to: 60))\(note)")
        }
        if !coverage.gateways.isEmpty {
            lines.append("gateways and endpoints:")
            for gateway in coverage.gateways {
                lines.append("  \(String(gateway.records).leftPadded(to: 9))  \(gateway.resource) (\(gateway.kind))\(gateway.records == 0 ? "   never crossed" : "")")
            }
        }
        let hit = coverage.entries.count - coverage.neverHit.count
        lines.append(
            "coverage over \(records) records (hits count walks: a flow's reply is a walk of its own): \(hit) of \(coverage.entries.count) rules, entries and routes hit, \(coverage.neverHit.count) never hit, "
                + "\(coverage.covered.count) can never match; \(coverage.gateways.filter { $0.records > 0 }.count) of \(coverage.gateways.count) gateways and endpoints crossed")
        return lines.joined(separator: "\n")
    }

    package static func json(_ coverage: Coverage, records: Int) -> String {
        let entries = coverage.entries.map { entry in
            "{\"kind\":\(JSONText.string(entry.key.kind.rawValue)),\"resource\":\(JSONText.string(entry.key.resource)),\"rule\":\(entry.key.rule ?? 0),"
                + "\"text\":\(JSONText.string(entry.text)),\"records\":\(entry.records),\"coveredBy\":\(entry.coveredBy.map(String.init) ?? "null")}"
        }
        let gateways = coverage.gateways.map { gateway in
            "{\"resource\":\(JSONText.string(gateway.resource.id)),\"name\":\(JSONText.optional(gateway.resource.name)),\"kind\":\(JSONText.string(gateway.kind)),\"records\":\(gateway.records)}"
        }
        func list(_ items: [String]) -> String { items.isEmpty ? "[]" : "[\n    " + items.joined(separator: ",\n    ") + "\n  ]" }
        return "{\n  \"records\":\(records),\n  \"entries\":\(list(entries)),\n  \"gateways\":\(list(gateways))\n}"
    }
}
