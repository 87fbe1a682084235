import PathClassifier

/// The diagram as Graphviz DOT and as a Mermaid flowchart.
extension NetworkDiagram {
    /// Graphviz DOT: clusters for VPCs, left to right, coloured paths drawn bold.
    package func dot() -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        }
        func label(_ node: Node) -> String { quoted(node.lines.joined(separator: "\n")).replacingAll("\n", with: "\\n") }
        func attributes(_ node: Node) -> String {
            let shape: String
            switch node.shape {
            case .subnet: shape = "shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\""
            case .host: shape = "shape=box"
            case .gateway: shape = "shape=hexagon"
            case .endpoint: shape = "shape=component"
            case .outside: shape = "shape=ellipse, style=dashed"
            }
            let colour = node.verdict.map { ", color=\"\(Self.colour($0))\", penwidth=2.5" } ?? ""
            return "[label=\(label(node)), \(shape)\(colour)]"
        }
        var lines = ["digraph network {", "  rankdir=LR;", "  node [fontname=\"Helvetica\", fontsize=10];", "  edge [fontname=\"Helvetica\", fontsize=9];"]
        for (index, cluster) in clusters.enumerated() {
            lines.append("  subgraph \"cluster_\(index)\" {")
            lines.append("    label=\(quoted(cluster.label)); style=rounded; color=\"#7a869a\";")
            for node in nodes where node.cluster == index { lines.append("    \(quoted(node.id)) \(attributes(node));") }
            lines.append("  }")
        }
        for node in nodes where node.cluster == nil { lines.append("  \(quoted(node.id)) \(attributes(node));") }
        for edge in edges {
            var attributes: [String] = []
            if !edge.label.isEmpty { attributes.append("label=\(quoted(edge.label))") }
            if let verdict = edge.verdict { attributes += ["color=\"\(Self.colour(verdict))\"", "penwidth=2.5"] }
            lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to))\(attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]");")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// A Mermaid flowchart: subgraphs for VPCs, nodes named `n0`, `n1`… (resource IDs are not all
    /// Mermaid identifiers), coloured paths by `style` and `linkStyle`.
    package func mermaid() -> String {
        var names: [String: String] = [:]
        for (index, node) in nodes.enumerated() { names[node.id] = "n\(index)" }
        func text(_ lines: [String]) -> String {
            // Mermaid reads quotes and `#` in labels; entity codes keep them literal.
            "\"" + lines.map { $0.replacingAll("#", with: "#35;").replacingAll("\"", with: "#quot;") }.joined(separator: "<br/>") + "\""
        }
        func shaped(_ node: Node) -> String {
            let name = names[node.id]!
            switch node.shape {
            case .subnet: return "\(name)(\(text(node.lines)))"
            case .host: return "\(name)[\(text(node.lines))]"
            case .gateway: return "\(name){{\(text(node.lines))}}"
            case .endpoint: return "\(name)[/\(text(node.lines))/]"
            case .outside: return "\(name)((\(text(node.lines))))"
            }
        }
        var lines = ["flowchart LR"]
        for (index, cluster) in clusters.enumerated() {
            lines.append("  subgraph c\(index)[\(text([cluster.label]))]")
            for node in nodes where node.cluster == index { lines.append("    \(shaped(node))") }
            lines.append("  end")
        }
        for node in nodes where node.cluster == nil { lines.append("  \(shaped(node))") }
        for edge in edges {
            let from = names[edge.from]!, to = names[edge.to]!
            lines.append(edge.label.isEmpty ? "  \(from) --> \(to)" : "  \(from) -->|\(text([edge.label]))| \(to)")
        }
        for node in nodes {
            if let verdict = node.verdict { lines.append("  style \(names[node.id]!) stroke:\(Self.colour(verdict)),stroke-width:3px") }
        }
        for (index, edge) in edges.enumerated() {
            if let verdict = edge.verdict { lines.append("  linkStyle \(index) stroke:\(Self.colour(verdict)),stroke-width:3px") }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
