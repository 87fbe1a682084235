#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COutputCleanup

/// Diagnostics on standard error, written with `write(2)` and never failing: a closed or full
/// standard error loses the message, not the run.
package enum StandardError {
    /// Writes `text` (its control characters made visible, ``VisibleText``) and a line feed,
    /// ignoring any error.
    package static func writeLine(_ text: String) { write(VisibleText.escaped(text) + "\n") }

    /// Writes `text` as it is (a progress line's carriage return included), ignoring any error.
    package static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                #else
                let written = Darwin.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                #endif
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// Ends a run whose output failed: a reader that went away (`EPIPE`) ends it quietly by SIGPIPE,
/// as `cat` and `grep` end (the shell sees 141); any other failure is printed and exits with
/// the error's status (73 or 74). Temporary files are removed either way.
package func terminate(after error: OutputError) -> Never {
    if error.isBrokenPipe { pp_cleanup_die_of_signal(SIGPIPE) }
    StandardError.writeLine(error.description)
    exit(error.exitStatus)
}

/// Installs the removal of temporary files on exit and on SIGINT, SIGTERM and SIGHUP, and makes a
/// closed pipe and a file-size limit failed writes instead of signals (`COutputCleanup`).
package func installOutputCleanup() { pp_cleanup_install() }
