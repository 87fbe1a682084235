import Foundation
import Testing

/// Runs the built `packet-path` binary, as a user would.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, found from this file's path (Scenarios/ is outside every target).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The directory holding the built products: the one the test runner itself lives in (on
    /// Linux the runner is an executable there; `Bundle.allBundles`, the other way to ask,
    /// leaks inside Foundation and would fail the LeakSanitizer run).
    static let productsDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    static var binary: URL { productsDirectory.appendingPathComponent("packet-path") }

    /// Runs `packet-path ARGUMENTS` in the package root and captures everything.
    /// - Parameter input: a file of the package given as standard input.
    static func run(_ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let input { process.standardInput = try FileHandle(forReadingFrom: packageRoot.appendingPathComponent(input)) }
        return try capture(process)
    }

    /// Runs `process` in the package root and captures its status and both outputs.
    static func capture(_ process: Process) throws -> Result {
        process.currentDirectoryURL = packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs `script` with bash in the package root, `$PP` naming the binary: for redirections the
    /// tests need (a closed or full standard output, ignored SIGPIPE, `ulimit`) that a `Process`
    /// cannot set up.
    static func shell(_ script: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["PP"] = binary.path
        process.environment = environment
        return try capture(process)
    }

    /// Runs `script` as ``shell(_:)`` does, in a private mount namespace with a tmpfs of
    /// `options` (`size=8k`, `ro,size=64k`) mounted on `folder`; `nil` where this machine cannot
    /// (``canMountTmpfs``).
    static func inTmpfs(_ folder: String, options: String, _ script: String) throws -> Result? {
        guard canMountTmpfs else { return nil }
        return try shell("unshare -m bash -c 'mount -t tmpfs -o \(options) tmpfs \(folder) || exit 99\n\(script)'")
    }

    /// A fresh folder for one test, removed first if a previous run left it.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Whether this machine lets a test mount its own tmpfs in a private mount namespace
    /// (root, `unshare -m`): the real full-disk and read-only cases need it.
    static let canMountTmpfs: Bool = {
        (try? shell("unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs /mnt' 2>/dev/null").status) == 0
    }()
}
