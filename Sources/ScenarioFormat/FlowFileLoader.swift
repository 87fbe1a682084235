import PathClassifier
import PathCore
import VPCTopology
import Yams

/// Loads a synthetic flow file (docs/scenario-format.md, "Flow files").
package enum FlowFileLoader {
    /// The most packets one flow may ask for, so a typo cannot exhaust memory.
    package static let maximumPacketsPerFlow = 1_000_000

    /// Parses `text`; all problems are collected and thrown together.
    package static func load(_ text: String, file: String) throws(ScenarioError) -> [FlowRequest] {
        let reader = YAMLReader(file: file)
        let root = try YAMLReader.compose(text, file: file)
        var flows: [FlowRequest] = []
        if let fields = reader.fields(root, path: "", allowed: ["version", "description", "flows"]) {
            if let version = fields["version"], let number = reader.integer(version.value, path: version.path, in: 1...Int.max),
                number > supportedScenarioVersion
            {
                reader.error("flow file version \(number) is newer than this build reads (\(supportedScenarioVersion))", path: version.path)
            } else if fields["version"] == nil {
                reader.error("missing 'version' (this build reads version \(supportedScenarioVersion))", at: root, path: "version")
            }
            if let list = fields["flows"] {
                for item in reader.sequence(list.value, path: list.path) {
                    if let flow = readFlow(item.value, path: item.path, reader: reader) { flows.append(flow) }
                }
            } else {
                reader.error("missing 'flows' (a list of flows)", at: root, path: "flows")
            }
        }
        if reader.hasErrors { throw ScenarioError(diagnostics: ScenarioLoader.inDocumentOrder(reader.diagnostics)) }
        return flows
    }

    static func readFlow(_ node: Node, path: String, reader: YAMLReader) -> FlowRequest? {
        let allowed = ["name", "from", "to", "protocol", "port", "source-port", "icmp-type", "icmp-code", "family", "packets", "expect"]
        guard let fields = reader.fields(node, path: path, allowed: allowed) else { return nil }
        guard let from = fields["from"].flatMap({ reader.string($0.value, path: $0.path) }),
            let to = fields["to"].flatMap({ reader.string($0.value, path: $0.path) })
        else {
            reader.error("a flow needs 'from' and 'to'", at: node, path: path)
            return nil
        }
        var flow = FlowRequest(from: from, to: to)
        flow.name = fields["name"].flatMap { reader.string($0.value, path: $0.path) }
        flow.line = node.mark.map { $0.line }
        if let f = fields["expect"] { flow.expect = readExpectation(f.value, path: f.path, reader: reader) }
        if let f = fields["protocol"] {
            guard let number = reader.protocolNumber(f.value, path: f.path) else { return nil }
            guard let number else {
                reader.error("a flow needs one protocol, not 'all'", at: f.value, path: f.path)
                return nil
            }
            flow.protocolNumber = number
        }
        if let f = fields["port"] { flow.port = reader.integer(f.value, path: f.path, in: 0...65535).map { UInt16($0) } }
        if let f = fields["source-port"] { flow.sourcePort = reader.integer(f.value, path: f.path, in: 0...65535).map { UInt16($0) } }
        if let f = fields["icmp-type"] { flow.icmpType = reader.integer(f.value, path: f.path, in: 0...255).map { UInt8($0) } }
        if let f = fields["icmp-code"] { flow.icmpCode = reader.integer(f.value, path: f.path, in: 0...255).map { UInt8($0) } }
        if let f = fields["packets"] { flow.packets = reader.integer(f.value, path: f.path, in: 1...maximumPacketsPerFlow) ?? 1 }
        if let f = fields["family"] {
            guard let family: AddressFamily = reader.choice(f.value, path: f.path, key: "family") else { return nil }
            flow.family = family
        }
        for key in ["port", "source-port"] where fields[key] != nil && !flow.protocolNumber.hasPorts {
            reader.error("'\(key)' applies to tcp and udp only", path: fields[key]!.path)
        }
        return flow
    }

    /// `expect: private` or `expect: {verdict: private, reason: gateway-endpoint, via: s3-gw}`.
    static func readExpectation(_ node: Node, path: String, reader: YAMLReader) -> FlowExpectation? {
        if case .scalar = node {
            guard let verdict: Verdict = reader.choice(node, path: path, key: "expect") else { return nil }
            return FlowExpectation(verdict: verdict)
        }
        guard let fields = reader.fields(node, path: path, allowed: ["verdict", "reason", "via"]) else { return nil }
        guard let field = fields["verdict"] else {
            reader.error("'expect' needs a 'verdict' (private, internet or dropped)", at: node, path: path)
            return nil
        }
        guard let verdict: Verdict = reader.choice(field.value, path: field.path, key: "verdict") else { return nil }
        var expectation = FlowExpectation(verdict: verdict)
        if let f = fields["reason"] {
            guard let text = reader.string(f.value, path: f.path) else { return nil }
            guard let reason = Reason(rawValue: text) else {
                reader.error("unknown reason '\(text)'; 'packet-path reasons' lists them", at: f.value, path: f.path)
                return nil
            }
            if reason.verdict != verdict {
                reader.error("reason '\(reason.rawValue)' has verdict \(reason.verdict.rawValue), not \(verdict.rawValue)", path: f.path)
                return nil
            }
            expectation.reason = reason
        }
        expectation.via = fields["via"].flatMap { reader.string($0.value, path: $0.path) }
        return expectation
    }
}
