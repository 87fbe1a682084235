#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output that could not be created or written, with the path and the system's reason.
package struct OutputError: Error, Sendable, CustomStringConvertible {
    package enum Operation: Sendable {
        /// Opening, creating or renaming into place: exit 73 (`EX_CANTCREAT`).
        case create
        /// Writing, flushing or closing: exit 74 (`EX_IOERR`).
        case write
    }

    package var path: String
    package var operation: Operation
    /// The `errno` value.
    package var code: Int32
    /// Said instead of `strerror(code)` when packet-path knows more.
    package var reason: String?

    package init(path: String, operation: Operation, code: Int32, reason: String? = nil) {
        self.path = path
        self.operation = operation
        self.code = code
        self.reason = reason
    }

    /// The reader went away (`EPIPE`): the run ends quietly, as filters do.
    package var isBrokenPipe: Bool { code == EPIPE }

    /// The sysexits status: 73 for an output that cannot be created, 74 for a failed write.
    package var exitStatus: Int32 { operation == .create ? 73 : 74 }

    package var description: String {
        let shown = path == "-" ? "standard output" : path
        let what = operation == .create ? "cannot create the output" : "cannot write the output"
        let why = reason ?? String(cString: strerror(code))
        return "\(shown): error: \(what): \(why)"
    }
}
