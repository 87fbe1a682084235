import PathCore
import VPCTopology
import Yams

/// The highest scenario `version` this build reads.
package let supportedScenarioVersion = 1

/// A scenario that could not be loaded: every problem found, in document order.
package struct ScenarioError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]
    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Loads the human-written YAML scenario format (docs/scenario-format.md) into a ``Topology``.
package enum ScenarioLoader {
    /// Parses and validates `text`; all problems are collected and thrown together.
    /// - Parameters:
    ///   - text: the YAML document.
    ///   - file: the name used in diagnostics.
    /// - Returns: the topology and any warnings.
    package static func load(_ text: String, file: String) throws(ScenarioError) -> (Topology, [Diagnostic]) {
        let reader = YAMLReader(file: file)
        let root = try YAMLReader.compose(text, file: file)
        var builder = ScenarioBuilder(reader: reader)
        builder.build(root)
        let diagnostics = inDocumentOrder(reader.diagnostics)
        if reader.hasErrors { throw ScenarioError(diagnostics: diagnostics) }
        return (builder.topology.build(), diagnostics)
    }

    /// Diagnostics sorted by position, those without one last, otherwise in the order found.
    static func inDocumentOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let la = (a.element.line ?? Int.max, a.element.column ?? 0, a.offset)
            let lb = (b.element.line ?? Int.max, b.element.column ?? 0, b.offset)
            return la < lb
        }.map(\.element)
    }

    /// A YAML syntax error as a diagnostic with line and column.
    static func yamlSyntaxDiagnostic(_ error: any Error, file: String) -> Diagnostic {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                return Diagnostic(severity: .error, file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax: \(text)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let mark = context.mark
                return Diagnostic(
                    severity: .error, file: file, line: mark.line, column: mark.column, path: "",
                    message: "duplicate keys in one mapping: \(duplicates.joined(separator: ", "))")
            default:
                break
            }
        }
        return Diagnostic(severity: .error, file: file, line: nil, column: nil, path: "", message: "YAML: \(error)")
    }
}
