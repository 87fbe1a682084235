/// Minimal JSON text building without Foundation (the writing side of this module's parser): strings escaped per RFC 8259.
package enum JSONText {
    /// Whether `text` holds a quote, a backslash or a control character (one byte scan).
    package static func needsEscaping(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.contains(where: isEscaped) }
    }

    /// Whether a UTF-8 byte is escaped in a JSON string: a quote, a backslash or a control character.
    @inlinable @inline(__always)
    package static func isEscaped(_ byte: UInt8) -> Bool { byte == 0x22 || byte == 0x5C || byte < 0x20 }

    /// `text` as a JSON string literal.
    package static func string(_ text: String) -> String {
        // Most strings (addresses, IDs, codes) need no escape: one byte scan, one concatenation.
        if !needsEscaping(text) { return "\"" + text + "\"" }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON string, or `null`.
    package static func optional(_ text: String?) -> String { text.map(string) ?? "null" }
}
