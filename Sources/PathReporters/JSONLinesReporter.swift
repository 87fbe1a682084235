import CaptureReplay
import PathClassifier
import PathCore
import VPCTopology

/// One JSON object per packet (docs/output-formats.md). Key names are a stable contract:
/// `frame`, `src`, `dst`, `protocol`, `srcPort`, `dstPort`, `verdict`, `reason`, `path`.
package enum JSONLinesReporter {
    /// The JSON object for `record`, without a trailing newline.
    package static func line(_ record: PacketRecord) -> String {
        ByteLine.text { add(record, path: path(record.classification), notes: notes(record.classification), reply: record.reply.map(replyObject), to: &$0) }
    }

    /// The `reply` object of a flow judged both ways (R19.7): `{"verdict","reason","path","notes"}`.
    static func replyObject(_ reply: Classification) -> String { replyObject(reply, path: path(reply), notes: notes(reply)) }

    static func replyObject(_ reply: Classification, path: String, notes: String) -> String {
        "{\"verdict\":\(JSONText.string(reply.verdict.rawValue)),\"reason\":\(JSONText.string(reply.reason.rawValue)),\"path\":\(path),\"notes\":\(notes)}"
    }

    /// Writes the object into `out`: built as bytes (``ByteLine``), since joining pairs doubled a
    /// replay's time and `String` appends cost more than the classification.
    /// `reply`: the rendered reply object, for a flow judged both ways; the line's `verdict` and
    /// `reason` are then the flow's, and `path` the request's.
    static func add(_ record: PacketRecord, path: String, notes: String, reply: String?, to out: inout ByteLine) {
        let header = record.header
        let reason = reply == nil ? record.classification.reason : record.reason
        func key(_ name: StaticString, _ text: String?) {
            out.add(name)
            if let text { out.add(jsonString: text) } else { out.add("null" as StaticString) }
        }
        func key<T: BinaryInteger>(_ name: StaticString, _ number: T?) {
            out.add(name)
            if let number { out.add(decimal: number) } else { out.add("null" as StaticString) }
        }
        key("{\"frame\":", record.frame)
        // Addresses are ASCII digits, dots, colons and hex letters: nothing to escape.
        func key(_ name: StaticString, _ address: IPAddress?) {
            out.add(name)
            guard let address else { return out.add("null" as StaticString) }
            out.add(0x22)
            out.add(address)
            out.add(0x22)
        }
        key(",\"src\":", header?.source)
        key(",\"dst\":", header?.destination)
        // Protocol names, verdicts and reasons are closed vocabularies of letters, digits and
        // hyphens: nothing to escape.
        func word(_ name: StaticString, _ text: String?) {
            out.add(name)
            guard let text else { return out.add("null" as StaticString) }
            out.add(0x22)
            out.add(text)
            out.add(0x22)
        }
        word(",\"protocol\":", header?.protocolNumber.description)
        key(",\"srcPort\":", header?.sourcePort)
        key(",\"dstPort\":", header?.destinationPort)
        key(",\"icmpType\":", header?.icmpType)
        key(",\"icmpCode\":", header?.icmpCode)
        word(",\"verdict\":", reason.verdict.rawValue)
        word(",\"reason\":", reason.rawValue)
        if let capture = record.capture { key(",\"capture\":", capture) }
        if let time = record.time {
            // Digits and a point: nothing to escape.
            out.add(",\"time\":\"" as StaticString)
            out.add(time)
            out.add(0x22)
        }
        if let length = record.length { key(",\"length\":", length) }
        key(",\"flow\":", record.flow)
        out.add(",\"path\":" as StaticString)
        out.add(path)
        out.add(",\"notes\":" as StaticString)
        out.add(notes)
        if let reply {
            out.add(",\"reply\":" as StaticString)
            out.add(reply)
        }
        out.add("}" as StaticString)
    }

    /// The `path` array of a classification.
    static func path(_ c: Classification) -> String { ByteLine.text { add(path: c, to: &$0) } }

    /// The `notes` array of a classification.
    static func notes(_ c: Classification) -> String { ByteLine.text { add(notes: c, to: &$0) } }

    /// Writes the `path` array: each hop as `{"kind","id","name","detail","passed"}`.
    static func add(path c: Classification, to out: inout ByteLine) {
        out.add(UInt8(ascii: "["))
        for (index, hop) in c.hops.enumerated() {
            if index > 0 { out.add(UInt8(ascii: ",")) }
            add(hop: hop, to: &out)
        }
        out.add(UInt8(ascii: "]"))
    }

    /// Writes the `notes` array of strings.
    static func add(notes c: Classification, to out: inout ByteLine) {
        out.add(UInt8(ascii: "["))
        for (index, note) in c.notes.enumerated() {
            if index > 0 { out.add(UInt8(ascii: ",")) }
            out.add(jsonString: note)
        }
        out.add(UInt8(ascii: "]"))
    }

    /// A hop as `{"kind","id","name","detail","passed"}`.
    package static func hop(_ hop: Hop) -> String { ByteLine.text { add(hop: hop, to: &$0) } }

    static func add(hop: Hop, to out: inout ByteLine) {
        out.add("{\"kind\":" as StaticString)
        out.add(jsonString: hop.kind.rawValue)
        out.add(",\"id\":" as StaticString)
        out.add(jsonString: hop.resource.id)
        out.add(",\"name\":" as StaticString)
        if let name = hop.resource.name { out.add(jsonString: name) } else { out.add("null" as StaticString) }
        out.add(",\"detail\":" as StaticString)
        out.add(jsonString: hop.detail)
        out.add(hop.passed ? ",\"passed\":true}" as StaticString : ",\"passed\":false}" as StaticString)
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}

extension JSONLinesReporter {
    /// The `trace --format json` object: the flow's `verdict` and `reason` (request and reply
    /// together, R19.7), how DNS answered, the request as `packet` (a JSONL object with its own
    /// verdict) and, when walked, the `reply`.
    package static func trace(_ record: PacketRecord, dnsAnswer: String?) -> String {
        var request = record
        request.reply = nil
        let reason = record.reason
        let reply = record.reply.map { ",\"reply\":\(replyObject($0))" } ?? ""
        return "{\"verdict\":\(JSONText.string(reason.verdict.rawValue)),\"reason\":\(JSONText.string(reason.rawValue)),\"dns\":\(JSONText.optional(dnsAnswer)),\"reachabilityAnalyzerCode\":\(JSONText.optional(reason.reachabilityAnalyzerCode)),\"batfishDisposition\":\(JSONText.string(reason.batfishDisposition)),\"packet\":\(line(request))\(reply)}"
    }
}

/// JSONL for long runs: the `path` and `notes` of a classification are rendered once and reused
/// for every later record of the same interned path (``PacketRecord/pathKey``: all packets of a
/// connection share one), so a hit costs an array read, never a rendering of hops and strings. One
/// writer per replaying worker: path keys are that worker's.
package final class JSONLinesWriter {
    /// Renderings by path index (``PacketRecord/PathKey/index``, below the capture classifier's
    /// path limit, so the table stays bounded), each with the generation it was rendered in.
    private var rendered: [(generation: Int, path: String, notes: String)?] = []

    package init() {}

    package func line(_ record: PacketRecord) -> String { ByteLine.text { add(record, to: &$0) } }

    /// Appends the record's line and a line feed to `bytes` (an output buffer).
    package func append(_ record: PacketRecord, to buffer: LineBuffer) { ByteLine.appendLine(to: buffer) { add(record, to: &$0) } }

    func add(_ record: PacketRecord, to out: inout ByteLine) {
        let (path, notes) = rendering(record.classification, key: record.pathKey)
        let reply = record.reply.map { reply in
            let (path, notes) = rendering(reply, key: nil)
            return JSONLinesReporter.replyObject(reply, path: path, notes: notes)
        }
        JSONLinesReporter.add(record, path: path, notes: notes, reply: reply, to: &out)
    }

    /// The rendered `path` and `notes` of `c`, from the table when its path was rendered before
    /// in the same generation: an array read, no hashing.
    private func rendering(_ c: Classification, key: PacketRecord.PathKey?) -> (path: String, notes: String) {
        let index = key.map { Int($0.index) } ?? -1
        if let key, index < rendered.count, let hit = rendered[index], hit.generation == key.generation {
            return (hit.path, hit.notes)
        }
        let rendering = (path: JSONLinesReporter.path(c), notes: JSONLinesReporter.notes(c))
        guard let key else { return rendering }
        if index >= rendered.count { rendered += repeatElement(nil, count: index + 1 - rendered.count) }
        rendered[index] = (key.generation, rendering.path, rendering.notes)
        return rendering
    }
}
