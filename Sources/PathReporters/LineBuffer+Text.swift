import CaptureReplay
import JSONParsing
import PathCore

/// Output lines built as UTF-8 bytes straight into a ``LineBuffer`` (a worker's output, or a
/// scratch buffer turned into a `String` once): per-frame lines are built from a dozen pieces, and
/// appending each to a `String` or an array cost more than the classification. The reporters take
/// the buffer as a plain (borrowed) parameter, so no write retains it.
extension LineBuffer {
    /// A line appended (after what the buffer holds), with its line feed.
    func appendLine(_ build: (LineBuffer) -> Void) {
        build(self)
        append(0x0A)
    }

    /// A line built by `build`, as a `String` (no line feed).
    static func text(_ build: (LineBuffer) -> Void) -> String {
        let line = LineBuffer(capacity: 256)
        build(line)
        return line.string
    }

    @inline(__always)
    func add(_ byte: UInt8) { append(byte) }

    @inline(__always)
    func add(_ text: String) { append(text) }

    @inline(__always)
    func add(_ text: StaticString) { append(text) }

    /// An unsigned or signed integer in decimal.
    @inline(__always)
    func add<T: BinaryInteger>(decimal value: T) {
        if value < 0 { append(UInt8(ascii: "-")) }
        add(digits: UInt64(value.magnitude))
    }

    /// The decimal digits of `value`, at least `width` of them (zeros in front), written in place
    /// from the last, two at a time from a table of the pairs 00–99.
    func add(digits value: UInt64, width: Int = 1) {
        if value < 10 && width <= 1 { return append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)) }
        var length = 1
        var scale: UInt64 = 10
        while length < 20 && value >= scale {
            length += 1
            scale = scale &* 10
        }
        length = max(length, min(width, 20))  // UInt64.max has 20 digits
        Self.digitPairs.withUTF8Buffer { pairs in
            write(upTo: length) { digits in
                var rest = value
                var at = length
                while at >= 2 {
                    let pair = Int(rest % 100) &* 2
                    rest /= 100
                    at -= 2
                    digits[at] = pairs[pair]
                    digits[at + 1] = pairs[pair + 1]
                }
                if at == 1 { digits[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
                return length
            }
        }
    }

    /// "00" to "99", each pair's text at twice its value.
    static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// A capture timestamp as `seconds.nanoseconds`, nine digits after the point.
    func add(_ time: CaptureTime) {
        add(decimal: time.seconds)
        append(UInt8(ascii: "."))
        add(digits: UInt64(time.nanoseconds % 1_000_000_000), width: 9)  // a field past a second keeps its last nine digits
    }

    /// Pads what was written since `start` with spaces on the left to `width` bytes.
    func padLeft(from start: Int, to width: Int) {
        let missing = width - (count - start)
        guard missing > 0 else { return }
        insert(UInt8(ascii: " "), count: missing, at: start)
    }

    /// Pads what was written since `start` with spaces on the right to `width` characters, when
    /// those bytes hold `extraBytes` more bytes than characters.
    func padRight(from start: Int, to width: Int, extraBytes: Int) {
        let missing = width - (count - start - extraBytes)
        guard missing > 0 else { return }
        insert(UInt8(ascii: " "), count: missing, at: count)
    }

    /// An address's text, written by the address itself (no `String` made).
    @inline(__always)
    func add(_ address: IPAddress) {
        write(upTo: IPAddress.maximumTextLength) { address.writeText(into: $0) }
    }

    /// `field` as an RFC 4180 CSV field: quoted (quotes doubled) when it holds a comma, quote or
    /// line break, else as it is; scanned as bytes, without making a `String`.
    func add(csvField field: String) {
        var field = field
        let plain = field.withUTF8 { utf8 in !utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } }
        guard !plain else { return field.withUTF8 { append(UnsafeRawBufferPointer($0)) } }
        append(0x22)
        for byte in field.utf8 {
            append(byte)
            if byte == 0x22 { append(0x22) }
        }
        append(0x22)
    }

    /// `text` as a JSON string literal (RFC 8259 escapes only where needed).
    func add(jsonString text: String) {
        var text = text
        text.withUTF8 { utf8 in
            if utf8.contains(where: JSONText.isEscaped) {
                append(JSONText.string(String(decoding: utf8, as: UTF8.self)))
            } else {
                append(0x22)
                append(UnsafeRawBufferPointer(utf8))
                append(0x22)
            }
        }
    }
}

extension CaptureTime {
    /// `seconds.nanoseconds`, nine digits after the point, as the reporters print it.
    package var text: String { LineBuffer.text { $0.add(self) } }
}
