import CaptureReplay

/// The part of a line that depends only on the packet's interned path (``PacketRecord/pathKey``:
/// every packet of a connection direction shares one), rendered once and copied into later lines:
/// a hit costs an array read and a copy, never a rendering of hops and strings. Entries are by path
/// index, below the capture classifier's path limit, so the table stays bounded; each keeps the
/// generation it was rendered in, since indices are reused when the path table starts again.
///
/// One per formatter, one formatter per worker: path keys are that worker's.
struct PathRenderings {
    private var entries: [(generation: Int, bytes: [UInt8])?] = []

    /// Writes `record`'s path-dependent part into `out`: from the table when its path was
    /// rendered before in the same generation, else by `render`, kept for next time. A record
    /// without a path key (a synthetic flow's, judged with its reply) is always rendered.
    mutating func add(_ key: PacketRecord.PathKey?, to out: LineBuffer, render: (LineBuffer) -> Void) {
        guard let key else { return render(out) }
        let index = Int(key.index)
        if index < entries.count, let entry = entries[index], entry.generation == key.generation {
            return entry.bytes.withUnsafeBytes { out.append($0) }
        }
        let start = out.count
        render(out)
        let bytes = out.withBytes(start..<out.count) { Array($0) }
        if index >= entries.count { entries += repeatElement(nil, count: index + 1 - entries.count) }
        entries[index] = (key.generation, bytes)
    }
}
