import CaptureReplay
import PathClassifier
import PathCore

extension Summary {
    /// The text block printed after a replay: verdicts in a fixed order, reasons by count, and, when
    /// `top` is positive, the busiest conversations.
    package func text(top: Int = 0) -> String {
        let showBytes = bytes > 0
        func count(_ packets: Int, _ bytes: Int) -> String {
            String(packets).leftPadded(to: 8) + (showBytes ? String(bytes).leftPadded(to: 12) + " bytes" : "")
        }
        var lines = ["summary: \(packets) \(packets == 1 ? "packet" : "packets")" + (showBytes ? ", \(bytes) bytes" : "")]
        for verdict in Verdict.allCases {
            let reasons = Reason.allCases.filter { $0.verdict == verdict }
            lines.append("  \(verdict.rawValue.rightPadded(to: 9)) \(count(reasons.reduce(0) { $0 + packets($1) }, reasons.reduce(0) { $0 + bytes($1) }))")
        }
        lines.append("by reason:")
        let reasons = Reason.allCases.filter { packets($0) > 0 }.sorted {
            packets($0) != packets($1) ? packets($0) > packets($1) : $0.rawValue < $1.rawValue
        }
        for reason in reasons {
            lines.append("  \(reason.verdict.rawValue.rightPadded(to: 9)) \(reason.rawValue.rightPadded(to: 32)) \(count(packets(reason), bytes(reason)))")
        }
        if !skippedBlocks.isEmpty { lines.append(Self.describe(skippedBlocks: skippedBlocks)) }
        if filteredFrames > 0 { lines.append("\(filteredFrames) frame\(filteredFrames == 1 ? "" : "s") not selected by --filter (read and counted, not judged)") }
        let conversations = top > 0 ? conversationCounts : []
        if !conversations.isEmpty {
            lines.append("top conversations:")
            // A total order, so the report is the same on every run (table order is not).
            let busiest = conversations.sorted { x, y in
                if x.bytes != y.bytes { return x.bytes > y.bytes }
                if x.packets != y.packets { return x.packets > y.packets }
                if x.a != y.a { return x.a < y.a }
                if x.b != y.b { return x.b < y.b }
                return x.protocolNumber < y.protocolNumber
            }
            for c in busiest.prefix(top) {
                lines.append(
                    "  \("\(c.a) ↔ \(c.b) \(IPProtocolNumber(rawValue: c.protocolNumber))".rightPadded(to: 48)) \(count(c.packets, c.bytes))  \(c.reason?.verdict.rawValue ?? "")/\(c.reason?.rawValue ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
