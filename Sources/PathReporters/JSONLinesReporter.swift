import CaptureReplay
import JSONParsing
import PathClassifier
import PathCore
import VPCTopology

/// One JSON object per packet (docs/output-formats.md). Key names are a stable contract:
/// `frame`, `src`, `dst`, `protocol`, `srcPort`, `dstPort`, `verdict`, `reason`, `path`.
package enum JSONLinesReporter: PathLineFormat {
    /// The `reply` object of a flow judged both ways (R19.7): `{"verdict","reason","path","notes"}`.
    static func replyObject(_ reply: Classification) -> String {
        "{\"verdict\":\(JSONText.string(reply.verdict.rawValue)),\"reason\":\(JSONText.string(reply.reason.rawValue)),\"path\":\(path(reply)),\"notes\":\(notes(reply))}"
    }

    // The object is built as bytes (``LineBuffer``), since joining pairs doubled a replay's time
    // and `String` appends cost more than the classification. For a flow judged both ways the
    // line's `verdict` and `reason` are the flow's, `path` the request's, and `reply` the reply's.

    /// The object up to `flow`.
    package static func addPacket(_ record: PacketRecord, to out: LineBuffer) {
        let header = record.header
        let reason = record.reply == nil ? record.classification.reason : record.reason
        out.add("{\"frame\":", json: record.frame)
        // Addresses (digits, dots, colons and hex letters), protocol names, verdicts and reasons
        // (closed vocabularies of letters, digits and hyphens) and times: nothing to escape.
        func unescaped(_ name: StaticString, _ write: () -> Void) {
            out.add(name)
            out.add(0x22)
            write()
            out.add(0x22)
        }
        if let header {
            unescaped(",\"src\":") { out.add(header.source) }
            unescaped(",\"dst\":") { out.add(header.destination) }
            unescaped(",\"protocol\":") { out.add(header.protocolNumber.description) }
        } else {
            out.add(",\"src\":null,\"dst\":null,\"protocol\":null" as StaticString)
        }
        out.add(",\"srcPort\":", json: header?.sourcePort)
        out.add(",\"dstPort\":", json: header?.destinationPort)
        out.add(",\"icmpType\":", json: header?.icmpType)
        out.add(",\"icmpCode\":", json: header?.icmpCode)
        if record.observation?.hasTraffic == false {
            // A flow log record without traffic (NODATA, SKIPDATA): nothing was judged.
            out.add(",\"verdict\":null,\"reason\":null" as StaticString)
        } else {
            unescaped(",\"verdict\":") { out.add(reason.verdict.rawValue) }
            unescaped(",\"reason\":") { out.add(reason.rawValue) }
        }
        if let capture = record.capture { out.add(",\"capture\":", json: capture) }
        if let time = record.time { unescaped(",\"time\":") { out.add(time) } }  // digits and a point
        if let length = record.length { out.add(",\"length\":", json: length) }
        out.add(",\"flow\":", json: record.flow)
    }

    /// `,"path":[…],"notes":[…]` of the record's classification.
    package static func addPath(_ record: PacketRecord, to out: LineBuffer) {
        out.add(",\"path\":" as StaticString)
        add(path: record.classification, to: out)
        out.add(",\"notes\":" as StaticString)
        add(notes: record.classification, to: out)
    }

    /// The `reply` of a flow judged both ways, a flow log record's observation, and the end of
    /// the object.
    package static func addRest(_ record: PacketRecord, to out: LineBuffer) {
        if let reply = record.reply {
            out.add(",\"reply\":" as StaticString)
            out.add(replyObject(reply))
        }
        if let observed = record.observation { add(observed, to: out) }
        out.add("}" as StaticString)
    }

    /// `record`, `file`, `interface`, `packets`, `logStatus`, `observedAction`, `observedPath`
    /// and `agree` of a flow log record.
    static func add(_ observed: FlowLogObservation, to out: LineBuffer) {
        out.add(",\"record\":", json: observed.position)
        out.add(",\"file\":", json: observed.file)
        out.add(",\"interface\":", json: observed.interface)
        out.add(",\"packets\":", json: observed.packets)
        out.add(",\"logStatus\":", json: observed.logStatus?.rawValue)
        out.add(",\"observedAction\":", json: observed.action?.rawValue)
        out.add(",\"observedPath\":", json: observed.trafficPath?.rawValue)
        out.add(",\"agree\":" as StaticString)
        switch observed.agrees {
        case true?: out.add("true" as StaticString)
        case false?: out.add("false" as StaticString)
        case nil: out.add("null" as StaticString)
        }
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

extension LineBuffer {
    /// A member: `name` (the key with its quotes and colon, and the comma before it) and a JSON
    /// string, or `null`.
    @inline(__always)
    fileprivate func add(_ name: StaticString, json text: String?) {
        add(name)
        if let text { add(jsonString: text) } else { add("null" as StaticString) }
    }

    /// A member with a number, or `null`.
    @inline(__always)
    fileprivate func add<T: BinaryInteger>(_ name: StaticString, json number: T?) {
        add(name)
        if let number { add(decimal: number) } else { add("null" as StaticString) }
    }
}
