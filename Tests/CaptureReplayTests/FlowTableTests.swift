@testable import CaptureReplay
import PathCore
import Testing
import _PacketPathTestSupport

@Suite("Flow table and packet keys")
struct FlowTableTests {
    /// A key whose hash is its low bits only: every key collides with many others, so probing,
    /// wrap-around and growth are exercised.
    struct CollidingKey: FlowTableKey, Hashable {
        var value: UInt64
        var mixedHash: UInt64 { value & 7 }
    }

    @Test("random inserts, updates and lookups agree with a Dictionary, through growth and collisions")
    func againstDictionary() {
        var generator = SeededGenerator(state: 5)
        for round in 0..<20 {
            let table = FlowTable<CollidingKey, Int>(limit: 1 << 20)
            var reference: [CollidingKey: Int] = [:]
            for step in 0..<(200 + round * 50) {
                let key = CollidingKey(value: UInt64.random(in: 0..<300, using: &generator))
                if Bool.random(using: &generator) {
                    table.insert(key, step)
                    reference[key] = step
                }
                #expect(table[key] == reference[key])
            }
            #expect(table.count == reference.count)
            // Every key of the range, present or not: nothing extra, nothing missing.
            for value in UInt64(0)..<300 { #expect(table[CollidingKey(value: value)] == reference[CollidingKey(value: value)]) }
        }
    }

    @Test("a slot's value changes in place; past the limit the table starts again")
    func slotsAndLimit() {
        let table = FlowTable<CollidingKey, Int>(limit: 3)
        for value in 0..<3 { table.insert(CollidingKey(value: UInt64(value)), value) }
        let slot = table.find(CollidingKey(value: 1))!
        table[slot: slot] += 10
        #expect(table[CollidingKey(value: 1)] == 11)
        table.insert(CollidingKey(value: 9), 9)  // the fourth entry: memory stays flat
        #expect(table.count == 1)
        #expect(table[CollidingKey(value: 0)] == nil && table[CollidingKey(value: 9)] == 9)
        table.removeAll()
        #expect(table.count == 0 && table[CollidingKey(value: 9)] == nil)
    }

    @Test("two generations: entries in use survive any number of turnovers; one unseen for a generation goes")
    func generations() {
        let table = GenerationalFlowTable<CollidingKey, Int>(generationLimit: 10)
        let kept = CollidingKey(value: 1_000)
        table.insert(kept, 7)
        for value in 0..<100 {
            table.insert(CollidingKey(value: UInt64(value)), value)
            #expect(table[kept] == 7)  // looked up every insert: always found
        }
        let idle = CollidingKey(value: 2_000)
        table.insert(idle, 9)
        for value in 100..<125 { table.insert(CollidingKey(value: UInt64(value)), value) }
        #expect(table[idle] == nil)  // 25 newer entries, more than a generation, while unseen
        #expect(table[CollidingKey(value: 124)] == 124)
    }

    @Test("entries that own memory are released: strings survive growth and clearing")
    func ownedValues() {
        let table = FlowTable<CollidingKey, String>(limit: 1000)
        for value in 0..<500 { table.insert(CollidingKey(value: UInt64(value)), "value \(value)") }
        #expect(table[CollidingKey(value: 499)] == "value 499")
        #expect(table[CollidingKey(value: 0)] == "value 0")
    }

    @Test("packet keys: families never meet, swapping is an involution, addresses come back")
    func packetKeys() {
        let a = IPAddress("10.0.7.10")!, b = IPAddress("52.216.1.2")!
        let a6 = IPAddress("::a00:70a")!, b6 = IPAddress("::34d8:102")!  // the same integers as IPv6
        let key = PacketKey(a, b, tag: 6)
        #expect(key != PacketKey(a6, b6, tag: 6))
        #expect(key.addresses == (a, b))
        #expect(PacketKey(a6, b6, tag: 6).addresses == (a6, b6))
        let swapped = key.swapped(tag: 7)
        #expect(swapped.addresses == (b, a) && swapped.tag & 0xFF == 7)
        #expect(swapped.swapped(tag: 6) == key)
        let mixed = PacketKey(a, b6, tag: 1)
        #expect(mixed.swapped(tag: 1).addresses == (b6, a))
        #expect(key.mixedHash != PacketKey(b, a, tag: 6).mixedHash)
    }
}
