/// Text meant for a terminal, with its control characters made visible: a Name tag or flow name
/// someone else wrote must not move the cursor, recolour the screen or retitle the window (ESC
/// sequences, terminal injection). C0 controls but line feed and tab, DEL, and the C1 controls
/// (U+0080–U+009F: 0x9B is a one-byte CSI to some terminals) become `\x1b`, `\x7f`, `\u009b`.
/// JSON, CSV, XML and HTML outputs escape in their own ways and do not pass through here.
package enum VisibleText {
    /// Whether `byte` starts something to escape (a C1 control is `C2 80`–`C2 9F` in UTF-8).
    @inline(__always)
    static func isSuspect(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F || byte == 0xC2 }

    /// `bytes` with control characters escaped; `nil` when there are none (the common case,
    /// found in one scan).
    package static func escaped(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard var index = bytes.firstIndex(where: isSuspect) else { return nil }
        var out = Array(bytes[..<index])
        out.reserveCapacity(bytes.count + 16)
        let hex = Array("0123456789abcdef".utf8)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                let c1 = bytes[index + 1]
                out += Array("\\u00".utf8) + [hex[Int(c1 >> 4)], hex[Int(c1 & 0xF)]]
                index += 2
                continue
            }
            if isSuspect(byte) && byte != 0xC2 {
                out += [0x5C, 0x78, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]  // \xNN
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    /// `text` with control characters escaped.
    package static func escaped(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in escaped(bytes).map { String(decoding: $0, as: UTF8.self) } } ?? text
    }
}
