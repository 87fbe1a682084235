import ArgumentParser
import Foundation

/// Where a command's results go: standard output, or a file written atomically (a temporary
/// file in the same folder, renamed on success, so an error never leaves half a file).
final class OutputSink {
    private let handle: FileHandle
    private let temporaryPath: String?
    private let finalPath: String?
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        guard let path, path != "-" else {
            handle = FileHandle.standardOutput
            temporaryPath = nil
            finalPath = nil
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            printError("\(path): error: cannot create the output file")
            throw ExitStatus.cannotWrite
        }
        self.handle = handle
        temporaryPath = temporary
        finalPath = path
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends `line` and a newline.
    func write(_ line: String) {
        write { buffer in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
        }
    }

    /// Appends lines already made as UTF-8 bytes, each with its line feed.
    func write(bytes lines: UnsafeBufferPointer<UInt8>) { write { $0.append(contentsOf: lines) } }

    /// Appends what `line` writes (a line with its line feed) to the buffer, without a `String`;
    /// every write comes here, and the buffer goes out past 64 KiB.
    func write(bytes line: (inout [UInt8]) -> Void) {
        line(&buffer)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, moves it into place.
    func commit() throws {
        flush()
        guard let temporaryPath, let finalPath else { return }
        try handle.close()
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
    }

    /// Removes the temporary file after a failure.
    func abandon() {
        guard let temporaryPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
