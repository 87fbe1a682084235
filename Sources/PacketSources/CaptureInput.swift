#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Decompression
import Synchronization

/// A capture's bytes as a stdio stream libpcap can read: a file as it is, or — for standard input
/// and for gzip, zstd and xz files — a temporary file holding them (decompressed), deleted as
/// soon as it is closed (`tmpfile`). Either way the stream can be read again from its start,
/// which the pcapng reader needs after libpcap gives up on a file.
struct CaptureInput {
    let file: UnsafeMutablePointer<FILE>
    /// The stdio buffer the stream is read through, freed after the stream is closed.
    let buffer: UnsafeMutableRawPointer
    /// The first four bytes of the capture (decompressed), as the host reads them.
    let magic: UInt32?
    /// The compression the file had, if any: offsets in errors are then in the decompressed data.
    let compression: Compression?
    /// Why the compressed data stopped before its end (a truncated or damaged file): the stream
    /// holds what came before, whose complete frames are still read.
    var damage: String?

    /// Bytes of the stdio buffer a stream is read through: libpcap `fread`s each record header and
    /// body, and glibc's default 4 KiB buffer costs a `read` system call every few frames; with
    /// this one, one every thousand or more (measurements in docs/decisions.md).
    static let bufferSize = 1 << 20

    /// A ``bufferSize`` buffer given to a stream nothing was read through yet (stdio takes one
    /// before the first read only); the caller frees it after closing the stream.
    static func buffered(_ file: UnsafeMutablePointer<FILE>) -> UnsafeMutableRawPointer {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 64)
        setvbuf(file, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, bufferSize)
        return buffer
    }

    /// Closes the stream, then frees its buffer.
    func close() {
        fclose(file)
        buffer.deallocate()
    }

    /// Opens `path` (`-`: standard input) for reading from its start.
    static func open(_ path: String) throws(CaptureError) -> CaptureInput {
        func fail(_ message: String) -> CaptureError { CaptureError(file: path, offset: nil, framesRead: 0, message: message) }
        guard let raw = path == "-" ? StandardInput.reopen() : fopen(path, "rb") else {
            throw fail("cannot open: \(String(cString: strerror(errno)))")
        }
        let rawBuffer = buffered(raw)
        let head = Self.head(raw, count: 6)
        guard let compression = Compression(magic: head) else {
            return CaptureInput(file: raw, buffer: rawBuffer, magic: Self.magic(Array(head.prefix(4))), compression: nil)
        }
        defer {
            fclose(raw)
            rawBuffer.deallocate()
        }
        var damage: String?
        guard let spool = tmpfile() else { throw fail("cannot make a temporary file to decompress into: \(String(cString: strerror(errno)))") }
        let spoolBuffer = buffered(spool)
        do {
            try compression.decompress(
                read: { buffer in fread(buffer.baseAddress, 1, buffer.count, raw) },
                write: { bytes in
                    guard fwrite(bytes.baseAddress, 1, bytes.count, spool) == bytes.count else {
                        throw DecompressionError(offset: 0, message: "cannot write the decompressed capture to a temporary file: \(String(cString: strerror(errno)))")
                    }
                })
        } catch {
            damage = "\(compression.rawValue) data: \(error)"
        }
        fflush(spool)
        return CaptureInput(file: spool, buffer: spoolBuffer, magic: Self.magic(Self.head(spool, count: 4)), compression: compression, damage: damage)
    }

    /// The first `count` bytes of `file` (fewer when it is shorter); the file is rewound.
    static func head(_ file: UnsafeMutablePointer<FILE>, count: Int) -> [UInt8] {
        rewind(file)
        var bytes = [UInt8](repeating: 0, count: count)
        let read = fread(&bytes, 1, count, file)
        rewind(file)
        return Array(bytes.prefix(read))
    }

    static func magic(_ bytes: [UInt8]) -> UInt32? {
        guard bytes.count >= 4 else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }

    /// The first four bytes of the (decompressed) contents of `path`, decompressing no more than
    /// needed; `nil` when it cannot be read or is shorter.
    static func peekMagic(_ path: String) -> UInt32? {
        guard let file = path == "-" ? StandardInput.reopen() : fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        guard let compression = Compression(magic: head(file, count: 6)) else { return magic(head(file, count: 4)) }
        var found: [UInt8] = []
        struct Enough: Error {}
        do {
            try compression.decompress(
                read: { buffer in fread(buffer.baseAddress, 1, buffer.count, file) },
                write: { bytes in
                    found += bytes.prefix(4 - found.count)
                    if found.count == 4 { throw Enough() }
                })
        } catch {}
        return magic(found)
    }
}

/// Standard input, read to its end into a temporary file the first time it is asked for, so that
/// every reader (a capture's, a flow log's, a format probe) can read it from its start, as a
/// file. Holds the whole input on disk (in `$TMPDIR`), never in memory.
package enum StandardInput {
    /// The spool's descriptor, once made (-1: not yet, or standard input could not be read).
    private static let spool = Mutex<Int32?>(nil)

    /// Standard input's bytes, all of them; `nil` when it cannot be read.
    package static func bytes() -> [UInt8]? {
        guard let file = reopen() else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { return ferror(file) == 0 ? bytes : nil }
            bytes += chunk[0..<count]
        }
    }

    /// A new stream over standard input's bytes, at their start; the caller closes it. `nil`
    /// when standard input cannot be read or spooled.
    package static func reopen() -> UnsafeMutablePointer<FILE>? {
        spool.withLock { spool -> UnsafeMutablePointer<FILE>? in
            if spool == nil, let file = tmpfile() {
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                var complete = true
                while true {
                    let count = read(STDIN_FILENO, &chunk, chunk.count)
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 {
                        complete = count == 0
                        break
                    }
                    if fwrite(chunk, 1, count, file) != count {
                        complete = false
                        break
                    }
                }
                fflush(file)
                // The stream stays open (never closed: the file lives as long as the process).
                spool = complete ? fileno(file) : -1
                if !complete { fclose(file) }
            }
            guard let descriptor = spool, descriptor >= 0 else { return nil }
            // Through /dev/fd a second stream on the same file has its own position.
            return fopen("/dev/fd/\(descriptor)", "rb")
        }
    }
}
