import CPcap
import PacketWire

/// An open savefile: the only place packet-path calls libpcap. The handle is closed by `deinit`.
final class LibpcapHandle {
    private let handle: OpaquePointer
    let path: String
    /// The stdio buffer the file is read through (``CaptureInput/bufferSize``), freed after it is closed.
    private let buffer: UnsafeMutableRawPointer

    /// Reads `input` with nanosecond timestamps. The corresponding C function is
    /// `pcap_fopen_offline_with_tstamp_precision`; libpcap then owns the stream.
    init(_ input: CaptureInput, path: String) throws(CaptureError) {
        #if canImport(Glibc)
        // Only the thread reading this handle touches the file: glibc need not lock it on
        // every `fread` (it does once a process has several threads, as with `--jobs`).
        _ = __fsetlocking(input.file, Int32(FSETLOCKING_BYCALLER))
        #endif
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_fopen_offline_with_tstamp_precision(input.file, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errbuf) else {
            input.close()
            throw CaptureError(file: path, offset: 0, framesRead: 0, message: Self.text(errbuf))
        }
        self.handle = handle
        self.buffer = input.buffer
        self.path = path
    }

    /// The text of libpcap's NUL-terminated error buffer.
    private static func text(_ errbuf: [CChar]) -> String {
        String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        pcap_close(handle)  // closes the file, so the buffer goes after it
        buffer.deallocate()
    }

    /// The capture's link type (its first interface's, for pcapng). The corresponding C function is `pcap_datalink`.
    var linkType: LinkType { LinkType(dlt: pcap_datalink(handle)) }

    /// The file position of the next record, or `nil` for a pipe. The corresponding C functions are
    /// `pcap_file` and `ftell`.
    var offset: Int? {
        guard let file = pcap_file(handle) else { return nil }
        let position = ftell(file)
        return position < 0 ? nil : position
    }

    /// The stream libpcap reads, for the pcapng reader to read again after libpcap gave up. The
    /// corresponding C function is `pcap_file`.
    var file: UnsafeMutablePointer<FILE>? { pcap_file(handle) }

    /// What reading the next record gave.
    enum Next {
        case record(header: UnsafePointer<pcap_pkthdr>, data: UnsafePointer<UInt8>)
        case end
        case failure(String)
    }

    /// The next record, the end, or the error. The corresponding C function is `pcap_next_ex`.
    func next() -> Next {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1:
            guard let header, let data else { return .failure("libpcap returned a record without data") }
            return .record(header: UnsafePointer(header), data: data)
        case PCAP_ERROR_BREAK:  // -2: the end of the savefile, not an error
            return .end
        default:
            return .failure(String(cString: pcap_geterr(handle)))
        }
    }
}

/// The link-type numbers of files (`LINKTYPE_*`) and of libpcap's API (`DLT_*`) differ for a few
/// types (LINKTYPE_RAW 101 is DLT_RAW 12 on Linux); libpcap maps them, so packet-path asks libpcap
/// rather than keeping a table of its own.
enum LibpcapLinkTypes {
    /// The `DLT_*` value libpcap gives a file's `LINKTYPE_*` value, by reading a pcap global header
    /// that carries it. The corresponding C functions are `fmemopen`, `pcap_fopen_offline` and
    /// `pcap_datalink`.
    /// - Returns: `nil` when libpcap refuses the value.
    static func dlt(forFileValue value: UInt32) -> LinkType? {
        var header: [UInt32] = [0xA1B2_C3D4, 0x0004_0002, 0, 0, 65_535, value]  // magic, 2.4, zone, sigfigs, snaplen, linktype
        return header.withUnsafeMutableBytes { bytes -> LinkType? in
            guard let file = fmemopen(bytes.baseAddress, bytes.count, "rb") else { return nil }
            var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
            guard let handle = pcap_fopen_offline(file, &errbuf) else {
                fclose(file)
                return nil
            }
            defer { pcap_close(handle) }  // closes the file
            return LinkType(dlt: pcap_datalink(handle))
        }
    }

    /// The `LINKTYPE_*` value libpcap writes for `linkType`, read back from the global header of
    /// a capture libpcap writes into memory. The corresponding C functions are
    /// `pcap_open_dead`, `open_memstream` and `pcap_dump_fopen`.
    /// - Returns: `nil` when libpcap cannot write the link type.
    static func fileValue(for linkType: LinkType) -> UInt32? {
        guard let dead = pcap_open_dead(linkType.dlt, 65_535) else { return nil }
        defer { pcap_close(dead) }
        var memory: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let file = open_memstream(&memory, &size) else { return nil }
        defer { free(memory) }
        guard let dumper = pcap_dump_fopen(dead, file) else {
            fclose(file)
            return nil
        }
        pcap_dump_close(dumper)  // flushes and closes the stream: `memory` holds the header
        guard size >= PcapFormat.globalHeaderSize, let memory else { return nil }
        return UnsafeRawPointer(memory).loadUnaligned(fromByteOffset: 20, as: UInt32.self)  // host order, as written
    }
}

/// A capture filter in tcpdump's expression language, compiled by libpcap for each link type it
/// meets (a pcapng file may have several) and run on each record as tcpdump's `-r FILE EXPR`
/// would. The corresponding C functions are `pcap_open_dead`, `pcap_compile`,
/// `pcap_offline_filter` and `pcap_freecode`.
public final class CaptureFilter: @unchecked Sendable {
    public let expression: String
    /// Compiled programs by DLT; one reader thread uses them.
    private var programs: [Int32: UnsafeMutablePointer<bpf_program>] = [:]

    /// Bytes a record may have for the compiled program: as tcpdump's default snapshot length.
    static let snapshotLength: Int32 = 262_144

    /// Compiles `expression` for Ethernet, so that a syntax error is reported before any capture
    /// is read.
    /// - Throws: libpcap's message (`syntax error`, `unknown host 'x'`…).
    public init(_ expression: String) throws(CaptureFilterError) {
        self.expression = expression
        _ = try program(for: LinkType(dlt: 1))
    }

    deinit {
        for program in programs.values {
            pcap_freecode(program)
            program.deallocate()
        }
    }

    private func program(for linkType: LinkType) throws(CaptureFilterError) -> UnsafeMutablePointer<bpf_program> {
        if let known = programs[linkType.dlt] { return known }
        guard let dead = pcap_open_dead(linkType.dlt, Self.snapshotLength) else { throw CaptureFilterError(message: "libpcap could not start") }
        defer { pcap_close(dead) }
        let program = UnsafeMutablePointer<bpf_program>.allocate(capacity: 1)
        guard pcap_compile(dead, program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            program.deallocate()
            throw CaptureFilterError(message: String(cString: pcap_geterr(dead)))
        }
        programs[linkType.dlt] = program
        return program
    }

    /// Whether the filter accepts a record; a link type it cannot compile for accepts nothing
    /// (libpcap's own rule: an expression that names what a link type lacks matches no packet).
    func accepts(_ bytes: UnsafeRawBufferPointer, originalLength: Int, linkType: LinkType) -> Bool {
        guard let program = try? program(for: linkType) else { return false }
        var header = pcap_pkthdr()
        header.caplen = UInt32(bytes.count)
        header.len = UInt32(originalLength)
        return pcap_offline_filter(program, &header, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!) != 0
    }
}

/// A capture filter libpcap cannot compile.
public struct CaptureFilterError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
