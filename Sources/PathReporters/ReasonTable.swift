import PathClassifier

/// The reason vocabulary as a Markdown table (docs/reasons.md is this table plus prose).
package enum ReasonTable {
    package static func markdown() -> String {
        var lines = [
            "| verdict | reason | what happened | rules | Reachability Analyzer | Batfish |",
            "|---|---|---|---|---|---|",
        ]
        for reason in Reason.allCases {
            let rules = reason.rules.isEmpty ? "—" : reason.rules.joined(separator: ", ")
            let code = reason.reachabilityAnalyzerCode.map { "`\($0)`" } ?? (reason.verdict == .dropped ? "— (no code)" : "(reachable)")
            lines.append(
                "| \(reason.verdict.rawValue) | `\(reason.rawValue)` | \(reason.summary) | \(rules) | \(code) | `\(reason.batfishDisposition)` |")
        }
        return lines.joined(separator: "\n")
    }
}
