import CaptureReplay
import JSONParsing
import PathClassifier
import PathCore

/// `x` with at most three decimals, as JSON writes it.
func format3(_ x: Double) -> String {
    let rounded = (x * 1000).rounded() / 1000
    return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
}

/// The summary JSON document (`--format summary-json`): a ``TrafficReport`` written with every
/// list in one order, so that equal reports are equal texts and `merge` output can be compared
/// byte for byte with a single run's.
extension TrafficReport {
    /// The document's version: its first member, by which `merge` recognises it.
    public static let documentVersion = 1

    /// The report as a JSON document, one list entry per line.
    /// - Parameter top: list only the busiest `top` conversations (by bytes, then packets).
    public func json(top: Int? = nil) -> String {
        func count(_ c: TrafficCount) -> String { "\"records\":\(c.records),\"packets\":\(c.packets),\"bytes\":\(c.bytes)" }
        func string(_ text: String) -> String { JSONText.string(text) }
        func list(_ entries: [String]) -> String {
            entries.isEmpty ? "[]" : "[\n    " + entries.joined(separator: ",\n    ") + "\n  ]"
        }
        func second(_ value: Int64?) -> String { value.map(String.init) ?? "null" }
        let verdicts = verdicts
        let tally = flowLogs
        var lines = [
            "\"packetPathSummary\":\(Self.documentVersion)",
            "\"firstSecond\":\(second(firstSecond))",
            "\"lastSecond\":\(second(lastSecond))",
            "\"total\":{\(count(total))}",
            "\"verdicts\":" + list(Verdict.allCases.compactMap { v in verdicts[v].map { "{\"verdict\":\(string(v.rawValue)),\(count($0))}" } }),
            "\"reasons\":" + list(reasons.sorted { $0.key.rawValue < $1.key.rawValue }.map { "{\"reason\":\(string($0.key.rawValue)),\(count($0.value))}" }),
            // Every record read is judged, or filtered out by --filter: `unaccounted` is 0 unless one was lost.
            "\"read\":\(read)", "\"filtered\":\(filtered)", "\"unaccounted\":\(unaccounted)",
            // Derived, for people (not read back): the time the input covers, and its rate.
            "\"durationSeconds\":\(second(lastSecond.flatMap { last in firstSecond.map { last - $0 } }))",
            "\"recordsPerSecond\":\(seconds.map { format3(Double(total.records) / Double($0)) } ?? "null")",
        ]
        let busiest = conversations.map { ($0.key, $0.value, $0.value.values.reduce(TrafficCount(), +)) }
            .sorted { x, y in (x.2.bytes, x.2.packets) != (y.2.bytes, y.2.packets) ? (x.2.bytes, x.2.packets) > (y.2.bytes, y.2.packets) : x.0 < y.0 }
        let listed = top.map { Array(busiest.prefix($0)) } ?? busiest
        lines.append("\"conversationCount\":\(conversations.count)")
        lines.append("\"conversationsTruncated\":\(conversationsTruncated || listed.count < busiest.count)")
        lines.append(
            "\"conversations\":"
                + list(
                    listed.map { pair, byReason, sum in
                        "{\"a\":\"\(pair.a)\",\"b\":\"\(pair.b)\",\"protocol\":\(string(pair.protocolNumber.description)),\(count(sum)),\"reasons\":["
                            + byReason.sorted { $0.key.rawValue < $1.key.rawValue }.map { "{\"reason\":\(string($0.key.rawValue)),\(count($0.value))}" }.joined(separator: ",")
                            + "]}"
                    }))
        lines.append(
            "\"flowLogs\":{\"records\":\(tally.records),\"withoutTraffic\":\(tally.withoutTraffic),\"agree\":\(tally.agree),"
                + "\"disagree\":\(tally.disagree),\"notCompared\":\(tally.notCompared)}")
        lines.append(
            "\"agreement\":"
                + list(tally.matrix.sorted { $0.key < $1.key }.map { "{\"observed\":\(string($0.key.observed)),\"predicted\":\(string($0.key.predicted)),\"records\":\($0.value)}" }))
        lines.append(
            "\"paths\":"
                + list(tally.paths.sorted { $0.key < $1.key }.map { "{\"observed\":\(string($0.key.observed)),\"predicted\":\(string($0.key.predicted)),\(count($0.value))}" }))
        lines.append(
            "\"disagreements\":"
                + list(
                    tally.disagreements.sorted { ($0.key.interface, $0.key.observed, $0.key.predicted, $0.key.explanation) < ($1.key.interface, $1.key.observed, $1.key.predicted, $1.key.explanation) }
                        .map {
                            "{\"interface\":\(string($0.key.interface)),\"observed\":\(string($0.key.observed)),\"predicted\":\(string($0.key.predicted)),"
                                + "\"explanation\":\(string($0.key.explanation)),\(count($0.value))}"
                        }))
        lines.append(
            "\"exposure\":"
                + list(
                    exposure.sorted { $0.key < $1.key }.map { key, value in
                        "{\"service\":\(string(key.service)),\"vpc\":\(string(key.vpc)),\"subnet\":\(string(key.subnet)),\"zone\":\(string(key.zone)),"
                            + "\"routeTable\":\(string(key.routeTable)),\"way\":\(string(key.way.rawValue)),\"gateway\":\(string(key.gateway)),\(count(value))}"
                    }))
        lines.append(
            "\"coverage\":"
                + list(
                    coverage.sorted { $0.key < $1.key }.map { key, value in
                        "{\"kind\":\(string(key.kind.rawValue)),\"resource\":\(string(key.resource)),\"rule\":\(key.rule.map(String.init) ?? "null"),\"records\":\(value)}"
                    }))
        return "{\n  " + lines.joined(separator: ",\n  ") + "\n}"
    }

    /// Adds another report's counts, or throws and changes nothing when a count would overflow
    /// (summaries merged by the thousand, each near the 2⁵³ a document holds): `merge` reads
    /// documents users give it, and a sum out of range is their problem to hear about, not a trap.
    public mutating func add(_ other: TrafficReport) throws {
        var sum = self
        sum.total = try Self.sum(total, other.total)
        try sum.reasons.merge(other.reasons, uniquingKeysWith: Self.sum)
        for key in [\FlowLogTally.records, \.withoutTraffic, \.agree, \.disagree, \.notCompared] {
            sum.flowLogs[keyPath: key] = try Self.sum(flowLogs[keyPath: key], other.flowLogs[keyPath: key])
        }
        try sum.flowLogs.matrix.merge(other.flowLogs.matrix, uniquingKeysWith: Self.sum)
        try sum.flowLogs.paths.merge(other.flowLogs.paths, uniquingKeysWith: Self.sum)
        try sum.flowLogs.disagreements.merge(other.flowLogs.disagreements, uniquingKeysWith: Self.sum)
        try sum.exposure.merge(other.exposure, uniquingKeysWith: Self.sum)
        try sum.coverage.merge(other.coverage, uniquingKeysWith: Self.sum)
        sum.include(other.firstSecond)
        sum.include(other.lastSecond)
        for (pair, counts) in other.conversations { try sum.conversations[pair, default: [:]].merge(counts, uniquingKeysWith: Self.sum) }
        sum.conversationsTruncated = conversationsTruncated || other.conversationsTruncated
        sum.read = try Self.sum(read, other.read)
        sum.filtered = try Self.sum(filtered, other.filtered)
        self = sum
    }

    static func sum(_ a: Int, _ b: Int) throws -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw DocumentError(description: "a count passes \(Int.max): too large to add up") }
        return value
    }

    static func sum(_ a: UInt64, _ b: UInt64) throws -> UInt64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw DocumentError(description: "a count passes \(UInt64.max): too large to add up") }
        return value
    }

    static func sum(_ a: TrafficCount, _ b: TrafficCount) throws -> TrafficCount {
        TrafficCount(records: try sum(a.records, b.records), packets: try sum(a.packets, b.packets), bytes: try sum(a.bytes, b.bytes))
    }

    /// A problem reading a summary document: where and what.
    public struct DocumentError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a document written by ``json()``. Verdicts are derived from the reasons, so the
    /// document's `verdicts` list is not read back.
    public init(json bytes: [UInt8]) throws {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw DocumentError(description: "\(error)")
        }
        guard document["packetPathSummary"]?.int == Self.documentVersion else {
            throw DocumentError(description: "not a packet-path summary (version \(Self.documentVersion)): no \"packetPathSummary\": \(Self.documentVersion)")
        }
        /// A member that must be there, with what is wrong when it is not.
        func field<T>(_ value: JSONValue, _ key: String, _ where_: String, _ read: (JSONValue) -> T?) throws -> T {
            guard let member = value[key], let result = read(member) else {
                throw DocumentError(description: "\(where_): \"\(key)\" is missing or not of its type")
            }
            return result
        }
        func number(_ value: JSONValue) -> UInt64? {
            guard case .number(let d) = value, d >= 0, d == d.rounded(), d < 9_007_199_254_740_992 else { return nil }
            return UInt64(d)
        }
        func count(_ value: JSONValue, _ where_: String) throws -> TrafficCount {
            TrafficCount(
                records: Int(try field(value, "records", where_, number)), packets: try field(value, "packets", where_, number),
                bytes: try field(value, "bytes", where_, number))
        }
        func entries(_ key: String) throws -> [(JSONValue, String)] {
            guard let array = document[key]?.array else { throw DocumentError(description: "\"\(key)\" is missing or not a list") }
            return array.enumerated().map { ($1, "\(key)[\($0)]") }
        }
        func second(_ key: String) -> Int64? { document[key]?.int.map(Int64.init) }
        self.init()
        firstSecond = second("firstSecond")
        lastSecond = second("lastSecond")
        guard let totalValue = document["total"] else { throw DocumentError(description: "\"total\" is missing") }
        total = try count(totalValue, "total")
        for (entry, place) in try entries("reasons") {
            let name = try field(entry, "reason", place, \.string)
            guard let reason = Reason(rawValue: name) else { throw DocumentError(description: "\(place): unknown reason '\(name)'") }
            reasons[reason] = try Self.sum(reasons[reason] ?? TrafficCount(), try count(entry, place))
        }
        guard let tally = document["flowLogs"] else { throw DocumentError(description: "\"flowLogs\" is missing") }
        flowLogs.records = Int(try field(tally, "records", "flowLogs", number))
        flowLogs.withoutTraffic = Int(try field(tally, "withoutTraffic", "flowLogs", number))
        flowLogs.agree = Int(try field(tally, "agree", "flowLogs", number))
        flowLogs.disagree = Int(try field(tally, "disagree", "flowLogs", number))
        flowLogs.notCompared = Int(try field(tally, "notCompared", "flowLogs", number))
        for (entry, place) in try entries("agreement") {
            let pair = FlowLogTally.Pair(observed: try field(entry, "observed", place, \.string), predicted: try field(entry, "predicted", place, \.string))
            flowLogs.matrix[pair] = try Self.sum(flowLogs.matrix[pair] ?? 0, Int(try field(entry, "records", place, number)))
        }
        for (entry, place) in try entries("paths") {
            let pair = FlowLogTally.Pair(observed: try field(entry, "observed", place, \.string), predicted: try field(entry, "predicted", place, \.string))
            flowLogs.paths[pair] = try Self.sum(flowLogs.paths[pair] ?? TrafficCount(), try count(entry, place))
        }
        for (entry, place) in try entries("disagreements") {
            let key = FlowLogTally.Disagreement(
                interface: try field(entry, "interface", place, \.string), observed: try field(entry, "observed", place, \.string),
                predicted: try field(entry, "predicted", place, \.string), explanation: try field(entry, "explanation", place, \.string))
            flowLogs.disagreements[key] = try Self.sum(flowLogs.disagreements[key] ?? TrafficCount(), try count(entry, place))
        }
        for (entry, place) in try entries("exposure") {
            let wayName = try field(entry, "way", place, \.string)
            guard let way = ExposureKey.Way(rawValue: wayName) else { throw DocumentError(description: "\(place): unknown way '\(wayName)'") }
            let key = ExposureKey(
                service: try field(entry, "service", place, \.string), vpc: try field(entry, "vpc", place, \.string),
                subnet: try field(entry, "subnet", place, \.string), zone: try field(entry, "zone", place, \.string),
                routeTable: try field(entry, "routeTable", place, \.string), way: way, gateway: try field(entry, "gateway", place, \.string))
            exposure[key] = try Self.sum(exposure[key] ?? TrafficCount(), try count(entry, place))
        }
        read = Int(try field(document, "read", "the document", number))
        filtered = Int(try field(document, "filtered", "the document", number))
        conversationsTruncated = try field(document, "conversationsTruncated", "the document", \.bool)
        for (entry, place) in try entries("conversations") {
            guard let a = IPAddress(try field(entry, "a", place, \.string)), let b = IPAddress(try field(entry, "b", place, \.string)) else {
                throw DocumentError(description: "\(place): \"a\" or \"b\" is not an IP address")
            }
            let protocolName = try field(entry, "protocol", place, \.string)
            guard let protocolNumber = IPProtocolNumber(name: protocolName) else { throw DocumentError(description: "\(place): unknown protocol '\(protocolName)'") }
            let pair = ConversationPair(a, b, protocolNumber: protocolNumber)
            guard let byReason = entry["reasons"]?.array else { throw DocumentError(description: "\(place): \"reasons\" is missing or not a list") }
            for (index, counted) in byReason.enumerated() {
                let name = try field(counted, "reason", "\(place).reasons[\(index)]", \.string)
                guard let reason = Reason(rawValue: name) else { throw DocumentError(description: "\(place).reasons[\(index)]: unknown reason '\(name)'") }
                let value = try count(counted, "\(place).reasons[\(index)]")
                conversations[pair, default: [:]][reason] = try Self.sum(conversations[pair]?[reason] ?? TrafficCount(), value)
            }
        }
        for (entry, place) in try entries("coverage") {
            let kindName = try field(entry, "kind", place, \.string)
            guard let kind = HopKind(rawValue: kindName) else { throw DocumentError(description: "\(place): unknown hop kind '\(kindName)'") }
            let rule: Int?
            switch entry["rule"] {
            case .null?, nil: rule = nil
            case let value?:
                guard let number = number(value) else { throw DocumentError(description: "\(place): \"rule\" is not a position") }
                rule = Int(number)
            }
            let key = CoverageKey(kind: kind, resource: try field(entry, "resource", place, \.string), rule: rule)
            coverage[key] = try Self.sum(coverage[key] ?? 0, Int(try field(entry, "records", place, number)))
        }
    }
}
