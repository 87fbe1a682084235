import Foundation
import Testing
import _PacketPathTestSupport

/// docs/architecture.md draws the module graph; the manifest is the truth. The drawing leaves out
/// edges that follow from others, so the two are compared by what each module reaches.
@Suite("The architecture drawing")
struct ModuleGraphTests {
    typealias Graph = [String: Set<String>]

    /// Each library and executable target of Package.swift, with its target and product dependencies.
    static func manifestGraph() throws -> Graph {
        let text = try String(contentsOf: Corpus.packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declaration = try Regex(#"\.(target|executableTarget|systemLibrary|testTarget)\(\s*name:\s*"([^"]+)""#)
        let matches = text.matches(of: declaration)
        var graph: Graph = [:]
        for (index, match) in matches.enumerated() {
            guard let kind = match.output[1].substring, kind != "testTarget", let name = match.output[2].substring.map(String.init),
                !name.hasPrefix("_")
            else { continue }
            let end = index + 1 < matches.count ? matches[index + 1].range.lowerBound : text.endIndex
            let body = text[match.range.upperBound..<end]
            var dependencies: Set<String> = []
            if let list = body.firstRange(of: "dependencies: [") {
                let rest = body[list.upperBound...]
                let close = rest.firstIndex(of: "]") ?? rest.endIndex
                for quoted in rest[..<close].matches(of: try Regex(#""([^"]+)""#)) {
                    if let value = quoted.output[1].substring { dependencies.insert(String(value)) }
                }
                // `.product(name: "Yams", package: "Yams")` names the package too: keep the product.
                for product in rest[..<close].matches(of: try Regex(#"\.product\(name:\s*"([^"]+)",\s*package:\s*"([^"]+)"\)"#)) {
                    if let package = product.output[2].substring, package != product.output[1].substring {
                        dependencies.remove(String(package))
                    }
                }
            }
            graph[name] = dependencies
        }
        return graph
    }

    /// The mermaid graph of docs/architecture.md's "Modules": node ids mapped to the first word of
    /// their label, edges by `-->`.
    static func drawnGraph() throws -> Graph {
        let text = try String(contentsOf: Corpus.packageRoot.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let section = try #require(text.firstRange(of: "## Modules").map { text[$0.upperBound...] })
        let start = try #require(section.firstRange(of: "```mermaid"))
        let block = section[start.upperBound...]
        let diagram = block[..<(block.firstRange(of: "```")?.lowerBound ?? block.endIndex)]
        var names: [String: String] = [:]
        for node in diagram.matches(of: try Regex(#"(\w+)\["([A-Za-z0-9_-]+)"#)) {
            if let id = node.output[1].substring, let name = node.output[2].substring { names[String(id)] = String(name) }
        }
        var graph: Graph = [:]
        for name in names.values { graph[name] = [] }
        for edge in diagram.matches(of: try Regex(#"(\w+) --> (\w+)"#)) {
            guard let from = edge.output[1].substring.flatMap({ names[String($0)] }), let to = edge.output[2].substring.flatMap({ names[String($0)] })
            else {
                Issue.record("an edge names an undeclared node: \(edge.output[0].substring ?? "")")
                continue
            }
            graph[from, default: []].insert(to)
        }
        return graph
    }

    /// Everything each node reaches.
    static func reach(_ graph: Graph) -> Graph {
        var result: Graph = [:]
        for start in graph.keys {
            var seen: Set<String> = []
            var stack = Array(graph[start] ?? [])
            while let next = stack.popLast() {
                if seen.insert(next).inserted { stack += graph[next] ?? [] }
            }
            result[start] = seen
        }
        return result
    }

    @Test("every target is drawn, and each reaches the same modules in the drawing as in Package.swift")
    func drawingMatchesManifest() throws {
        let manifest = try Self.manifestGraph()
        let drawn = try Self.drawnGraph()
        #expect(manifest.count >= 14, "the manifest parsed: \(manifest.keys.sorted())")
        #expect(Set(manifest.keys).subtracting(drawn.keys).isEmpty, "targets not drawn: \(Set(manifest.keys).subtracting(drawn.keys).sorted())")
        let manifestReach = Self.reach(manifest)
        let drawnReach = Self.reach(drawn)
        for target in manifest.keys.sorted() {
            #expect(drawnReach[target] == manifestReach[target], "\(target): drawn \(drawnReach[target]?.sorted() ?? []), manifest \(manifestReach[target]?.sorted() ?? [])")
        }
    }
}
