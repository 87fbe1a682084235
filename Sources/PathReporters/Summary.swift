import PathClassifier
import PathCore

/// Counts per verdict and per reason over a run — packets and, for captures, bytes — and the
/// busiest conversations; every packet is counted exactly once.
public struct Summary: Sendable {
    public private(set) var packets = 0
    public private(set) var bytes = 0
    public private(set) var byVerdict: [Verdict: Int] = [:]
    public private(set) var bytesByVerdict: [Verdict: Int] = [:]
    public private(set) var byReason: [Reason: Int] = [:]
    public private(set) var bytesByReason: [Reason: Int] = [:]

    /// A conversation: two addresses (in order) and a protocol, with the verdict of its first packet.
    struct Conversation: Hashable {
        var a: IPAddress
        var b: IPAddress
        var protocolNumber: IPProtocolNumber
    }
    private var conversations: [Conversation: (packets: Int, bytes: Int, verdict: Verdict, reason: Reason)] = [:]
    /// Conversations tracked at most, so memory stays flat on huge captures.
    static let conversationLimit = 100_000

    public init() {}

    public mutating func add(_ classification: Classification, header: PacketHeader? = nil, length: Int = 0) {
        packets += 1
        bytes += length
        byVerdict[classification.verdict, default: 0] += 1
        bytesByVerdict[classification.verdict, default: 0] += length
        byReason[classification.reason, default: 0] += 1
        bytesByReason[classification.reason, default: 0] += length
        guard let header else { return }
        let key = header.source < header.destination
            ? Conversation(a: header.source, b: header.destination, protocolNumber: header.protocolNumber)
            : Conversation(a: header.destination, b: header.source, protocolNumber: header.protocolNumber)
        if var entry = conversations[key] {
            entry.packets += 1
            entry.bytes += length
            conversations[key] = entry
        } else if conversations.count < Self.conversationLimit {
            conversations[key] = (1, length, classification.verdict, classification.reason)
        }
    }

    /// The text block printed after a replay: verdicts in a fixed order, reasons by count, and, when
    /// `top` is positive, the busiest conversations.
    public func text(top: Int = 0) -> String {
        let showBytes = bytes > 0
        func count(_ packets: Int, _ bytes: Int) -> String {
            String(packets).leftPadded(to: 8) + (showBytes ? String(bytes).leftPadded(to: 12) + " bytes" : "")
        }
        var lines = ["summary: \(packets) \(packets == 1 ? "packet" : "packets")" + (showBytes ? ", \(bytes) bytes" : "")]
        for verdict in Verdict.allCases {
            lines.append("  \(verdict.rawValue.rightPadded(to: 9)) \(count(byVerdict[verdict] ?? 0, bytesByVerdict[verdict] ?? 0))")
        }
        lines.append("by reason:")
        let reasons = byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        for (reason, packets) in reasons {
            lines.append("  \(reason.verdict.rawValue.rightPadded(to: 9)) \(reason.rawValue.rightPadded(to: 32)) \(count(packets, bytesByReason[reason] ?? 0))")
        }
        if top > 0 && !conversations.isEmpty {
            lines.append("top conversations:")
            // A total order, so the report is the same on every run (dictionary order is not).
            let busiest = conversations.sorted { x, y in
                if x.value.bytes != y.value.bytes { return x.value.bytes > y.value.bytes }
                if x.value.packets != y.value.packets { return x.value.packets > y.value.packets }
                if x.key.a != y.key.a { return x.key.a < y.key.a }
                if x.key.b != y.key.b { return x.key.b < y.key.b }
                return x.key.protocolNumber.rawValue < y.key.protocolNumber.rawValue
            }
            for (key, value) in busiest.prefix(top) {
                lines.append(
                    "  \("\(key.a) ↔ \(key.b) \(key.protocolNumber)".rightPadded(to: 48)) \(count(value.packets, value.bytes))  \(value.verdict.rawValue)/\(value.reason.rawValue)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
