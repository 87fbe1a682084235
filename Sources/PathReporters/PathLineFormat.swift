import CaptureReplay

/// A per-packet line format in three parts, so that the middle one — what the packet's path
/// decides, the same for every packet of the path — can be rendered once per path
/// (``PathLineWriter``) while the parts around it are written per packet.
package protocol PathLineFormat {
    /// What differs from packet to packet, before the path's part.
    static func addPacket(_ record: PacketRecord, to out: LineBuffer)
    /// What the record's path decides (for a flow judged with its reply, the flow's).
    static func addPath(_ record: PacketRecord, to out: LineBuffer)
    /// What follows the path's part.
    static func addRest(_ record: PacketRecord, to out: LineBuffer)
}

extension PathLineFormat {
    /// The record's line, without a line feed.
    package static func line(_ record: PacketRecord) -> String { LineBuffer.text { add(record, to: $0) } }

    /// Appends the record's line and a line feed to `buffer`, rendering every part.
    package static func append(_ record: PacketRecord, to buffer: LineBuffer) { buffer.appendLine { add(record, to: $0) } }

    static func add(_ record: PacketRecord, to out: LineBuffer) {
        addPacket(record, to: out)
        addPath(record, to: out)
        addRest(record, to: out)
    }
}

/// Lines for long runs: each path's part rendered once and copied into later lines of the same
/// path (``PathRenderings``). One writer per replaying worker: path keys are that worker's.
package final class PathLineWriter<Format: PathLineFormat> {
    private var paths = PathRenderings()

    package init() {}

    /// The record's line, without a line feed.
    package func line(_ record: PacketRecord) -> String { LineBuffer.text { add(record, to: $0) } }

    /// Appends the record's line and a line feed to `buffer`.
    package func append(_ record: PacketRecord, to buffer: LineBuffer) { buffer.appendLine { add(record, to: $0) } }

    func add(_ record: PacketRecord, to out: LineBuffer) {
        Format.addPacket(record, to: out)
        paths.add(record.pathKey, to: out) { Format.addPath(record, to: $0) }
        Format.addRest(record, to: out)
    }
}
