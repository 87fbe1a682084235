import JSONParsing

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
/// - CloudWatch Logs as JSON lines, one object per line with the record in `message`;
/// - CloudWatch Logs as one document, `aws logs get-log-events` or `filter-log-events` output:
///   an `events` list, each record in an event's `message`.
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
        self.init(utf8: Array(text.utf8), format: given)
    }

    /// Reads a whole file's bytes (decompressed), a line at a time in place.
    public init(utf8 bytes: [UInt8], format given: FlowLogFormat? = nil) {
        format = given ?? .default
        formatFromHeader = false
        if let events = Self.cloudWatchEvents(bytes) {
            readEvents(events, bytes: bytes, given: given)
            return
        }
        bytes.withUnsafeBufferPointer { read($0, given: given) }
    }

    /// The events of a CloudWatch Logs document (`aws logs get-log-events` or `filter-log-events`
    /// output: one JSON object with an `events` list, each event's record in `message`); `nil` for
    /// any other text. Only text that starts with `{` is parsed whole, and JSON lines fail at their
    /// second line.
    static func cloudWatchEvents(_ bytes: [UInt8]) -> [JSONValue]? {
        guard bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{"),
            let document = try? JSONParser.parse(bytes)
        else { return nil }
        return document["events"]?.array
    }

    /// Reads the events of a CloudWatch Logs document: each event is a record, numbered by its
    /// position; a problem names the line where the event's message is.
    private mutating func readEvents(_ events: [JSONValue], bytes: [UInt8], given: FlowLogFormat?) {
        let lines = Self.messageLines(bytes)
        for (index, event) in events.enumerated() {
            // Where the event's message is: in one pass when each event has one, else found again.
            func line() -> Int {
                lines.count == events.count ? lines[index] : JSONParser.position(of: "events[\(index)].message", in: bytes)?.line ?? 1
            }
            guard let message = event["message"]?.string else {
                problems.append(FlowLogProblem(line: line(), error: FlowLogLineError(message: "event \(index + 1) has no \"message\" string")))
                continue
            }
            switch format.parse(message) {
            case .success(let record): entries.append(FlowLogEntry(line: line(), position: index + 1, record: record))
            case .failure(var error):
                if error.field == nil && given == nil {
                    error.message += "; if the flow log has a custom format, give it with --log-format"
                }
                problems.append(FlowLogProblem(line: line(), error: error))
            }
        }
    }

    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, given: FlowLogFormat?) {
        // One record per line: room for them all at once, not by doubling (a record is large).
        entries.reserveCapacity(bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + 1)
        var lineNumber = 0
        var position = 0
        var start = 0
        var recent = RecentText()
        while start <= bytes.count {
            // Lines end at a line feed; "\r\n" loses its carriage return.
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            defer { start = end + 1 }
            if end == bytes.count && start == end { break }  // after the last line feed
            lineNumber += 1
            var line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if position == 0 && !formatFromHeader && line.first.map({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) == true {
                let text = String(decoding: line, as: UTF8.self)
                if FlowLogFormat.isHeader(text) {
                    do {
                        format = try FlowLogFormat(parsing: text)
                        formatFromHeader = true
                    } catch {
                        problems.append(FlowLogProblem(line: lineNumber, error: FlowLogLineError(message: "header: \(error)")))
                    }
                    continue
                }
            }
            position += 1
            let parsed: Result<FlowLogRecord, FlowLogLineError>
            if line.first == UInt8(ascii: "{") {
                switch JSONMessage.extract(line) {
                case .success(let message): parsed = format.parse(message)
                case .failure(let error):
                    problems.append(FlowLogProblem(line: lineNumber, error: error))
                    continue
                }
            } else {
                parsed = format.parse(utf8: line, recent: &recent)
            }
            switch parsed {
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

extension FlowLogText {
    /// The line of every `"message":` member of a JSON text, in order: one pass over the bytes
    /// (a JSON string holds no raw line feed, so lines are counted outside strings).
    static func messageLines(_ bytes: [UInt8]) -> [Int] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), key = Array("message".utf8)
        var lines: [Int] = []
        var line = 1
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A {
                line += 1
            } else if byte == quote {
                let start = i + 1
                i += 1
                while i < bytes.count && bytes[i] != quote { i += bytes[i] == backslash ? 2 : 1 }
                if i < bytes.count && bytes[start..<i].elementsEqual(key) {
                    var next = i + 1
                    while next < bytes.count && (bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0D || bytes[next] == 0x0A) { next += 1 }
                    if next < bytes.count && bytes[next] == UInt8(ascii: ":") { lines.append(line) }
                }
            }
            i += 1
        }
        return lines
    }
}

/// The `message` of a CloudWatch Logs JSON line (`{"timestamp":…,"message":"2 123… OK",…}`).
enum JSONMessage {
    static func extract(_ line: UnsafeBufferPointer<UInt8>) -> Result<String, FlowLogLineError> {
        do {
            guard let message = try JSONParser.parse(Array(line))["message"]?.string else {
                return .failure(FlowLogLineError(message: "a JSON line without a \"message\" string"))
            }
            return .success(message)
        } catch {
            return .failure(FlowLogLineError(message: "a malformed JSON line: column \(error.column): \(error.message)"))
        }
    }
}
