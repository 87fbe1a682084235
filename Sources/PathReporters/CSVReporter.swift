import CaptureReplay
import PathClassifier
import PathCore

/// Comma-separated values with a header row: the scalar columns of the JSONL contract, then the
/// resource where the packet ended and the flow name.
package enum CSVReporter {
    package static let header = "frame,src,dst,protocol,srcPort,dstPort,verdict,reason,resource,flow"

    /// The header row when several captures are replayed: the capture's file name is the last column.
    package static let headerWithCapture = header + ",capture"

    package static func line(_ record: PacketRecord) -> String { ByteLine.text { add(record, to: &$0) } }

    /// Appends the record's line and a line feed to `bytes` (an output buffer), allocating nothing.
    package static func append(_ record: PacketRecord, to buffer: LineBuffer) { ByteLine.appendLine(to: buffer) { add(record, to: &$0) } }

    static func add(_ record: PacketRecord, to out: inout ByteLine) {
        // Built as bytes (``ByteLine``), no field array and no `String` per field. Numbers,
        // addresses, protocol names and codes never need quoting; names and IDs are escaped.
        let h = record.header
        let c = record.classification
        let reason = record.reply == nil ? c.reason : record.reason
        let comma: StaticString = ","
        out.add(decimal: record.frame)
        out.add(comma)
        if let h {
            out.add(h.source)
            out.add(comma)
            out.add(h.destination)
            out.add(comma)
            out.add(h.protocolNumber.description)
            out.add(comma)
            if let port = h.sourcePort { out.add(decimal: port) }
            out.add(comma)
            if let port = h.destinationPort { out.add(decimal: port) }
        } else {
            out.add(",,,," as StaticString)
        }
        out.add(comma)
        out.add(reason.verdict.rawValue)
        out.add(comma)
        out.add(reason.rawValue)
        out.add(comma)
        out.add(csvField: (record.reply == nil ? c.decisiveHop : record.decisiveHop)?.resource.id ?? "")
        out.add(comma)
        if let flow = record.flow { out.add(csvField: flow) }
        if let capture = record.capture {
            out.add(comma)
            out.add(csvField: capture)
        }
    }
}
