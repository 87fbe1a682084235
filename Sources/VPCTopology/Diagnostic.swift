/// A problem found in an input file, with where it is.
///
/// Loaders collect every diagnostic before failing, so one run reports all mistakes.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The key path inside the document, e.g. `subnets.SN714.cidr`.
    public var path: String
    public var message: String

    public init(severity: Severity, file: String, line: Int?, column: Int?, path: String, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `file:line:column: error: path: message`, the form compilers and editors understand.
    public var description: String {
        var position = file
        if let line { position += ":\(line)" }
        if let column { position += ":\(column)" }
        let location = path.isEmpty ? "" : "\(path): "
        return "\(position): \(severity.rawValue): \(location)\(message)"
    }
}
