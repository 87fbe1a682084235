import CaptureReplay
import PathClassifier
import PathCore
import VPCTopology

/// One JSON object per packet (docs/output-formats.md). Key names are a stable contract:
/// `frame`, `src`, `dst`, `protocol`, `srcPort`, `dstPort`, `verdict`, `reason`, `path`.
package enum JSONLinesReporter {
    /// The JSON object for `record`, without a trailing newline.
    package static func line(_ record: PacketRecord) -> String {
        LineBuffer.text { out in
            add(record, reply: record.reply.map(replyObject), to: out) { addPathAndNotes(record.classification, to: $0) }
        }
    }

    /// The `reply` object of a flow judged both ways (R19.7): `{"verdict","reason","path","notes"}`.
    static func replyObject(_ reply: Classification) -> String {
        "{\"verdict\":\(JSONText.string(reply.verdict.rawValue)),\"reason\":\(JSONText.string(reply.reason.rawValue)),\"path\":\(path(reply)),\"notes\":\(notes(reply))}"
    }

    /// Writes the object into `out`: built as bytes (``LineBuffer``), since joining pairs doubled a
    /// replay's time and `String` appends cost more than the classification.
    /// `reply`: the rendered reply object, for a flow judged both ways; the line's `verdict` and
    /// `reason` are then the flow's, and `path` the request's. `pathAndNotes` writes
    /// `,"path":…,"notes":…` (``addPathAndNotes(_:to:)``, or its cached copy).
    static func add(_ record: PacketRecord, reply: String?, to out: LineBuffer, pathAndNotes: (LineBuffer) -> Void) {
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
        pathAndNotes(out)
        if let reply {
            out.add(",\"reply\":" as StaticString)
            out.add(reply)
        }
        out.add("}" as StaticString)
    }

    /// `,"path":[…],"notes":[…]` of a classification.
    static func addPathAndNotes(_ c: Classification, to out: LineBuffer) {
        out.add(",\"path\":" as StaticString)
        add(path: c, to: out)
        out.add(",\"notes\":" as StaticString)
        add(notes: c, to: out)
    }

    /// The `path` array of a classification.
    static func path(_ c: Classification) -> String { LineBuffer.text { add(path: c, to: $0) } }

    /// The `notes` array of a classification.
    static func notes(_ c: Classification) -> String { LineBuffer.text { add(notes: c, to: $0) } }

    /// Writes the `path` array: each hop as `{"kind","id","name","detail","passed"}`.
    static func add(path c: Classification, to out: LineBuffer) {
        out.add(UInt8(ascii: "["))
        for (index, hop) in c.hops.enumerated() {
            if index > 0 { out.add(UInt8(ascii: ",")) }
            add(hop: hop, to: out)
        }
        out.add(UInt8(ascii: "]"))
    }

    /// Writes the `notes` array of strings.
    static func add(notes c: Classification, to out: LineBuffer) {
        out.add(UInt8(ascii: "["))
        for (index, note) in c.notes.enumerated() {
            if index > 0 { out.add(UInt8(ascii: ",")) }
            out.add(jsonString: note)
        }
        out.add(UInt8(ascii: "]"))
    }

    /// A hop as `{"kind","id","name","detail","passed"}`.
    package static func hop(_ hop: Hop) -> String { LineBuffer.text { add(hop: hop, to: $0) } }

    static func add(hop: Hop, to out: LineBuffer) {
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
    private var renderings = PathRenderings()

    package init() {}

    package func line(_ record: PacketRecord) -> String { LineBuffer.text { add(record, to: $0) } }

    /// Appends the record's line and a line feed to `bytes` (an output buffer).
    package func append(_ record: PacketRecord, to buffer: LineBuffer) { buffer.appendLine { add(record, to: $0) } }

    func add(_ record: PacketRecord, to out: LineBuffer) {
        let reply = record.reply.map(JSONLinesReporter.replyObject)
        JSONLinesReporter.add(record, reply: reply, to: out) { out in
            renderings.add(record.pathKey, to: out) { JSONLinesReporter.addPathAndNotes(record.classification, to: $0) }
        }
    }
}
