import JSONParsing
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

    /// A hang guard, not a timing assertion: the quadratic parser needs about 5 × 10^11 byte copies
    /// for this input (tens of minutes), the linear one a second or so in a debug build, a few
    /// under a sanitizer on a busy machine, so a minute is never reached by noise.
    @Test("a million escapes parse in linear time, each decoded", .timeLimit(.minutes(1)))
    func manyEscapes() throws {
        let count = 1_000_000
        var text = Array("{\"Value\": \"".utf8)
        text.reserveCapacity(text.count + 2 * count + 2)
        for _ in 0..<count { text += [UInt8(ascii: "\\"), UInt8(ascii: "n")] }
        text += Array("\"}".utf8)
        let value = try JSONParser.parse(text)
        let decoded = try #require(value["Value"]?.string)
        #expect(decoded.utf8.count == count && decoded.utf8.allSatisfy { $0 == 0x0A })
    }

    @Test("\\u escapes take exactly four hex digits; a sign or a short escape is malformed")
    func unicodeEscapes() throws {
        #expect(try Self.parse(#""\u00E9\u00e9""#) == .string("éé"))
        for bad in [#""\u+0e9""#, #""\u-0e9""#, #""\u0e9""#, #""\u 0e9""#] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try Self.parse(bad) }
        }
    }

    @Test("a key path is located at its value's line and column, for diagnostics")
    func positions() {
        let text = Array("{\n  \"A\": [\n    {\"B\": 1},\n    {\"B\": [7, 8]}\n  ]\n}".utf8)
        #expect(JSONParser.position(of: "A[1].B[1]", in: text)! == (4, 15))
        #expect(JSONParser.position(of: "A[0]", in: text)! == (3, 5))
        #expect(JSONParser.position(of: "A[1].C", in: text)! == (4, 5), "a key that is not there: its object")
        #expect(JSONParser.position(of: "", in: text)! == (1, 1))
    }
}
