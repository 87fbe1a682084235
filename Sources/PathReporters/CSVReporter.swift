import CaptureReplay
import PathClassifier
import PathCore

/// Comma-separated values with a header row: the scalar columns of the JSONL contract, then the
/// resource where the packet ended and the flow name.
package enum CSVReporter: PathLineFormat {
    package static let header = "frame,src,dst,protocol,srcPort,dstPort,verdict,reason,resource,flow"

    /// The header row when several captures are replayed: the capture's file name is the last column.
    package static let headerWithCapture = header + ",capture"

    // Built as bytes (``LineBuffer``), no field array and no `String` per field. Numbers,
    // addresses, protocol names and codes never need quoting; names and IDs are escaped.

    /// `frame,src,dst,protocol,srcPort,dstPort,`: what differs from packet to packet.
    package static func addPacket(_ record: PacketRecord, to out: LineBuffer) {
        let comma: StaticString = ","
        out.add(decimal: record.frame)
        out.add(comma)
        if let h = record.header {
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
    }

    /// `verdict,reason,resource`: what the path decides (the flow's, when judged with its reply).
    package static func addPath(_ record: PacketRecord, to out: LineBuffer) {
        let c = record.classification
        let reason = record.reply == nil ? c.reason : record.reason
        out.add(reason.verdict.rawValue)
        out.add(UInt8(ascii: ","))
        out.add(reason.rawValue)
        out.add(UInt8(ascii: ","))
        out.add(csvField: (record.reply == nil ? c.decisiveHop : record.decisiveHop)?.resource.id ?? "")
    }

    /// `,flow` and, when several captures run, `,capture`.
    package static func addRest(_ record: PacketRecord, to out: LineBuffer) {
        out.add(UInt8(ascii: ","))
        if let flow = record.flow { out.add(csvField: flow) }
        if let capture = record.capture {
            out.add(UInt8(ascii: ","))
            out.add(csvField: capture)
        }
    }
}

/// CSV of flow log records: the record's place, the packet it describes, the model's verdict, and
/// what the record observed (docs/flow-logs.md).
package enum FlowLogCSVReporter: PathLineFormat {
    package static let header = "file,record,src,dst,protocol,srcPort,dstPort,interface,verdict,reason,resource,observedAction,observedPath,agree"

    /// `file,record,src,dst,protocol,srcPort,dstPort,interface,`
    package static func addPacket(_ record: PacketRecord, to out: LineBuffer) {
        out.add(csvField: record.observation?.file ?? "")
        out.add(UInt8(ascii: ","))
        CSVReporter.addPacket(record, to: out)
        out.add(csvField: record.observation?.interface ?? "")
        out.add(UInt8(ascii: ","))
    }

    /// `verdict,reason,resource`, empty for a record without traffic.
    package static func addPath(_ record: PacketRecord, to out: LineBuffer) {
        guard record.observation?.hasTraffic != false else { return out.add(",," as StaticString) }
        CSVReporter.addPath(record, to: out)
    }

    /// `,observedAction,observedPath,agree`
    package static func addRest(_ record: PacketRecord, to out: LineBuffer) {
        let observed = record.observation
        out.add(UInt8(ascii: ","))
        if let action = observed?.action { out.add(action.rawValue) }
        out.add(UInt8(ascii: ","))
        if let path = observed?.trafficPath { out.add(decimal: path.rawValue) }
        out.add(UInt8(ascii: ","))
        if let agrees = observed?.agrees { out.add(agrees ? "true" as StaticString : "false" as StaticString) }
    }
}
