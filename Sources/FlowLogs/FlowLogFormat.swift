/// The fields of a flow log's records, in order: the default format (version 2), a custom
/// `LogFormat` as given to `aws ec2 create-flow-logs --log-format '${version} ${srcaddr} …'`, or
/// the header line S3 delivery writes first (`version srcaddr …`).
public struct FlowLogFormat: Sendable, Hashable, CustomStringConvertible {
    public let fields: [FlowLogField]

    public init(_ fields: [FlowLogField]) { self.fields = fields }

    /// The default format: every version-2 field, in the documented order.
    public static let `default` = FlowLogFormat(FlowLogField.allCases.filter { $0.version == 2 })

    /// A format from `${a} ${b} …` or from a header line `a b …`.
    /// - Throws: ``FlowLogFormatError`` naming the first word that is not a documented field, a
    ///   field listed twice, or an empty format.
    public init(parsing text: some StringProtocol) throws(FlowLogFormatError) {
        var fields: [FlowLogField] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var name = Substring(word)
            if name.hasPrefix("${") && name.hasSuffix("}") { name = name.dropFirst(2).dropLast() }
            guard let field = FlowLogField(rawValue: String(name)) else {
                throw FlowLogFormatError(message: "'\(word)' is not a flow log field (versions 2 to 8)")
            }
            guard !fields.contains(field) else { throw FlowLogFormatError(message: "'\(name)' is listed twice") }
            fields.append(field)
        }
        guard !fields.isEmpty else { throw FlowLogFormatError(message: "the format lists no fields") }
        self.init(fields)
    }

    /// Whether `line` is a header line of this kind: every word a field name.
    public static func isHeader(_ line: some StringProtocol) -> Bool {
        let words = line.split(separator: " ")
        return !words.isEmpty && words.allSatisfy { FlowLogField(rawValue: String($0)) != nil }
    }

    /// The record format version: that of the newest field listed (AWS: "the highest version
    /// among the specified fields").
    public var version: Int { fields.map(\.version).max() ?? 2 }

    /// The format as `${a} ${b} …`.
    public var description: String { fields.map { "${\($0.rawValue)}" }.joined(separator: " ") }

    /// Whether the format lists `field`.
    public func contains(_ field: FlowLogField) -> Bool { fields.contains(field) }
}

/// A log format that names no documented field, or names one twice.
public struct FlowLogFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}
