import CaptureReplay
import PathClassifier
import PathCore
import VPCTopology

/// Human-readable output: a hop-by-hop explanation for `trace`, one line per packet and a
/// summary for `replay`.
package enum TextReporter: PathLineFormat {
    /// `10.0.7.10:40000 → 52.216.0.1:443 tcp`, `10.0.7.10 → 8.8.8.8 icmp type 8`.
    package static func packet(_ header: PacketHeader) -> String { LineBuffer.text { addHeader(header, to: $0) } }

    /// The multi-line explanation of one flow, as a teaching lab shows it.
    /// With a reply (R19.7), its hops follow the request's, numbered on, and the verdict is the
    /// flow's: the request's when the reply returns, else the reply's drop.
    package static func trace(_ record: PacketRecord, title: String, dnsAnswer: String?) -> String {
        let c = record.classification
        var lines = ["packet-path trace: \(title)"]
        if let dnsAnswer { lines.append("  dns:     \(dnsAnswer)") }
        lines.append("  packet:  \(record.header.map(packet) ?? "(no IP packet)")")
        lines.append("")
        let all = c.hops + (record.reply?.hops ?? [])
        let kindWidth = all.map(\.kind.rawValue.count).max() ?? 0
        let resourceWidth = min(all.map(\.resource.description.count).max() ?? 0, 48)
        for (index, hop) in all.enumerated() {
            if index == c.hops.count, let reply = record.reply {
                lines.append("  reply (the request alone: \(c.verdict.rawValue) \(c.reason.rawValue); the reply \(reply.verdict == .dropped ? "is dropped" : "comes back")):")
            }
            let mark = hop.passed ? " " : "✗"
            let number = String(index + 1).leftPadded(to: 3)
            lines.append(
                "\(number). \(mark) \(hop.kind.rawValue.rightPadded(to: kindWidth))  \(hop.resource.description.rightPadded(to: resourceWidth))  \(hop.detail)")
        }
        lines.append("")
        let reason = record.reason
        lines.append("verdict: \(reason.verdict.rawValue.uppercased())  reason: \(reason.rawValue)\(record.reply == nil ? "" : " (request and reply)")")
        lines.append(
            "  rules: \(reason.rules.joined(separator: ", ").ifEmpty("—"))   Reachability Analyzer: \(reason.reachabilityAnalyzerCode ?? "(reachable or no code)")   Batfish: \(reason.batfishDisposition)")
        let notes = c.notes + (record.reply?.notes ?? []).filter { !c.notes.contains($0) }
        if !notes.isEmpty {
            lines.append("notes:")
            for note in notes { lines.append("  - \(note)") }
        }
        return lines.joined(separator: "\n")
    }

    // One line per packet: frame, packet, verdict, reason, and where it ended, built as bytes
    // (``LineBuffer``): built from interpolated and padded strings, the default output format
    // cost several times CSV's.

    /// The frame number and the packet, padded: what differs from packet to packet.
    package static func addPacket(_ record: PacketRecord, to out: LineBuffer) {
        let frameStart = out.count
        out.add(decimal: record.frame)
        out.padLeft(from: frameStart, to: 6)
        out.add("  " as StaticString)
        if let header = record.header {
            let start = out.count
            addHeader(header, to: out)
            // Every byte is one character but the arrow's three (U+2192): pad by characters.
            out.padRight(from: start, to: 46, extraBytes: 2)
        } else {
            out.add((record.classification.hops.first?.detail ?? "").rightPadded(to: 46))
        }
    }

    /// The verdict, reason and where the packet ended: what the path decides (the flow's, when
    /// judged with its reply).
    package static func addPath(_ record: PacketRecord, to out: LineBuffer) {
        if record.observation?.hasTraffic == false {
            out.add("  -         no traffic to judge" as StaticString)
            return
        }
        let c = record.classification
        let reason = record.reply == nil ? c.reason : record.reason
        out.add("  " as StaticString)
        let verdictStart = out.count
        out.add(reason.verdict.rawValue)
        out.padRight(from: verdictStart, to: 8, extraBytes: 0)
        out.add("  " as StaticString)
        out.add(reason.rawValue)
        if let hop = record.reply == nil ? c.decisiveHop : record.decisiveHop {
            out.add(" via " as StaticString)
            out.add(hop.resource.description)
        }
    }

    /// The flow's name, for synthetic flows.
    package static func addRest(_ record: PacketRecord, to out: LineBuffer) {
        if let flow = record.flow {
            out.add("  [" as StaticString)
            out.add(flow)
            out.add("]" as StaticString)
        }
        if let observed = record.observation {
            // `[eni-… observed ACCEPT path 8: agrees]`
            out.add("  [" as StaticString)
            out.add(observed.interface ?? "-")
            if let status = observed.logStatus, status != .ok {
                out.add(" " as StaticString)
                out.add(status.rawValue)
            }
            if let action = observed.action {
                out.add(" observed " as StaticString)
                out.add(action.rawValue)
            }
            if let path = observed.trafficPath {
                out.add(" path " as StaticString)
                out.add(decimal: path.rawValue)
            }
            switch observed.agrees {
            case true?: out.add(": agrees]" as StaticString)
            case false?: out.add(": DISAGREES]" as StaticString)
            case nil: out.add("]" as StaticString)
            }
        }
    }

    /// The text of ``packet(_:)``, as bytes: ASCII but for the arrow.
    static func addHeader(_ header: PacketHeader, to out: LineBuffer) {
        func endpoint(_ address: IPAddress, _ port: UInt16?) {
            guard let port else { return out.add(address) }
            if case .v6 = address {
                out.add("[" as StaticString)
                out.add(address)
                out.add("]" as StaticString)
            } else {
                out.add(address)
            }
            out.add(":" as StaticString)
            out.add(decimal: port)
        }
        endpoint(header.source, header.sourcePort)
        out.add(" → " as StaticString)
        endpoint(header.destination, header.destinationPort)
        out.add(" " as StaticString)
        out.add(header.protocolNumber.description)
        if let type = header.icmpType {
            out.add(" type " as StaticString)
            out.add(decimal: type)
        }
        if let code = header.icmpCode, code != 0 {
            out.add(" code " as StaticString)
            out.add(decimal: code)
        }
    }
}

extension String {
    package func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    package func rightPadded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
