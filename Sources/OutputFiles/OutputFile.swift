#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COutputCleanup

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

/// One output of a run: a file replaced atomically, or a descriptor, device or FIFO written
/// straight through (``OutputDestination``). Every write is checked; the first failure is thrown
/// as an ``OutputError`` and nothing after it is written.
///
/// A replaced file is written to a temporary file in its folder (mode and owner copied from the
/// file it replaces, else `0666 & ~umask`), synced and renamed over the target by ``commit()``,
/// so the target holds either its old content or the complete new one. The temporary file is
/// removed by ``abandon()``, by `deinit` when never committed, at `exit`, and on SIGINT, SIGTERM
/// and SIGHUP (`COutputCleanup`).
package final class OutputFile {
    /// The path as the user gave it (`-` for standard output), for messages.
    package let path: String
    package let destination: OutputDestination
    private var descriptor: Int32
    /// Whether ``commit()`` or ``abandon()`` closes ``descriptor``.
    private let ownsDescriptor: Bool
    private var temporary: String?
    private var cleanupSlot: Int32 = -1
    private var buffer: [UInt8] = []
    /// Everything is written (and a file synced and closed): ``finishWriting()`` ran.
    private var written = false
    private var closedDescriptor = false
    /// Committed or abandoned.
    private var finished = false

    /// Bytes gathered before a `write(2)`.
    static let bufferSize = 1 << 16

    /// Opens `path` for writing as ``OutputDestination/of(_:)`` decides.
    /// - Throws: ``OutputError`` with operation `.create` (exit 73).
    package init(_ path: String) throws(OutputError) {
        pp_cleanup_install()
        self.path = path
        destination = try OutputDestination.of(path)
        switch destination {
        case .descriptor(let number):
            // A standard descriptor closed at start holds /dev/null as a placeholder (COutputCleanup).
            let closedAtStart = (0...2).contains(number) && pp_closed_standard_descriptors() & (1 << number) != 0
            guard !closedAtStart, fcntl(number, F_GETFL) != -1 else {
                throw OutputError(path: path, operation: .write, code: EBADF, reason: "descriptor \(number) is closed")
            }
            descriptor = number
            ownsDescriptor = false
        case .stream(let device):
            let opened = open(device, O_WRONLY | O_CLOEXEC | O_NOCTTY)
            guard opened >= 0 else { throw OutputError(path: path, operation: .create, code: errno) }
            descriptor = opened
            ownsDescriptor = true
        case .replace(let file):
            (descriptor, temporary, cleanupSlot) = try Self.createTemporary(beside: file, path: path)
            ownsDescriptor = true
            Self.copyAccess(from: file, to: descriptor)
        }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        if !finished { abandon() }
    }

    /// Creates `.NAME.packet-path-PID-RANDOM` in `file`'s folder, registered for removal before
    /// it exists, so a signal at any moment finds it (unlinking a name not yet created is
    /// harmless; the process ID and 64 random bits keep it from being anyone else's).
    private static func createTemporary(beside file: String, path: String) throws(OutputError) -> (Int32, String, Int32) {
        let folder = OutputDestination.folder(of: file)
        for _ in 0..<16 {
            let name = "\(folder)/.\(baseName(file)).packet-path-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            let slot = pp_cleanup_register(name)
            let descriptor = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, name, slot) }
            let code = errno
            pp_cleanup_unregister(slot)
            guard code == EEXIST else {
                throw OutputError(path: path, operation: .create, code: code, reason: "cannot create a temporary file in \(folder): \(String(cString: strerror(code)))")
            }
        }
        throw OutputError(path: path, operation: .create, code: EEXIST, reason: "cannot find a free temporary name in \(folder)")
    }

    /// The last component of `path`.
    static func baseName(_ path: String) -> Substring {
        path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? Substring(path)
    }

    /// Gives the temporary file the mode and owner of the file it replaces, or, for a new file,
    /// the mode `open(2)` would give (`0666 & ~umask`; the temporary file is made `0600`).
    private static func copyAccess(from file: String, to descriptor: Int32) {
        var status = stat()
        if stat(file, &status) == 0 {
            _ = fchmod(descriptor, status.st_mode & 0o7777)
            _ = fchown(descriptor, status.st_uid, status.st_gid)  // refused unless root: the new owner is then the caller
        } else {
            let mask = umask(0)
            umask(mask)
            _ = fchmod(descriptor, 0o666 & ~mask)
        }
    }

    // MARK: - writing

    /// Appends `text` and a line feed.
    package func writeLine(_ text: String) throws(OutputError) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        buffer.append(0x0A)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Appends bytes.
    package func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(OutputError) {
        if buffer.isEmpty && bytes.count >= Self.bufferSize { return try writeAll(UnsafeRawBufferPointer(bytes)) }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Appends bytes.
    package func write(_ bytes: [UInt8]) throws(OutputError) {
        try bytes.withUnsafeBufferPointer { (raw) throws(OutputError) in try write(raw) }
    }

    /// Appends what `body` appends to the buffer (a line with its line feed, a record), without
    /// an intermediate `String` or array; the buffer goes out past ``bufferSize``.
    @inline(__always)
    package func append(_ body: (inout [UInt8]) -> Void) throws(OutputError) {
        body(&buffer)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes out what is buffered.
    package func flush() throws(OutputError) {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBufferPointer { (bytes) throws(OutputError) in try writeAll(UnsafeRawBufferPointer(bytes)) }
    }

    /// `write(2)` until every byte is out, retrying interrupted and partial writes.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard !written else { throw OutputError(path: path, operation: .write, code: EBADF, reason: "written after it was closed") }
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: path, operation: .write, code: errno)
            }
            if written == 0 { throw OutputError(path: path, operation: .write, code: EIO, reason: "the system wrote nothing") }
            offset += written
        }
    }

    // MARK: - finishing

    /// Writes out what is buffered and, for a file, syncs and closes it: every step that can
    /// fail for lack of space. A run with several outputs finishes them all before it renames
    /// any, so a full disk leaves none of them half-replaced (``commit()`` calls this first).
    /// - Throws: ``OutputError``; the temporary file is then removed and the target untouched.
    package func finishWriting() throws(OutputError) {
        guard !written else { return }
        do {
            try flush()
        } catch {
            abandon()
            throw error
        }
        written = true
        guard ownsDescriptor else { return }
        if temporary != nil && fsync(descriptor) != 0 {
            let code = errno
            abandon()
            throw OutputError(path: path, operation: .write, code: code)
        }
        let closed = close(descriptor)
        closedDescriptor = true
        if closed != 0 && errno != EINTR {
            let code = errno
            abandon()
            throw OutputError(path: path, operation: .write, code: code)
        }
    }

    /// Finishes writing and, for a replaced file, renames it over the target (then syncs the
    /// folder, so the rename itself survives a crash).
    /// - Throws: ``OutputError``; the temporary file is then removed and the target untouched.
    package func commit() throws(OutputError) {
        try finishWriting()
        guard !finished else { return }
        finished = true
        guard let temporary, case .replace(let file) = destination else { return }
        if rename(temporary, file) != 0 {
            let code = errno
            unlink(temporary)
            pp_cleanup_unregister(cleanupSlot)
            throw OutputError(path: path, operation: .create, code: code)
        }
        self.temporary = nil
        pp_cleanup_unregister(cleanupSlot)
        let folder = open(OutputDestination.folder(of: file), O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Gives up: removes the temporary file (the target keeps its old content) and closes what
    /// this output opened. Safe to call more than once, and after a commit (it then does nothing).
    package func abandon() {
        guard !finished else { return }
        finished = true
        written = true
        buffer.removeAll()
        if ownsDescriptor && !closedDescriptor {
            close(descriptor)
            closedDescriptor = true
        }
        if let temporary {
            unlink(temporary)
            pp_cleanup_unregister(cleanupSlot)
            self.temporary = nil
        }
    }
}
