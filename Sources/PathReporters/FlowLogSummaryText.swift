import CaptureReplay
import PathClassifier

extension FlowLogTally {
    /// The flow log part of a replay's summary: the tally, the agreement matrix, egress traffic by
    /// (observed path, predicted path), and the `top` largest disagreements with their likely cause.
    package func text(top: Int = 10) -> String {
        var lines = [
            "\(records) flow log records: \(agree) agree with the model, \(disagree) disagree, "
                + "\(notCompared) not compared, \(withoutTraffic) without traffic (NODATA, SKIPDATA)"
        ]
        guard !matrix.isEmpty else { return lines.joined(separator: "\n") }
        let actions = ["ACCEPT", "REJECT", "-"].filter { action in matrix.keys.contains { $0.observed == action } }
        lines.append("observed action × model verdict (records):")
        lines.append("  " + "".rightPadded(to: 8) + Verdict.allCases.map { $0.rawValue.leftPadded(to: 10) }.joined())
        for action in actions {
            let row = Verdict.allCases.map { String(matrix[Pair(observed: action, predicted: $0.rawValue)] ?? 0).leftPadded(to: 10) }
            lines.append("  " + action.rightPadded(to: 8) + row.joined())
        }
        if !paths.isEmpty {
            lines.append("egress traffic by observed path → model path:")
            for (pair, traffic) in paths.sorted(by: { $0.key < $1.key }) {
                lines.append(
                    "  \(pair.observed.rightPadded(to: 40)) → \(pair.predicted.rightPadded(to: 20)) "
                        + "\(String(traffic.records).leftPadded(to: 6)) records \(String(traffic.packets).leftPadded(to: 10)) packets \(String(traffic.bytes).leftPadded(to: 12)) bytes")
            }
        }
        if !disagreements.isEmpty {
            lines.append("top disagreements:")
            // Largest first, then a total order, so the report is the same on every run.
            let sorted = disagreements.sorted { x, y in
                if x.value.bytes != y.value.bytes { return x.value.bytes > y.value.bytes }
                if x.value.records != y.value.records { return x.value.records > y.value.records }
                return (x.key.interface, x.key.observed, x.key.predicted) < (y.key.interface, y.key.observed, y.key.predicted)
            }
            for (kind, traffic) in sorted.prefix(top) {
                lines.append("  \(traffic.records) record\(traffic.records == 1 ? "" : "s"), \(traffic.bytes) bytes at \(kind.interface): observed \(kind.observed), model \(kind.predicted)")
                lines.append("      \(kind.explanation)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
