/// A key of the per-packet tables: fixed-size, compared word by word, hashed by a fast mix.
///
/// `Hashable` with `Hasher` (SipHash) costs tens of nanoseconds per frame; these keys are hashed
/// on every frame of a replay, so they bring their own multiply-xor hash (not DoS-resistant, which
/// does not matter for a capture read offline: the worst case is a slower replay).
public protocol FlowTableKey: Equatable {
    /// A well-mixed 64-bit hash of the key.
    var mixedHash: UInt64 { get }
}

/// Mixes two 64-bit words into one: the folded 128-bit product of the words xored with two
/// odd constants (the wyhash step).
@inlinable @inline(__always)
public func mixHash(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = (a ^ 0xA076_1D64_78BD_642F).multipliedFullWidth(by: b ^ 0xE703_7ED1_A0B4_28DB)
    return product.high ^ product.low
}

/// An open-addressing hash table with linear probing, for the tables a replay consults on every
/// frame (connections, fragments, conversations). Nothing is allocated per lookup or insert, and
/// an entry's key, value and occupancy share one slot, so a probe touches one cache line.
///
/// Memory stays flat: the table holds at most `limit` entries; inserting past it empties the
/// table first (the owner decides what forgetting means: a later packet is classified anew).
///
/// The slots live behind one pointer held in a `let`, so reading and writing them costs no
/// dynamic exclusivity check (a class's `var` would cost one per access, a third of a replay's time).
public final class FlowTable<Key: FlowTableKey, Value> {
    @usableFromInline
    struct Entry {
        @usableFromInline var key: Key
        @usableFromInline var value: Value

        @usableFromInline
        init(key: Key, value: Value) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline
    struct Slots {
        /// Occupied slots hold an initialized entry.
        @usableFromInline var entries: UnsafeMutablePointer<Entry>
        @usableFromInline var used: UnsafeMutablePointer<Bool>
        /// A power of two.
        @usableFromInline var capacity: Int
        @usableFromInline var count: Int

        @usableFromInline
        init(capacity: Int) {
            entries = .allocate(capacity: capacity)
            used = .allocate(capacity: capacity)
            used.initialize(repeating: false, count: capacity)
            self.capacity = capacity
            count = 0
        }

        /// Deinitializes every entry; with `free`, gives the memory back too.
        @usableFromInline
        func clear(free: Bool) {
            if _isPOD(Entry.self) {
                // Plain data needs no deinitialization: forget the occupancy only.
                if !free { used.update(repeating: false, count: capacity) }
            } else {
                for slot in 0..<capacity where used[slot] {
                    (entries + slot).deinitialize(count: 1)
                    used[slot] = false
                }
            }
            if free {
                entries.deallocate()
                used.deallocate()
            }
        }

        /// The first free slot of `key`'s probe sequence.
        @inlinable
        func freeSlot(_ key: Key) -> Int {
            let mask = capacity &- 1
            var slot = Int(truncatingIfNeeded: key.mixedHash) & mask
            while used[slot] { slot = (slot &+ 1) & mask }
            return slot
        }
    }

    @usableFromInline let slots: UnsafeMutablePointer<Slots>
    /// Entries held at most.
    public let limit: Int

    public init(limit: Int) {
        self.limit = max(1, limit)
        slots = .allocate(capacity: 1)
        slots.initialize(to: Slots(capacity: 64))
    }

    deinit {
        slots.pointee.clear(free: true)
        slots.deallocate()
    }

    /// Entries held.
    @inlinable
    public var count: Int { slots.pointee.count }

    /// The slot holding `key`, if any.
    @inlinable
    public func find(_ key: Key) -> Int? {
        let table = slots.pointee
        let mask = table.capacity &- 1
        var slot = Int(truncatingIfNeeded: key.mixedHash) & mask
        while table.used[slot] {
            if table.entries[slot].key == key { return slot }
            slot = (slot &+ 1) & mask
        }
        return nil
    }

    /// The value in a slot `find` returned.
    @inlinable
    public subscript(slot slot: Int) -> Value {
        get { slots.pointee.entries[slot].value }
        _modify { yield &slots.pointee.entries[slot].value }
    }

    /// The value for `key`, if any.
    @inlinable
    public subscript(key: Key) -> Value? {
        find(key).map { slots.pointee.entries[$0].value }
    }

    /// Sets the value of `key`, emptying the table first when it is full; returns the slot.
    @inlinable @discardableResult
    public func insert(_ key: Key, _ value: Value) -> Int {
        if let slot = find(key) {
            slots.pointee.entries[slot].value = value
            return slot
        }
        if count >= limit { removeAll() }
        if (count + 1) * 2 > slots.pointee.capacity { grow() }
        let slot = slots.pointee.freeSlot(key)
        (slots.pointee.entries + slot).initialize(to: Entry(key: key, value: value))
        slots.pointee.used[slot] = true
        slots.pointee.count += 1
        return slot
    }

    /// Forgets every entry (the slots stay allocated).
    @inlinable
    public func removeAll() {
        slots.pointee.clear(free: false)
        slots.pointee.count = 0
    }

    /// Doubles the slots, moving every entry.
    @usableFromInline
    func grow() {
        let old = slots.pointee
        var new = Slots(capacity: old.capacity * 2)
        for slot in 0..<old.capacity where old.used[slot] {
            let target = new.freeSlot(old.entries[slot].key)
            (new.entries + target).moveInitialize(from: old.entries + slot, count: 1)
            new.used[target] = true
        }
        new.count = old.count
        old.entries.deallocate()
        old.used.deallocate()
        slots.pointee = new
    }
}
