/// A record read from a flow log file: where it is, and what it holds.
public struct FlowLogEntry: Sendable, Hashable {
    /// The record's 1-based line in the (decompressed) file.
    public var line: Int
    /// The record's 1-based position among the file's records (a header line is not a record; a
    /// malformed record keeps its position, so positions follow the file).
    public var position: Int
    public var record: FlowLogRecord
}

/// A line of a flow log file that is not a record: its line, and why.
public struct FlowLogProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var error: FlowLogLineError
    public var description: String { "line \(line): \(error)" }
}

/// The records of one flow log file, in every delivery style AWS writes:
/// - S3: the first line is the header of field names (`version account-id …`), the format;
/// - CloudWatch Logs, one record per line (`aws logs filter-log-events … --output text`, the
///   console's export), in the format the caller gives (the default version-2 format when none);
/// - CloudWatch Logs as JSON lines, one object per line with the record in `message`.
/// Blank lines are skipped; a malformed line becomes a ``FlowLogProblem`` and the rest is read.
public struct FlowLogText: Sendable {
    /// The format the records were read with.
    public var format: FlowLogFormat
    /// Whether the format came from the file's header line.
    public var formatFromHeader: Bool
    public var entries: [FlowLogEntry] = []
    public var problems: [FlowLogProblem] = []

    /// Reads `text` (a whole file, decompressed). `format` is used when the file has no header
    /// line; a header line gives the format of its own file.
    public init(_ text: String, format given: FlowLogFormat? = nil) {
        format = given ?? .default
        formatFromHeader = false
        var lineNumber = 0
        var position = 0
        // Split on the byte: as Characters, "\r\n" is one grapheme and never equals "\n".
        for bytes in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(bytes)
            if line.utf8.last == 0x0D { line = Substring(line.utf8.dropLast()) }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if position == 0 && !formatFromHeader && FlowLogFormat.isHeader(line) {
                do {
                    format = try FlowLogFormat(parsing: line)
                    formatFromHeader = true
                } catch {
                    problems.append(FlowLogProblem(line: lineNumber, error: FlowLogLineError(message: "header: \(error)")))
                }
                continue
            }
            position += 1
            var recordText = line
            if line.first == "{" {
                switch JSONMessage.extract(line) {
                case .success(let message): recordText = Substring(message)
                case .failure(let error):
                    problems.append(FlowLogProblem(line: lineNumber, error: error))
                    continue
                }
            }
            switch format.parse(recordText) {
            case .success(let record): entries.append(FlowLogEntry(line: lineNumber, position: position, record: record))
            case .failure(var error):
                if error.field == nil && !formatFromHeader && given == nil {
                    error.message += "; if the flow log has a custom format, give it with --log-format"
                }
                problems.append(FlowLogProblem(line: lineNumber, error: error))
            }
        }
    }
}

/// The `message` of a CloudWatch Logs JSON line (`{"timestamp":…,"message":"2 123… OK",…}`).
enum JSONMessage {
    static func extract(_ line: Substring) -> Result<String, FlowLogLineError> {
        var scanner = Scanner(bytes: Array(line.utf8))
        guard let message = scanner.message() else {
            return .failure(FlowLogLineError(message: scanner.failure ?? "a JSON line without a \"message\" string"))
        }
        return .success(message)
    }

    /// Just enough JSON to find one top-level string member; anything malformed on the way fails.
    struct Scanner {
        let bytes: [UInt8]
        var at = 0
        var failure: String?

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func message() -> String? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return fail("a JSON line must be an object") }
            var found: String?
            skipSpace()
            if take(UInt8(ascii: "}")) { return nil }
            while true {
                skipSpace()
                guard let key = string() else { return fail("expected a member name at byte \(at + 1)") }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return fail("expected ':' at byte \(at + 1)") }
                skipSpace()
                if key == "message", peek == UInt8(ascii: "\"") {
                    found = string()
                    if found == nil { return nil }
                } else if !skipValue() {
                    return fail("malformed JSON value at byte \(at + 1)")
                }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "}")) else { return fail("expected ',' or '}' at byte \(at + 1)") }
                return found
            }
        }

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            at += 1
            return true
        }

        mutating func skipSpace() { while let b = peek, b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { at += 1 } }

        mutating func fail(_ message: String) -> String? {
            failure = failure ?? message
            return nil
        }

        /// A JSON string, unescaped (RFC 8259: `\" \\ \/ \b \f \n \r \t \uXXXX`, with surrogate pairs).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var scalars = String.UnicodeScalarView()
            var utf8: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll()
            }
            while let b = peek {
                at += 1
                switch b {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    guard let e = peek else { return fail("a string ends inside an escape") }
                    at += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(e)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var code = hex4() else { return fail("a bad \\u escape at byte \(at)") }
                        if (0xD800..<0xDC00).contains(code), take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(),
                            (0xDC00..<0xE000).contains(low)
                        {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { return fail("a bad \\u escape at byte \(at)") }
                        flush()
                        scalars.append(scalar)
                    default: return fail("a bad escape at byte \(at)")
                    }
                case 0..<0x20: return fail("a control character inside a string at byte \(at)")
                default: utf8.append(b)
                }
            }
            return fail("a string is not closed")
        }

        mutating func hex4() -> UInt32? {
            guard at + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else { return nil }
            at += 4
            return value
        }

        /// Skips a value of any kind, nested objects and arrays too.
        mutating func skipValue() -> Bool {
            guard let b = peek else { return false }
            if b == UInt8(ascii: "\"") { return string() != nil }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                var depth = 0
                while let c = peek {
                    if c == UInt8(ascii: "\"") {
                        if string() == nil { return false }
                        continue
                    }
                    at += 1
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                    if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { return true }
                    }
                }
                return false
            }
            let start = at
            while let c = peek, c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != 0x20 { at += 1 }
            let word = String(decoding: bytes[start..<at], as: UTF8.self)
            return word == "true" || word == "false" || word == "null" || Double(word) != nil
        }
    }
}
