import CPcap
import PacketWire

/// An open savefile: the only place packet-path calls libpcap. The handle is closed by `deinit`.
final class LibpcapHandle {
    private let handle: OpaquePointer
    let path: String
    /// The stdio buffer the file is read through, when packet-path opened the file.
    private let buffer: UnsafeMutableRawPointer?

    /// Bytes of the stdio buffer a file is read through: libpcap `fread`s each record header and
    /// body, and glibc's default 4 KiB buffer costs a `read` system call every few frames
    /// (a 1 MiB buffer made a bare `pcap_next_ex` loop 1.08× faster on header-only frames and
    /// 1.25–1.35× on full-size ones; docs/decisions.md).
    static let bufferSize = 1 << 20

    /// Opens a pcap or pcapng file (or `-` for standard input) with nanosecond timestamps, reading
    /// it through a ``bufferSize`` stdio buffer. The corresponding C functions are `fopen`,
    /// `setvbuf` and `pcap_fopen_offline_with_tstamp_precision` (`pcap_open_offline_with_tstamp_precision`
    /// for standard input, and for a file `fopen` cannot open, so that libpcap words the error).
    init(path: String) throws(CaptureError) {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let precision = UInt32(PCAP_TSTAMP_PRECISION_NANO)
        if path != "-", let file = fopen(path, "rb") {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 64)
            setvbuf(file, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, Self.bufferSize)
            #if canImport(Glibc)
            // Only the thread reading this handle touches the file: glibc need not lock it on
            // every `fread` (it does once a process has several threads, as with `--jobs`).
            _ = __fsetlocking(file, Int32(FSETLOCKING_BYCALLER))
            #endif
            guard let handle = pcap_fopen_offline_with_tstamp_precision(file, precision, &errbuf) else {
                fclose(file)
                buffer.deallocate()
                throw CaptureError(file: path, offset: 0, framesRead: 0, message: Self.text(errbuf))
            }
            self.handle = handle
            self.buffer = buffer
        } else {
            guard let handle = pcap_open_offline_with_tstamp_precision(path, precision, &errbuf) else {
                throw CaptureError(file: path, offset: 0, framesRead: 0, message: Self.text(errbuf))
            }
            self.handle = handle
            self.buffer = nil
        }
        self.path = path
    }

    /// The text of libpcap's NUL-terminated error buffer.
    private static func text(_ errbuf: [CChar]) -> String {
        String(decoding: errbuf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        pcap_close(handle)  // closes the file, so the buffer goes after it
        buffer?.deallocate()
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

/// A pcap file being written, one record at a time, through libpcap's dumper.
final class LibpcapDumper {
    private let dead: OpaquePointer
    private let dumper: OpaquePointer

    /// The corresponding C functions are `pcap_open_dead_with_tstamp_precision` and `pcap_dump_open`.
    init(path: String, linkType: LinkType, snapshotLength: Int) throws(CaptureError) {
        guard let dead = pcap_open_dead_with_tstamp_precision(linkType.dlt, Int32(clamping: snapshotLength), UInt32(PCAP_TSTAMP_PRECISION_NANO))
        else { throw CaptureError(file: path, offset: nil, framesRead: 0, message: "libpcap cannot write link type \(linkType)") }
        guard let dumper = pcap_dump_open(dead, path) else {
            let message = String(cString: pcap_geterr(dead))
            pcap_close(dead)
            throw CaptureError(file: path, offset: nil, framesRead: 0, message: message)
        }
        self.dead = dead
        self.dumper = dumper
    }

    deinit {
        pcap_dump_close(dumper)
        pcap_close(dead)
    }

    /// Appends one record with the frame's timestamp and lengths. The corresponding C function is `pcap_dump`.
    func write(_ frame: CaptureFrame) {
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(frame.seconds)
        header.ts.tv_usec = Int(frame.nanoseconds)  // nanoseconds: the handle was opened with nanosecond precision
        header.caplen = UInt32(frame.capturedLength)
        header.len = UInt32(frame.originalLength)
        withUnsafePointer(to: &header) { headerPointer in
            frame.bytes.withMemoryRebound(to: UInt8.self) { bytes in
                pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), headerPointer, bytes.baseAddress)
            }
        }
    }
}
