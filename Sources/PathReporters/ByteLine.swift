/// One output line built as UTF-8 bytes and turned into a `String` once: per-frame lines are
/// built from a dozen pieces, and appending each to a `String` cost more than the classification.
struct ByteLine {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// A line appended to `bytes` (which keeps what it holds): `build` gets the buffer itself,
    /// so writing a line into an output buffer allocates nothing.
    static func append(to bytes: inout [UInt8], _ build: (inout ByteLine) -> Void) {
        var line = ByteLine(capacity: 0)
        swap(&line.bytes, &bytes)
        build(&line)
        swap(&line.bytes, &bytes)
    }

    mutating func add(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func add(_ text: StaticString) { text.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    /// An unsigned or signed integer in decimal.
    mutating func add<T: BinaryInteger>(decimal value: T) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(48 + Int(magnitude % 10)))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// `text` as a JSON string literal (RFC 8259 escapes only where needed).
    mutating func add(jsonString text: String) {
        if JSONText.needsEscaping(text) {
            add(JSONText.string(text))
        } else {
            bytes.append(0x22)
            add(text)
            bytes.append(0x22)
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
