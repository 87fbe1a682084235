import CPcap
import PacketWire

/// An open savefile: the only place packet-path calls libpcap. The handle is closed by `deinit`.
final class LibpcapHandle {
    private let handle: OpaquePointer
    let path: String

    /// Opens a pcap or pcapng file (or `-` for standard input) with nanosecond timestamps.
    /// The corresponding C function is `pcap_open_offline_with_tstamp_precision`.
    init(path: String) throws(CaptureError) {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errbuf) else {
            throw CaptureError(file: path, offset: 0, framesRead: 0, message: String(cString: errbuf))
        }
        self.handle = handle
        self.path = path
    }

    deinit { pcap_close(handle) }

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
