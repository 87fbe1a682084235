import PathClassifier

/// Counts per verdict and per reason over a run; every packet is counted exactly once.
public struct Summary: Sendable {
    public private(set) var packets = 0
    public private(set) var byVerdict: [Verdict: Int] = [:]
    public private(set) var byReason: [Reason: Int] = [:]

    public init() {}

    public mutating func add(_ classification: Classification) {
        packets += 1
        byVerdict[classification.verdict, default: 0] += 1
        byReason[classification.reason, default: 0] += 1
    }

    /// The text block printed after a replay: verdicts in a fixed order, reasons by count.
    public func text() -> String {
        var lines = ["summary: \(packets) packet\(packets == 1 ? "" : "s")"]
        for verdict in Verdict.allCases {
            let count = byVerdict[verdict] ?? 0
            lines.append("  \(verdict.rawValue.rightPadded(to: 9)) \(String(count).leftPadded(to: 8))")
        }
        lines.append("by reason:")
        let reasons = byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        for (reason, count) in reasons {
            lines.append("  \(reason.verdict.rawValue.rightPadded(to: 9)) \(reason.rawValue.rightPadded(to: 32)) \(String(count).leftPadded(to: 8))")
        }
        return lines.joined(separator: "\n")
    }
}
