import PathClassifier
import PathCore
import VPCTopology

/// Human-readable output: a hop-by-hop explanation for `trace`, one line per packet and a
/// summary for `replay`.
public enum TextReporter {
    /// `10.0.7.10:40000 → 52.216.0.1:443 tcp`, `10.0.7.10 → 8.8.8.8 icmp type 8`.
    public static func packet(_ header: PacketHeader) -> String {
        func endpoint(_ address: IPAddress, _ port: UInt16?) -> String {
            guard let port else { return address.description }
            if case .v6 = address { return "[\(address)]:\(port)" }
            return "\(address):\(port)"
        }
        var text = "\(endpoint(header.source, header.sourcePort)) → \(endpoint(header.destination, header.destinationPort)) \(header.protocolNumber)"
        if let type = header.icmpType { text += " type \(type)" }
        if let code = header.icmpCode, code != 0 { text += " code \(code)" }
        return text
    }

    /// The multi-line explanation of one flow, as a teaching lab shows it.
    public static func trace(_ record: PacketRecord, title: String, dnsAnswer: String?) -> String {
        let c = record.classification
        var lines = ["packet-path trace: \(title)"]
        if let dnsAnswer { lines.append("  dns:     \(dnsAnswer)") }
        lines.append("  packet:  \(record.header.map(packet) ?? "(no IP packet)")")
        lines.append("")
        let kindWidth = c.hops.map(\.kind.rawValue.count).max() ?? 0
        let resourceWidth = min(c.hops.map(\.resource.description.count).max() ?? 0, 48)
        for (index, hop) in c.hops.enumerated() {
            let mark = hop.passed ? " " : "✗"
            let number = String(index + 1).leftPadded(to: 3)
            lines.append(
                "\(number). \(mark) \(hop.kind.rawValue.rightPadded(to: kindWidth))  \(hop.resource.description.rightPadded(to: resourceWidth))  \(hop.detail)")
        }
        lines.append("")
        lines.append("verdict: \(c.verdict.rawValue.uppercased())  reason: \(c.reason.rawValue)")
        lines.append(
            "  rules: \(c.reason.rules.joined(separator: ", ").ifEmpty("—"))   Reachability Analyzer: \(c.reason.reachabilityAnalyzerCode ?? "(reachable or no code)")   Batfish: \(c.reason.batfishDisposition)")
        if !c.notes.isEmpty {
            lines.append("notes:")
            for note in c.notes { lines.append("  - \(note)") }
        }
        return lines.joined(separator: "\n")
    }

    /// One line per packet: frame, packet, verdict, reason, and where it ended.
    public static func line(_ record: PacketRecord) -> String {
        let c = record.classification
        let via = c.decisiveHop.map { " via \($0.resource.description)" } ?? ""
        let flow = record.flow.map { "  [\($0)]" } ?? ""
        let packetText = record.header.map(packet) ?? (record.classification.hops.first?.detail ?? "")
        return "\(String(record.frame).leftPadded(to: 6))  \(packetText.rightPadded(to: 46))  \(c.verdict.rawValue.rightPadded(to: 8))  \(c.reason.rawValue)\(via)\(flow)"
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    func rightPadded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
