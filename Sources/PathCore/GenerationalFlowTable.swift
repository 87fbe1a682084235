/// A ``FlowTable`` in two generations, for state that must stay bounded without forgetting what is
/// in use: entries go into the current generation; when it holds `generationLimit` entries, the
/// previous generation is emptied and the two swap. A key found only in the previous generation is
/// copied into the current one, so an entry is forgotten only after a whole generation of other
/// inserts without being looked up.
public final class GenerationalFlowTable<Key: FlowTableKey, Value> {
    @usableFromInline let first: FlowTable<Key, Value>
    @usableFromInline let second: FlowTable<Key, Value>
    /// Whether `second` is the current generation (behind a pointer: no exclusivity check per frame).
    @usableFromInline let secondIsCurrent: UnsafeMutablePointer<Bool>
    /// Entries per generation at most.
    public let generationLimit: Int

    public init(generationLimit: Int) {
        self.generationLimit = max(1, generationLimit)
        first = FlowTable(limit: self.generationLimit)
        second = FlowTable(limit: self.generationLimit)
        secondIsCurrent = .allocate(capacity: 1)
        secondIsCurrent.initialize(to: false)
    }

    deinit { secondIsCurrent.deallocate() }

    @inlinable var current: FlowTable<Key, Value> { secondIsCurrent.pointee ? second : first }
    @inlinable var previous: FlowTable<Key, Value> { secondIsCurrent.pointee ? first : second }

    /// The value of `key`, from either generation (a hit in the previous one is kept).
    @inlinable
    public subscript(key: Key) -> Value? {
        let now = current
        if let slot = now.find(key) { return now[slot: slot] }
        let old = previous
        guard let slot = old.find(key) else { return nil }
        let value = old[slot: slot]
        insert(key, value)
        return value
    }

    /// Sets the value of `key` in the current generation, starting a new one when it is full.
    @inlinable
    public func insert(_ key: Key, _ value: Value) {
        if current.count >= generationLimit {
            previous.removeAll()
            secondIsCurrent.pointee.toggle()
        }
        current.insert(key, value)
    }
}
