import CaptureReplay
import PathClassifier

/// `trace --format mermaid`: a flow's hops as a Mermaid sequence diagram — one participant per
/// resource in the order met, one message per step with the rule or route that decided it, the
/// reply's steps after a divider, and the verdict as a closing note.
package enum TraceSequence {
    package static func mermaid(_ record: PacketRecord, title: String) -> String {
        var participants: [String] = []
        var names: [String: String] = [:]
        func participant(_ hop: Hop) -> String {
            if let name = names[hop.resource.id] { return name }
            let name = "p\(names.count)"
            names[hop.resource.id] = name
            participants.append("  participant \(name) as \(text(hop.resource.description))")
            return name
        }
        /// Mermaid reads `;`, `#` and line breaks in messages: entity codes and spaces keep them literal.
        func text(_ value: String) -> String {
            value.replacingAll("#", with: "#35;").replacingAll(";", with: "#59;").replacingAll("\n", with: " ")
        }
        func steps(_ hops: [Hop]) -> [String] {
            var lines: [String] = []
            var previous: String?
            for hop in hops {
                let current = participant(hop)
                let arrow = hop.passed ? "->>" : "-x"
                lines.append("  \(previous ?? current)\(arrow)\(current): \(text("\(hop.kind.rawValue): \(hop.detail)"))")
                previous = current
            }
            return lines
        }
        var body = steps(record.classification.hops)
        if let reply = record.reply {
            body.append("  Note over \(names.values.sorted().first ?? "p0"): reply (R19.7)")
            body += steps(reply.hops)
        }
        let last = names.count > 0 ? "p\(names.count - 1)" : "p0"
        body.append("  Note over \(last): \(text("\(record.verdict.rawValue.uppercased()) \(record.reason.rawValue)"))")
        return (["sequenceDiagram", "  title \(text(title))"] + participants + body).joined(separator: "\n")
    }
}
