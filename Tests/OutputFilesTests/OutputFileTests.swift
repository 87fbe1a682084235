import Foundation
import Testing

@testable import OutputFiles

/// What an output path may become: nothing that exists is deleted or replaced by anything but a
/// complete regular file (docs/cli.md, "Output files").
@Suite("Output files")
struct OutputFileTests {
    /// A fresh folder for one test.
    static func folder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-output-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// Names in `folder` other than `keep`: a leftover temporary file shows up here.
    static func leftovers(_ folder: String, keeping keep: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !keep.contains($0) }
    }

    @Test("a new file appears only when committed, with the mode open(2) would give it")
    func newFile() throws {
        let folder = try Self.folder("new")
        let path = folder + "/out.txt"
        let output = try OutputFile(path)
        try output.writeLine("hello")
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the target before the commit")
        #expect(try Self.leftovers(folder, keeping: []).count == 1, "one temporary file, in the target's folder")
        try output.commit()
        #expect(Self.contents(path) == "hello\n")
        #expect(try Self.leftovers(folder, keeping: ["out.txt"]).isEmpty)
        let mask = umask(0)
        umask(mask)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o666 & ~Int(mask))
    }

    @Test("an existing file keeps its content when the output is abandoned, and its mode when replaced")
    func replaceOrKeep() throws {
        let folder = try Self.folder("replace")
        let path = folder + "/out.txt"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let abandoned = try OutputFile(path)
        try abandoned.writeLine("half")
        abandoned.abandon()
        #expect(Self.contents(path) == "old\n")
        #expect(try Self.leftovers(folder, keeping: ["out.txt"]).isEmpty)
        do {
            let dropped = try OutputFile(path)
            try dropped.writeLine("dropped without a commit")
        }  // deinit abandons
        #expect(Self.contents(path) == "old\n")
        #expect(try Self.leftovers(folder, keeping: ["out.txt"]).isEmpty)
        let output = try OutputFile(path)
        try output.writeLine("new")
        try output.commit()
        #expect(Self.contents(path) == "new\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o640)
    }

    @Test("a directory, a socket and a block device are refused (73) and left as they are")
    func refused() throws {
        let folder = try Self.folder("refused")
        try FileManager.default.createDirectory(atPath: folder + "/dir", withIntermediateDirectories: true)
        try "keep".write(toFile: folder + "/dir/inside", atomically: false, encoding: .utf8)
        for path in [folder + "/dir", folder + "/dir/"] {
            #expect {
                _ = try OutputFile(path)
            } throws: { error in
                (error as? OutputError)?.exitStatus == 73 && "\(error)".contains("is a directory")
            }
        }
        #expect(Self.contents(folder + "/dir/inside") == "keep")
        // A Unix socket.
        let socketPath = folder + "/sock"
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in socketPath.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(throws: OutputError.self) { _ = try OutputFile(socketPath) }
        // A block device node (loop device 7,0), made here: never opened.
        let block = folder + "/block"
        if mknod(block, S_IFBLK | 0o600, 7 << 8) == 0 {  // device 7,0 (old-style encoding)
            #expect {
                _ = try OutputFile(block)
            } throws: { error in
                "\(error)".contains("block device")
            }
        } else {
            print("note: the block-device case needs mknod (root); skipped here")
        }
        #expect(try Self.leftovers(folder, keeping: ["dir", "sock", "block"]).isEmpty)
    }

    @Test("a symbolic link to a file: the file is replaced, the link kept; a dangling link creates its file")
    func links() throws {
        let folder = try Self.folder("links")
        try "old".write(toFile: folder + "/target.txt", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: "target.txt")
        let output = try OutputFile(folder + "/link")
        try output.writeLine("new")
        try output.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link") == "target.txt")
        #expect(Self.contents(folder + "/target.txt") == "new\n")
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling", withDestinationPath: "created.txt")
        let second = try OutputFile(folder + "/dangling")
        try second.writeLine("made")
        try second.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/dangling") == "created.txt")
        #expect(Self.contents(folder + "/created.txt") == "made\n")
    }

    @Test("devices, FIFOs and descriptor names are written through, never replaced")
    func writeThrough() throws {
        #expect(try OutputDestination.of("-") == .descriptor(1))
        #expect(try OutputDestination.of("/dev/stdout") == .descriptor(1))
        #expect(try OutputDestination.of("/proc/self/fd/7") == .descriptor(7))
        #expect(try OutputDestination.of("/dev/null") == .stream(path: "/dev/null"))
        let folder = try Self.folder("through")
        try FileManager.default.createSymbolicLink(atPath: folder + "/null", withDestinationPath: "/dev/null")
        try FileManager.default.createSymbolicLink(atPath: folder + "/stdout", withDestinationPath: "/dev/stdout")
        #expect(try OutputDestination.of(folder + "/stdout") == .descriptor(1))
        let output = try OutputFile(folder + "/null")
        try output.writeLine("discarded")
        try output.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/null") == "/dev/null")
        // A FIFO with a reader: the bytes arrive, the FIFO stays a FIFO.
        let fifo = folder + "/fifo"
        try #require(mkfifo(fifo, 0o600) == 0)
        let received = Received()
        let reader = Thread {
            let handle = FileHandle(forReadingAtPath: fifo)
            received.text = String(decoding: handle?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
            received.done.signal()
        }
        reader.start()
        let stream = try OutputFile(fifo)
        try stream.writeLine("through the pipe")
        try stream.commit()
        received.done.wait()
        #expect(received.text == "through the pipe\n")
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }

    final class Received: @unchecked Sendable {
        var text = ""
        let done = DispatchSemaphore(value: 0)
    }

    @Test("a write to a full device is an error naming the path and the reason (74), not a trap")
    func fullDevice() throws {
        let output = try OutputFile("/dev/full")
        #expect {
            for _ in 0..<100 { try output.writeLine(String(repeating: "x", count: 4096)) }
            try output.commit()
        } throws: { error in
            guard let failure = error as? OutputError else { return false }
            return failure.exitStatus == 74 && failure.description.contains("/dev/full") && failure.description.contains("No space left")
        }
    }
}
