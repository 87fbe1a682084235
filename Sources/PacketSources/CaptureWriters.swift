import Foundation
import PacketWire

/// Writes frames into one pcap per verdict (`--split DIR`), with the original link type, timestamps
/// and bytes, through libpcap. Files appear only when ``commit()`` succeeds.
public final class CaptureSplitter {
    private let directory: String
    private var dumpers: [String: (dumper: LibpcapDumper, temporary: String, final: String)] = [:]
    private var firstLinkType: [String: LinkType] = [:]

    public init(directory: String) throws(CaptureError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CaptureError(file: directory, offset: nil, framesRead: 0, message: "cannot create the folder")
        }
        self.directory = directory
    }

    /// Appends `frame` to `<group>.pcap` (or `<group>.<LINKTYPE>.pcap` when a capture mixes link types).
    public func write(_ frame: CaptureFrame, group: String) throws(CaptureError) {
        // A pcap holds one link type: frames of another type than the group's first go to their own file.
        let first = firstLinkType[group] ?? frame.linkType
        firstLinkType[group] = first
        let key = first == frame.linkType ? group : "\(group).\(frame.linkType.description)"
        if dumpers[key] == nil {
            let final = (directory as NSString).appendingPathComponent("\(key).pcap")
            let temporary = (directory as NSString).appendingPathComponent(".\(key).pcap.\(getpid()).tmp")
            dumpers[key] = (try LibpcapDumper(path: temporary, linkType: frame.linkType, snapshotLength: 262_144), temporary, final)
        }
        dumpers[key]!.dumper.write(frame)
    }

    /// Closes and renames every file into place.
    public func commit() throws {
        let files = dumpers.values.map { ($0.temporary, $0.final) }
        dumpers.removeAll()  // closes the dumpers (deinit)
        for (temporary, final) in files {
            if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
            try FileManager.default.moveItem(atPath: temporary, toPath: final)
        }
    }

    /// Removes the temporary files after a failure.
    public func abandon() {
        let files = dumpers.values.map(\.temporary)
        dumpers.removeAll()
        for file in files { try? FileManager.default.removeItem(atPath: file) }
    }
}

/// Writes every frame to a pcapng file with a comment (`opt_comment`) per frame (`--annotate`), so
/// Wireshark shows the verdict and `frame.comment contains "dropped"` filters on it. Pure Swift:
/// libpcap writes classic pcap only. The file appears only when ``commit()`` succeeds.
public final class PcapngAnnotator {
    private let handle: FileHandle
    private let temporary: String
    private let final: String
    private var interfaces: [LinkType: UInt32] = [:]
    private var buffer: [UInt8] = []

    public init(path: String) throws(CaptureError) {
        final = path
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CaptureError(file: path, offset: nil, framesRead: 0, message: "cannot create the file")
        }
        self.handle = handle
        // Section Header Block: type, length, byte-order magic, version 1.0, section length unknown.
        var block: [UInt8] = []
        block.append32(0x0A0D_0D0A)  // block type
        block.append32(28)  // block total length
        block.append32(0x1A2B_3C4D)  // byte-order magic
        block.append16(1)  // major version
        block.append16(0)  // minor version
        block.append64(UInt64.max)  // section length: not specified
        block.append32(28)  // block total length
        buffer += block
    }

    /// Appends `frame` with `comment`.
    public func write(_ frame: CaptureFrame, comment: String) {
        let interface: UInt32
        if let existing = interfaces[frame.linkType] {
            interface = existing
        } else {
            interface = UInt32(interfaces.count)
            interfaces[frame.linkType] = interface
            // Interface Description Block with if_tsresol = 9 (nanoseconds).
            var block: [UInt8] = []
            block.append32(1)  // block type
            block.append32(32)  // block total length
            block.append16(UInt16(truncatingIfNeeded: frame.linkType.linkTypeOnDisk))  // link type
            block.append16(0)  // reserved
            block.append32(0)  // snaplen: no limit
            block.append16(9)  // option if_tsresol
            block.append16(1)  // option length
            block += [9, 0, 0, 0]  // 10^-9, padded
            block.append32(0)  // opt_endofopt
            block.append32(32)  // block total length
            buffer += block
        }
        let units = UInt64(frame.seconds) &* 1_000_000_000 &+ UInt64(frame.nanoseconds)
        let comment = Array(comment.utf8.prefix(65_000))
        let dataPadded = (frame.capturedLength + 3) / 4 * 4
        let commentPadded = (comment.count + 3) / 4 * 4
        let length = 32 + dataPadded + 4 + commentPadded + 4
        buffer.append32(6)  // Enhanced Packet Block
        buffer.append32(UInt32(length))  // block total length
        buffer.append32(interface)  // interface id
        buffer.append32(UInt32(truncatingIfNeeded: units >> 32))  // timestamp (high)
        buffer.append32(UInt32(truncatingIfNeeded: units))  // timestamp (low)
        buffer.append32(UInt32(frame.capturedLength))  // captured packet length
        buffer.append32(UInt32(frame.originalLength))  // original packet length
        buffer += frame.bytes
        buffer += [UInt8](repeating: 0, count: dataPadded - frame.capturedLength)
        buffer.append16(1)  // opt_comment
        buffer.append16(UInt16(comment.count))  // option length
        buffer += comment
        buffer += [UInt8](repeating: 0, count: commentPadded - comment.count)
        buffer.append32(0)  // opt_endofopt
        buffer.append32(UInt32(length))  // block total length
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    public func commit() throws {
        flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
        try FileManager.default.moveItem(atPath: temporary, toPath: final)
    }

    public func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }
}

extension [UInt8] {
    /// Little-endian fields, as this writer's Section Header Block declares.
    mutating func append16(_ value: UInt16) { append(contentsOf: [UInt8(value & 0xFF), UInt8(value >> 8)]) }
    mutating func append32(_ value: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) } }
    mutating func append64(_ value: UInt64) { for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) } }
}

/// A pcap file written frame by frame through libpcap, with nanosecond timestamps; the file appears
/// only when ``commit()`` succeeds.
public final class CaptureWriter {
    private var dumper: LibpcapDumper?
    private let temporary: String
    private let final: String
    private let linkType: LinkType
    public private(set) var frames = 0

    public init(path: String, linkType: LinkType) throws(CaptureError) {
        final = path
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        self.linkType = linkType
        dumper = try LibpcapDumper(path: temporary, linkType: linkType, snapshotLength: 262_144)
    }

    /// Appends one frame stamped `seconds` and `nanoseconds`.
    public func write(_ bytes: [UInt8], seconds: Int64, nanoseconds: UInt32) {
        frames += 1
        bytes.withUnsafeBytes { raw in
            dumper?.write(
                CaptureFrame(
                    number: frames, seconds: seconds, nanoseconds: nanoseconds, capturedLength: raw.count, originalLength: raw.count,
                    linkType: linkType, bytes: raw))
        }
    }

    public func commit() throws {
        dumper = nil  // closes the file
        if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
        try FileManager.default.moveItem(atPath: temporary, toPath: final)
    }

    public func abandon() {
        dumper = nil
        try? FileManager.default.removeItem(atPath: temporary)
    }
}
