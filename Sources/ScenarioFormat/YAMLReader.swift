import PathCore
import VPCTopology
import Yams

/// Reads a composed YAML tree while tracking key paths and positions, collecting every problem
/// instead of stopping at the first.
final class YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Where each key path was seen, for diagnostics raised after reading.
    private var marks: [String: Mark] = [:]

    init(file: String) { self.file = file }

    /// Composes `text` into a node tree; an empty document or a YAML syntax error is thrown as a
    /// diagnostic with its line and column.
    static func compose(_ text: String, file: String) throws(ScenarioError) -> Node {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            throw ScenarioError(diagnostics: [ScenarioLoader.yamlSyntaxDiagnostic(error, file: file)])
        }
        guard let composed else {
            throw ScenarioError(diagnostics: [
                Diagnostic(severity: .error, file: file, line: 1, column: 1, path: "", message: "the file is empty")
            ])
        }
        return composed
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Records an error at `node` (or at the recorded position of `path`).
    func error(_ message: String, at node: Node? = nil, path: String) {
        let mark = node?.mark ?? position(of: path)
        diagnostics.append(
            Diagnostic(severity: .error, file: file, line: mark?.line, column: mark?.column, path: path, message: message))
    }

    /// Records a warning at `node` (or at the recorded position of `path`).
    func warning(_ message: String, at node: Node? = nil, path: String) {
        let mark = node?.mark ?? position(of: path)
        diagnostics.append(
            Diagnostic(severity: .warning, file: file, line: mark?.line, column: mark?.column, path: path, message: message))
    }

    /// The position of `path`, or of its nearest recorded parent.
    func position(of path: String) -> Mark? {
        var current = Substring(path)
        while true {
            if let mark = marks[String(current)] { return mark }
            guard let dot = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            current = current[..<dot]
        }
    }

    func remember(_ node: Node, at path: String) {
        if let mark = node.mark { marks[path] = mark }
    }

    // MARK: - shapes

    /// One entry of a mapping: its key, its value and the value's path.
    typealias Entry = (key: String, value: Node, path: String)

    /// The entries of a mapping in document order, each with its path; `nil` (and an error) otherwise.
    func mapping(_ node: Node, path: String) -> [Entry]? {
        remember(node, at: path)
        guard case .mapping(let mapping) = node else {
            error("expected a mapping of keys to values", at: node, path: path)
            return nil
        }
        var entries: [(key: String, value: Node, path: String)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                error("keys must be plain strings", at: keyNode, path: path)
                continue
            }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if let mark = keyNode.mark { marks[childPath] = mark }
            entries.append((key, value, childPath))
        }
        return entries
    }

    /// A mapping's fields by key, after reporting keys outside `allowed`.
    func fields(_ node: Node, path: String, allowed: [String]) -> [String: (value: Node, path: String)]? {
        guard let entries = mapping(node, path: path) else { return nil }
        var result: [String: (value: Node, path: String)] = [:]
        for entry in entries {
            if !allowed.contains(entry.key) {
                let hint = closest(entry.key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error("unknown key '\(entry.key)'\(hint); allowed here: \(allowed.joined(separator: ", "))", at: nil, path: entry.path)
                continue
            }
            result[entry.key] = (entry.value, entry.path)
        }
        return result
    }

    /// The items of a sequence with their paths; a single scalar counts as a one-item list.
    func sequence(_ node: Node, path: String) -> [(value: Node, path: String)] {
        remember(node, at: path)
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { index, item in
                let itemPath = "\(path)[\(index)]"
                remember(item, at: itemPath)
                return (item, itemPath)
            }
        case .scalar(let scalar) where node.null != nil || (scalar.string.isEmpty && scalar.style == .plain):
            return []  // `routes:` with nothing after it is an empty list
        case .scalar:
            return [(node, path)]
        default:
            error("expected a list", at: node, path: path)
            return []
        }
    }

    /// A non-empty scalar string.
    func string(_ node: Node, path: String) -> String? {
        remember(node, at: path)
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            error("expected a text value", at: node, path: path)
            return nil
        }
        return scalar.string
    }

    func bool(_ node: Node, path: String) -> Bool? {
        remember(node, at: path)
        guard let value = node.bool else {
            error("expected true or false", at: node, path: path)
            return nil
        }
        return value
    }

    func integer(_ node: Node, path: String, in range: ClosedRange<Int>) -> Int? {
        remember(node, at: path)
        guard let value = node.int, range.contains(value) else {
            error("expected a whole number from \(range.lowerBound) to \(range.upperBound)", at: node, path: path)
            return nil
        }
        return value
    }

    /// One of a closed set of words, `key` naming the field in the message that lists them.
    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, path: String, key: String) -> T? where T.RawValue == String {
        guard let text = string(node, path: path) else { return nil }
        if let value = T(rawValue: text) { return value }
        let words = T.allCases.map { "'\($0.rawValue)'" }
        let list = words.count > 1 ? words.dropLast().joined(separator: ", ") + " or " + words.last! : words.joined()
        error("\(key) must be \(list)", at: node, path: path)
        return nil
    }

    /// A strict CIDR block (no host bits, R1.8 family rules apply later).
    func prefix(_ node: Node, path: String) -> IPPrefix? {
        guard let text = string(node, path: path) else { return nil }
        switch IPPrefix.parse(text) {
        case .success(let prefix): return prefix
        case .failure(let failure):
            error(failure.description, at: node, path: path)
            return nil
        }
    }

    /// A strict CIDR block of one family.
    func prefix(_ node: Node, path: String, family: AddressFamily) -> IPPrefix? {
        guard let prefix = prefix(node, path: path) else { return nil }
        guard prefix.family == family else {
            error("expected an \(family == .ipv4 ? "IPv4" : "IPv6") block, got \(prefix)", at: node, path: path)
            return nil
        }
        return prefix
    }

    func address(_ node: Node, path: String) -> IPAddress? {
        guard let text = string(node, path: path) else { return nil }
        guard let address = IPAddress(text) else {
            error("'\(text)' is not an IPv4 or IPv6 address", at: node, path: path)
            return nil
        }
        return address
    }

    func ipv4(_ node: Node, path: String) -> IPv4Address? {
        guard let address = address(node, path: path) else { return nil }
        guard case .v4(let v4) = address else {
            error("expected an IPv4 address, got \(address)", at: node, path: path)
            return nil
        }
        return v4
    }

    func ipv6(_ node: Node, path: String) -> IPv6Address? {
        guard let address = address(node, path: path) else { return nil }
        guard case .v6(let v6) = address else {
            error("expected an IPv6 address, got \(address)", at: node, path: path)
            return nil
        }
        return v6
    }

    /// A ports value: `443`, `1024-65535` or `all`.
    func ports(_ node: Node, path: String) -> PortRange? {
        guard let text = string(node, path: path) else { return nil }
        if text == "all" { return .all }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { UInt16($0.trimmingSpaces) }
        guard numbers.count == parts.count, (1...2).contains(numbers.count), numbers[0] <= numbers[numbers.count - 1]
        else {
            error("'\(text)' is not a port, a range like 1024-65535, or 'all'", at: node, path: path)
            return nil
        }
        return PortRange(numbers[0], numbers[numbers.count - 1])
    }

    /// A protocol: `tcp`, `udp`, `icmp`, `icmpv6`, `all`/`-1`, or a number; `nil` inside `.some` means all.
    func protocolNumber(_ node: Node, path: String) -> IPProtocolNumber?? {
        guard let text = string(node, path: path) else { return nil }
        if text == "all" || text == "-1" { return .some(nil) }
        guard let number = IPProtocolNumber(name: text) else {
            error("'\(text)' is not a protocol (tcp, udp, icmp, icmpv6, all, or a number 0-255)", at: node, path: path)
            return nil
        }
        return .some(number)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}

/// The allowed word closest to `word` by edit distance, if close enough to be a likely typo.
func closest(_ word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.min { $0.1 < $1.1 }
    guard let scored, scored.1 <= Swift.max(2, word.count / 3) else { return nil }
    return scored.0
}
