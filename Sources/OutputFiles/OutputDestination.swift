#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an output path is written, decided from what the path names when the output is opened
/// (docs/cli.md, "Output files"). Nothing that exists is ever deleted or replaced by anything but
/// a complete regular file.
package enum OutputDestination: Equatable, Sendable {
    /// An open descriptor, written straight through where it stands (its offset, its append mode):
    /// `-` is standard output; `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N`,
    /// or a link to one, name the descriptor the shell opened, never a file to replace.
    case descriptor(Int32)
    /// A path that does not exist or names a regular file (through symbolic links): written to a
    /// temporary file in `file`'s folder and renamed over `file` when complete. `file` is where
    /// the links lead, so a link is kept and what it points to is replaced.
    case replace(file: String)
    /// A character device (`/dev/null`, a terminal) or a FIFO: opened and written straight
    /// through, never replaced.
    case stream(path: String)

    /// Decides how `path` is written.
    /// - Throws: ``OutputError`` (`cannotCreate`) for a directory, a block device, a socket, or a
    ///   path whose folder cannot be reached.
    package static func of(_ path: String) throws(OutputError) -> OutputDestination {
        if path == "-" { return .descriptor(1) }
        if path.isEmpty { throw OutputError(path: path, operation: .create, code: ENOENT, reason: "an empty path") }
        if let descriptor = descriptor(named: path) { return .descriptor(descriptor) }
        var status = stat()
        if lstat(path, &status) != 0 {
            guard errno == ENOENT else { throw OutputError(path: path, operation: .create, code: errno) }
            return .replace(file: path)
        }
        var target = path
        if status.st_mode & S_IFMT == S_IFLNK {
            switch try resolveLinks(path) {
            case .descriptor(let descriptor): return .descriptor(descriptor)
            case .path(let resolved): target = resolved
            }
            if stat(target, &status) != 0 {
                guard errno == ENOENT else { throw OutputError(path: path, operation: .create, code: errno) }
                return .replace(file: target)  // a dangling link: the file it names is created, the link kept
            }
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .replace(file: target)
        case S_IFCHR, S_IFIFO: return .stream(path: path)
        case S_IFDIR: throw OutputError(path: path, operation: .create, code: EISDIR, reason: "is a directory; name a file inside it")
        case S_IFBLK: throw OutputError(path: path, operation: .create, code: EINVAL, reason: "is a block device; packet-path does not write to disks")
        case S_IFSOCK: throw OutputError(path: path, operation: .create, code: EINVAL, reason: "is a socket")
        default: throw OutputError(path: path, operation: .create, code: EINVAL, reason: "is not a regular file, a device or a FIFO")
        }
    }

    /// The descriptor a path names without being a file of its own: `/dev/stdout` (1),
    /// `/dev/stderr` (2), `/dev/stdin` (0), `/dev/fd/N`, `/proc/self/fd/N`.
    static func descriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// Where a chain of symbolic links ends.
    enum Resolved {
        case path(String)
        case descriptor(Int32)
    }

    /// The path `path`'s symbolic links lead to, followed one at a time (so a dangling last link
    /// still gives the path it names, and a link to `/dev/stdout` gives the descriptor), at most
    /// 40 deep as the kernel allows.
    static func resolveLinks(_ path: String) throws(OutputError) -> Resolved {
        var current = path
        for _ in 0..<40 {
            if let descriptor = descriptor(named: current) { return .descriptor(descriptor) }
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return .path(current) }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw OutputError(path: path, operation: .create, code: errno) }
            let link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : folder(of: current) + "/" + link
        }
        throw OutputError(path: path, operation: .create, code: ELOOP)
    }

    /// The folder holding `path` (`.` for a bare name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
