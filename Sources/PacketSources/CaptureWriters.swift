#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OutputFiles
import PacketWire

/// A classic pcap file (nanosecond timestamps, the frames' own link type) written record by
/// record through an ``OutputFile``: every write is checked, and the file appears only when
/// ``commit()`` succeeds. The header and records are the layout libpcap reads (`pcap/pcap.h`);
/// the link type is written as the `LINKTYPE_*` value libpcap maps the frames' `DLT_*` to.
public final class PcapFileWriter {
    private let output: OutputFile
    public let linkType: LinkType
    public private(set) var frames = 0

    /// - Throws: ``OutputError`` when the file cannot be created or its header written, or when
    ///   libpcap knows no file value for the link type.
    public init(path: String, linkType: LinkType) throws {
        guard let fileValue = LibpcapLinkTypes.fileValue(for: linkType) else {
            throw OutputError(path: path, operation: .create, code: EINVAL, reason: "libpcap cannot write link type \(linkType) to a pcap file")
        }
        output = try OutputFile(path)
        self.linkType = linkType
        try output.append { header in
            header.appendHost32(0xA1B2_3C4D)  // magic_number: nanosecond timestamps, this host's byte order
            header.appendHost16(2)  // version_major
            header.appendHost16(4)  // version_minor
            header.appendHost32(0)  // thiszone
            header.appendHost32(0)  // sigfigs
            header.appendHost32(262_144)  // snaplen
            header.appendHost32(fileValue)  // network (LINKTYPE_*)
        }
    }

    /// Appends one record. A timestamp outside what pcap holds (32-bit seconds since 1970) is
    /// written clamped to that range.
    public func write(_ frame: CaptureFrame) throws {
        frames += 1
        let seconds = UInt32(clamping: max(0, frame.seconds))
        try output.append { record in
            record.appendHost32(seconds)  // ts_sec
            record.appendHost32(min(frame.nanoseconds, 999_999_999))  // ts_usec, in nanoseconds by the magic
            record.appendHost32(UInt32(frame.capturedLength))  // incl_len
            record.appendHost32(UInt32(clamping: frame.originalLength))  // orig_len
            record.append(contentsOf: frame.bytes)
        }
    }

    /// Appends one frame of ``linkType`` made of `bytes`, stamped `seconds` and `nanoseconds`.
    public func write(_ bytes: [UInt8], seconds: Int64, nanoseconds: UInt32) throws {
        var failure: (any Error)?
        bytes.withUnsafeBytes { raw in
            let frame = CaptureFrame(
                number: frames + 1, seconds: seconds, nanoseconds: nanoseconds, capturedLength: raw.count, originalLength: raw.count,
                linkType: linkType, bytes: raw)
            do { try write(frame) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes out the last records and syncs the file, without renaming it into place yet.
    public func finishWriting() throws { try output.finishWriting() }

    /// Writes out the last records and renames the file into place.
    public func commit() throws { try output.commit() }

    /// Removes the unfinished file.
    public func abandon() { output.abandon() }
}

/// Writes frames into one pcap per verdict (`--split DIR`), with the original link type, timestamps
/// and bytes. Files appear only when ``commit()`` succeeds; each follows ``OutputFile``'s rules.
package final class CaptureSplitter {
    private let directory: String
    private var writers: [String: PcapFileWriter] = [:]
    /// Files in the order they were opened, so they are renamed into place in that order.
    private var order: [String] = []
    private var firstLinkType: [String: LinkType] = [:]

    /// Creates `directory` (and its parents) when missing.
    /// - Throws: ``OutputError`` when it cannot be created or names something else than a folder.
    package init(directory: String) throws(OutputError) {
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw OutputError(path: directory, operation: .create, code: ENOTDIR, reason: "--split names a folder, and this is not one")
            }
        } else {
            try Self.makeFolders(directory)
        }
        self.directory = directory
    }

    /// `mkdir -p`.
    private static func makeFolders(_ path: String) throws(OutputError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if mkdir(current, 0o777) != 0 && errno != EEXIST { throw OutputError(path: path, operation: .create, code: errno) }
        }
    }

    /// Appends `frame` to `<group>.pcap` (or `<group>.<LINKTYPE>.pcap` when a capture mixes link types).
    package func write(_ frame: CaptureFrame, group: String) throws {
        // A pcap holds one link type: frames of another type than the group's first go to their own file.
        let first = firstLinkType[group] ?? frame.linkType
        firstLinkType[group] = first
        let key = first == frame.linkType ? group : "\(group).\(frame.linkType.description)"
        if writers[key] == nil {
            writers[key] = try PcapFileWriter(path: "\(directory)/\(key).pcap", linkType: frame.linkType)
            order.append(key)
        }
        try writers[key]!.write(frame)
    }

    /// Writes out and syncs every file, renaming none: see ``OutputFile/finishWriting()``.
    package func finishWriting() throws {
        do {
            for key in order { try writers[key]?.finishWriting() }
        } catch {
            abandon()
            throw error
        }
    }

    /// Writes out every file, then renames them all into place: a failure while writing (a full
    /// disk) leaves every target as it was.
    package func commit() throws {
        defer { abandon() }
        try finishWriting()
        for key in order { try writers[key]?.commit() }
    }

    /// Removes the files not yet in place.
    package func abandon() {
        for writer in writers.values { writer.abandon() }
        writers.removeAll()
    }
}

/// Writes every frame to a pcapng file with a comment (`opt_comment`) per frame (`--annotate`), so
/// Wireshark shows the verdict and `frame.comment contains "dropped"` filters on it; the comments a
/// frame already had come first, and the capture's Section Header options are kept. Pure Swift:
/// libpcap writes classic pcap only. The file appears only when ``commit()`` succeeds.
package final class PcapngAnnotator {
    private let output: OutputFile
    private var interfaces: [LinkType: UInt32] = [:]

    /// The Section Header options to write: the first input's, when it is pcapng. Read when the
    /// first frame is written (or at the end, for an empty capture).
    package var sectionOptions: [(code: UInt16, value: [UInt8])] = []
    /// Whether the Section Header Block is written.
    private var started = false

    package init(path: String) throws(OutputError) {
        output = try OutputFile(path)
    }

    /// Writes the Section Header Block, once, with ``sectionOptions``.
    private func start() throws(OutputError) {
        guard !started else { return }
        started = true
        let options = Self.options(sectionOptions)
        let length = UInt32(28 + options.count)
        try output.append { block in
            block.append32(0x0A0D_0D0A)  // block type: Section Header Block
            block.append32(length)  // block total length
            block.append32(0x1A2B_3C4D)  // byte-order magic
            block.append16(1)  // major version
            block.append16(0)  // minor version
            block.append64(UInt64.max)  // section length: not specified
            block.append(contentsOf: options)
            block.append32(length)  // block total length
        }
    }

    /// Options as pcapng lays them out (code, length, value padded to 4 bytes), ended by
    /// `opt_endofopt`; nothing for none.
    static func options(_ options: [(code: UInt16, value: [UInt8])]) -> [UInt8] {
        guard !options.isEmpty else { return [] }
        var bytes: [UInt8] = []
        for option in options {
            let value = option.value.prefix(65_000)
            bytes.append16(option.code)
            bytes.append16(UInt16(value.count))
            bytes.append(contentsOf: value)
            bytes.append(contentsOf: repeatElement(0, count: (value.count + 3) / 4 * 4 - value.count))
        }
        bytes.append32(0)  // opt_endofopt
        return bytes
    }

    /// The pcapng timestamp of a frame: nanoseconds since 1970 in 64 bits, or `nil` for a time
    /// before 1970 or after 2554, which pcapng cannot hold.
    static func units(_ frame: CaptureFrame) -> UInt64? {
        guard frame.seconds >= 0, frame.nanoseconds < 1_000_000_000 else { return nil }
        let (scaled, overflow) = UInt64(frame.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (units, carry) = scaled.addingReportingOverflow(UInt64(frame.nanoseconds))
        return overflow || carry ? nil : units
    }

    /// Appends `frame` with the comments it had and then `comment`. A timestamp pcapng cannot
    /// hold is written as 0 and the comment says so.
    package func write(_ frame: CaptureFrame, comment: String, keeping earlier: [String] = []) throws {
        try start()
        let interface = try interface(for: frame.linkType)
        var text = comment
        let units = Self.units(frame) ?? 0
        if Self.units(frame) == nil {
            text += " (capture time \(frame.seconds) s + \(frame.nanoseconds) ns cannot be held by pcapng; written as 1970-01-01)"
        }
        let options = Self.options((earlier + [text]).map { (code: 1, value: Array($0.utf8)) })  // opt_comment each
        let dataPadded = (frame.capturedLength + 3) / 4 * 4
        let length = 28 + dataPadded + options.count + 4
        try output.append { block in
            block.append32(6)  // block type: Enhanced Packet Block
            block.append32(UInt32(length))  // block total length
            block.append32(interface)  // interface id
            block.append32(UInt32(truncatingIfNeeded: units >> 32))  // timestamp (high)
            block.append32(UInt32(truncatingIfNeeded: units))  // timestamp (low)
            block.append32(UInt32(frame.capturedLength))  // captured packet length
            block.append32(UInt32(clamping: frame.originalLength))  // original packet length
            block.append(contentsOf: frame.bytes)
            block.append(contentsOf: repeatElement(0, count: dataPadded - frame.capturedLength))
            block.append(contentsOf: options)
            block.append32(UInt32(length))  // block total length
        }
    }

    /// The interface of `linkType`, declared by an Interface Description Block on first use.
    private func interface(for linkType: LinkType) throws -> UInt32 {
        if let existing = interfaces[linkType] { return existing }
        guard let fileValue = LibpcapLinkTypes.fileValue(for: linkType), fileValue <= UInt16.max else {
            throw OutputError(path: output.path, operation: .create, code: EINVAL, reason: "libpcap knows no pcapng link type for \(linkType)")
        }
        let interface = UInt32(interfaces.count)
        interfaces[linkType] = interface
        try output.append { block in
            block.append32(1)  // block type: Interface Description Block
            block.append32(32)  // block total length
            block.append16(UInt16(fileValue))  // link type (LINKTYPE_*)
            block.append16(0)  // reserved
            block.append32(0)  // snaplen: no limit
            block.append16(9)  // option: if_tsresol
            block.append16(1)  // option length
            block.append(contentsOf: [9, 0, 0, 0])  // 10^-9 s, padded
            block.append32(0)  // opt_endofopt
            block.append32(32)  // block total length
        }
        return interface
    }

    /// Writes out and syncs the file without renaming it: see ``OutputFile/finishWriting()``.
    package func finishWriting() throws(OutputError) {
        try start()
        try output.finishWriting()
    }

    package func commit() throws(OutputError) {
        try start()
        try output.commit()
    }

    package func abandon() { output.abandon() }
}

extension [UInt8] {
    /// Little-endian fields, as the annotator's Section Header Block declares.
    mutating func append16(_ value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append32(_ value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append64(_ value: UInt64) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    /// Host-order fields, as the pcap magic number declares.
    mutating func appendHost16(_ value: UInt16) { Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) } }
    mutating func appendHost32(_ value: UInt32) { Swift.withUnsafeBytes(of: value) { append(contentsOf: $0) } }
}
