/// Text in XML and HTML documents (the JUnit report, the HTML report).
enum Markup {
    /// Text as character data: `&`, `<`, `>` and quotes escaped; control characters (but tab, line
    /// feed and carriage return), which XML 1.0 forbids and a terminal would act on, written
    /// visibly as `\x1b`.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            case _ where scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A quoted attribute value.
    static func attribute(_ text: String) -> String { "\"" + escaped(text) + "\"" }
}
