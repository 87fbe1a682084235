import EC2Snapshot
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test("values, escapes and numbers")
    func values() throws {
        let value = try Self.parse(#"{"a": [1, -2.5e1, true, false, null], "s": "q\"\\\/\n\u00e9\ud83d\ude00", "n": {}}"#)
        #expect(value["a"]?.array?.count == 5)
        #expect(value["a"]?.array?[0].int == 1)
        #expect(value["a"]?.array?[1] == .number(-25))
        #expect(value["s"]?.string == "q\"\\/\né😀")
        #expect(value["n"]?.object?.isEmpty == true)
        #expect(try Self.parse("\u{FEFF}[]") == .array([]))
    }

    @Test("malformed text is located by line and column", arguments: [
        ("{\"a\": }", 1, 7), ("[1,\n 2,\n]", 3, 1), ("{\"a\" 1}", 1, 6), ("\"open", 1, 6), ("[01]", 1, 3), ("", 1, 1),
        ("{} x", 1, 4), ("[\"\u{1}\"]", 1, 3), ("tru", 1, 1),
    ])
    func malformed(text: String, line: Int, column: Int) {
        #expect(throws: JSONSyntaxError.self) { try Self.parse(text) }
        do {
            _ = try Self.parse(text)
        } catch {
            #expect(error.line == line && error.column == column, "\(text.debugDescription): \(error)")
        }
    }

    @Test("nesting beyond the limit is refused, not a stack overflow")
    func depth() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try Self.parse(deep) }
    }

    @Test("numeric strings read as integers, as NACL protocols are written")
    func numericStrings() throws {
        #expect(JSONValue.string("6").int == 6)
        #expect(JSONValue.number(1.5).int == nil)
    }
}
