import JSONParsing
import VPCTopology

/// Typed reads of record fields: a value of the wrong type or out of range is an error with the
/// field's key path (and, once located, its line and column), never a default. Absent fields are
/// absent: the caller decides whether that is allowed.
extension SnapshotBuilder {
    /// A field as read.
    enum Field<Value> {
        case absent
        case valid(Value)
        /// Present but wrong: an error was recorded.
        case invalid

        var value: Value? { if case .valid(let value) = self { return value } else { return nil } }
    }

    /// Records an error at `record`'s path (and `field` below it).
    mutating func fail(_ record: Record, _ message: String, field: String? = nil) {
        diagnostics.append(
            Diagnostic(severity: .error, file: record.file, line: nil, column: nil, path: field.map { "\(record.path).\($0)" } ?? record.path, message: message))
    }

    /// A JSON number that is a whole number in `range` (`field` is its key path below `record`;
    /// `expected` says what is wanted when the range alone does not).
    mutating func integer(
        _ value: JSONValue?, in range: ClosedRange<Int>, _ record: Record, field: String, expected: String? = nil
    ) -> Field<Int> {
        let wanted = expected ?? "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let value, value != .null else {
            if value == .null { fail(record, "expected \(wanted), found null", field: field) }
            return value == nil ? .absent : .invalid
        }
        guard case .number(let number) = value, number == number.rounded(), let whole = Int(exactly: number), range.contains(whole) else {
            fail(record, "expected \(wanted), found \(Self.describe(value))", field: field)
            return .invalid
        }
        return .valid(whole)
    }

    /// A JSON `true` or `false`; `default` when absent, and `default` with an error when of another type.
    mutating func flag(_ value: JSONValue?, default fallback: Bool, _ record: Record, field: String) -> Bool {
        guard let value else { return fallback }
        guard let flag = value.bool else {
            fail(record, "expected true or false, found \(Self.describe(value))", field: field)
            return fallback
        }
        return flag
    }

    /// A short rendering of a JSON value for messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "\(flag)"
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? "\(Int(number))" : "\(number)"
        case .string(let text): return "the text \"\(text.prefix(40))\""
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
