import CaptureReplay
import PathCore

/// One output line built as UTF-8 bytes and turned into a `String` once: per-frame lines are
/// built from a dozen pieces, and appending each to a `String` cost more than the classification.
struct ByteLine {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// A line appended to `bytes` (which keeps what it holds) with its line feed: `build` gets
    /// the buffer itself, so writing a line into an output buffer allocates nothing.
    static func appendLine(to bytes: inout [UInt8], _ build: (inout ByteLine) -> Void) {
        var line = ByteLine(capacity: 0)
        swap(&line.bytes, &bytes)
        build(&line)
        line.bytes.append(0x0A)
        swap(&line.bytes, &bytes)
    }

    /// A line built by `build`, as a `String` (no line feed).
    static func text(_ build: (inout ByteLine) -> Void) -> String {
        var line = ByteLine(capacity: 160)
        build(&line)
        return line.string
    }

    mutating func add(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func add(_ text: StaticString) { text.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    /// An unsigned or signed integer in decimal.
    @inline(__always)
    mutating func add<T: BinaryInteger>(decimal value: T) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        add(digits: UInt64(value.magnitude))
    }

    /// The decimal digits of `value`, at least `width` of them (zeros in front), made from the
    /// last in a buffer on the stack and appended at once: nothing allocated, nothing reversed.
    mutating func add(digits value: UInt64, width: Int = 1) {
        if value < 10 && width <= 1 { return bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)) }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &scratch) { raw in
            let digits = raw.bindMemory(to: UInt8.self)
            var at = digits.count
            var rest = value
            repeat {
                at -= 1
                digits[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0 || digits.count - at < min(width, digits.count)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[at...]))
        }
    }

    /// A capture timestamp as `seconds.nanoseconds`, nine digits after the point.
    mutating func add(_ time: CaptureTime) {
        add(decimal: time.seconds)
        bytes.append(UInt8(ascii: "."))
        add(digits: UInt64(time.nanoseconds % 1_000_000_000), width: 9)  // a field past a second keeps its last nine digits
    }

    /// Pads what was written since `start` with spaces on the left to `width` bytes.
    mutating func padLeft(from start: Int, to width: Int) {
        let missing = width - (bytes.count - start)
        guard missing > 0 else { return }
        bytes.insert(contentsOf: repeatElement(UInt8(ascii: " "), count: missing), at: start)
    }

    /// Pads what was written since `start` with spaces on the right to `width` characters, when
    /// those bytes hold `extraBytes` more bytes than characters.
    mutating func padRight(from start: Int, to width: Int, extraBytes: Int) {
        let missing = width - (bytes.count - start - extraBytes)
        guard missing > 0 else { return }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: missing))
    }

    /// An address's text, written by the address itself (no `String` made).
    mutating func add(_ address: IPAddress) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: IPAddress.maximumTextLength) { buffer in
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<address.writeText(into: buffer)]))
        }
    }

    /// `field` as an RFC 4180 CSV field: quoted (quotes doubled) when it holds a comma, quote or
    /// line break, else as it is; scanned as bytes, without making a `String`.
    mutating func add(csvField field: String) {
        var field = field
        let plain = field.withUTF8 { utf8 in !utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } }
        guard !plain else { return field.withUTF8 { bytes.append(contentsOf: $0) } }
        bytes.append(0x22)
        for byte in field.utf8 {
            bytes.append(byte)
            if byte == 0x22 { bytes.append(0x22) }
        }
        bytes.append(0x22)
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

extension CaptureTime {
    /// `seconds.nanoseconds`, nine digits after the point, as the reporters print it.
    package var text: String { ByteLine.text { $0.add(self) } }
}
