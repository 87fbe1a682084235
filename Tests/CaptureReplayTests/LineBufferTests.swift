import CaptureReplay
import Testing

@Suite("LineBuffer")
struct LineBufferTests {
    @Test("appends of every kind grow the buffer past its capacity and keep every byte in order")
    func growth() {
        let buffer = LineBuffer(capacity: 16)
        var expected: [UInt8] = []
        for round in 0..<200 {
            buffer.append(UInt8(round & 0x7F))
            expected.append(UInt8(round & 0x7F))
            buffer.append("round \(round);")
            expected += Array("round \(round);".utf8)
            buffer.append("é→" as StaticString)
            expected += Array("é→".utf8)
            [UInt8](repeating: 0x41, count: round % 7).withUnsafeBytes { buffer.append($0) }
            expected += [UInt8](repeating: 0x41, count: round % 7)
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.withBytes { Array($0) } == expected)
        #expect(buffer.withBytes(3..<10) { Array($0) } == Array(expected[3..<10]))
    }

    @Test("write(upTo:) keeps only the bytes written; insert moves what follows; removeAll empties")
    func inPlace() {
        let buffer = LineBuffer(capacity: 16)
        buffer.append("ab")
        buffer.write(upTo: 40) { room in
            #expect(room.count == 40)
            room[0] = UInt8(ascii: "c")
            room[1] = UInt8(ascii: "d")
            return 2
        }
        #expect(buffer.string == "abcd")
        buffer.insert(UInt8(ascii: " "), count: 3, at: 1)
        #expect(buffer.string == "a   bcd")
        buffer.insert(UInt8(ascii: "."), count: 30, at: buffer.count)
        #expect(buffer.string == "a   bcd" + String(repeating: ".", count: 30))
        buffer.removeAll()
        #expect(buffer.count == 0 && buffer.string.isEmpty)
        buffer.append("again")
        #expect(buffer.string == "again")
    }
}
