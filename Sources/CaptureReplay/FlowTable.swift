import PathCore
/// A key of the per-packet tables: fixed-size, compared word by word, hashed by a fast mix.
///
/// `Hashable` with `Hasher` (SipHash) costs tens of nanoseconds per frame; these keys are hashed
/// on every frame of a replay, so they bring their own multiply-xor hash (not DoS-resistant, which
/// does not matter for a capture read offline: the worst case is a slower replay).
package protocol FlowTableKey: Equatable {
    /// A well-mixed 64-bit hash of the key.
    var mixedHash: UInt64 { get }
}

/// Mixes two 64-bit words into one: the folded 128-bit product of the words xored with two
/// odd constants (the wyhash step).
@inline(__always)
package func mixHash(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = (a ^ 0xA076_1D64_78BD_642F).multipliedFullWidth(by: b ^ 0xE703_7ED1_A0B4_28DB)
    return product.high ^ product.low
}

/// The slots of a ``FlowTable``: open addressing with linear probing, and beside the entries one
/// control byte per slot, 0 for a free slot, else the top seven bits of the key's hash with the
/// high bit set (as SwissTable's). A probe reads control bytes (64 KiB for 65,536 slots, which
/// stay cached) and touches an entry only when its fingerprint matches, so a key that is absent,
/// the common case when a connection starts, costs no entry's cache line.
///
/// Plain storage behind pointers: whoever holds it (``FlowTable``, ``GenerationalFlowTable``)
/// keeps it behind a `let` pointer, so no access pays a dynamic exclusivity check or a retain.
struct FlowSlots<Key: FlowTableKey, Value> {
    struct Entry {
        var key: Key
        var value: Value

        init(key: Key, value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// Occupied slots hold an initialized entry.
    var entries: UnsafeMutablePointer<Entry>
    var control: UnsafeMutablePointer<UInt8>
    /// A power of two.
    var capacity: Int
    var count: Int

    init(capacity: Int) {
        entries = .allocate(capacity: capacity)
        control = .allocate(capacity: capacity)
        control.initialize(repeating: 0, count: capacity)
        self.capacity = capacity
        count = 0
    }

    /// The first slot to probe for a hash, and the control byte of an occupied slot with it.
    @inline(__always)
    func start(_ hash: UInt64) -> (slot: Int, fingerprint: UInt8) {
        (Int(truncatingIfNeeded: hash) & (capacity &- 1), UInt8(truncatingIfNeeded: hash >> 57) | 0x80)
    }

    /// The slot holding `key`, if any.
    func find(_ key: Key) -> Int? {
        let mask = capacity &- 1
        var (slot, fingerprint) = start(key.mixedHash)
        while true {
            let byte = control[slot]
            if byte == 0 { return nil }
            if byte == fingerprint, entries[slot].key == key { return slot }
            slot = (slot &+ 1) & mask
        }
    }

    /// Sets the value of `key`, emptying the slots first when they hold `limit` entries; returns the slot.
    mutating func insert(_ key: Key, _ value: Value, limit: Int) -> Int {
        let hash = key.mixedHash
        var (slot, fingerprint) = start(hash)
        while true {
            let byte = control[slot]
            if byte == 0 { break }
            if byte == fingerprint, entries[slot].key == key {
                entries[slot].value = value
                return slot
            }
            slot = (slot &+ 1) & (capacity &- 1)
        }
        if count >= limit {
            removeAll()
        } else if (count + 1) * 2 <= capacity {
            return add(key, value, slot: slot, fingerprint: fingerprint)
        } else {
            grow()
        }
        return add(key, value, slot: freeSlot(hash), fingerprint: fingerprint)
    }

    /// Fills a free slot.
    @inline(__always)
    mutating func add(_ key: Key, _ value: Value, slot: Int, fingerprint: UInt8) -> Int {
        (entries + slot).initialize(to: Entry(key: key, value: value))
        control[slot] = fingerprint
        count += 1
        return slot
    }

    /// The first free slot of a hash's probe sequence.
    func freeSlot(_ hash: UInt64) -> Int {
        let mask = capacity &- 1
        var slot = start(hash).slot
        while control[slot] != 0 { slot = (slot &+ 1) & mask }
        return slot
    }

    /// Forgets every entry; the slots stay allocated.
    mutating func removeAll() {
        if !_isPOD(Entry.self) {
            for slot in 0..<capacity where control[slot] != 0 { (entries + slot).deinitialize(count: 1) }
        }
        control.update(repeating: 0, count: capacity)
        count = 0
    }

    /// Doubles the slots, moving every entry.
    mutating func grow() {
        let old = self
        var new = FlowSlots(capacity: old.capacity * 2)
        for slot in 0..<old.capacity where old.control[slot] != 0 {
            let hash = old.entries[slot].key.mixedHash
            let target = new.freeSlot(hash)
            (new.entries + target).moveInitialize(from: old.entries + slot, count: 1)
            new.control[target] = old.control[slot]
        }
        new.count = old.count
        old.entries.deallocate()
        old.control.deallocate()
        self = new
    }

    /// Deinitializes every entry and gives the memory back.
    mutating func free() {
        removeAll()
        entries.deallocate()
        control.deallocate()
    }
}

/// A hash table for the tables a replay consults on every frame (connections, fragments,
/// conversations): open addressing over ``FlowSlots``, nothing allocated per lookup or insert.
///
/// Memory stays flat: the table holds at most `limit` entries; inserting past it empties the
/// table first (the owner decides what forgetting means: a later packet is classified anew).
package final class FlowTable<Key: FlowTableKey, Value> {
    let slots: UnsafeMutablePointer<FlowSlots<Key, Value>>
    /// Entries held at most.
    package let limit: Int

    package init(limit: Int) {
        self.limit = max(1, limit)
        slots = .allocate(capacity: 1)
        slots.initialize(to: FlowSlots(capacity: 64))
    }

    deinit {
        slots.pointee.free()
        slots.deallocate()
    }

    /// Entries held.
    package var count: Int { slots.pointee.count }

    /// The slot holding `key`, if any.
    package func find(_ key: Key) -> Int? { slots.pointee.find(key) }

    /// The value in a slot `find` returned.
    package subscript(slot slot: Int) -> Value {
        get { slots.pointee.entries[slot].value }
        _modify { yield &slots.pointee.entries[slot].value }
    }

    /// The value for `key`, if any.
    package subscript(key: Key) -> Value? {
        find(key).map { slots.pointee.entries[$0].value }
    }

    /// Sets the value of `key`, emptying the table first when it is full; returns the slot.
    @discardableResult
    package func insert(_ key: Key, _ value: Value) -> Int { slots.pointee.insert(key, value, limit: limit) }

    /// Forgets every entry (the slots stay allocated).
    package func removeAll() { slots.pointee.removeAll() }
}
