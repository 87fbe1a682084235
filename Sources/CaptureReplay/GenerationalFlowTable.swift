import PathCore
/// A ``FlowTable`` in two generations, for state that must stay bounded without forgetting what is
/// in use: entries go into the current generation; when it holds `generationLimit` entries, the
/// previous generation is emptied and the two swap. A key found only in the previous generation is
/// copied into the current one, so an entry is forgotten only after a whole generation of other
/// inserts without being looked up.
package final class GenerationalFlowTable<Key: FlowTableKey, Value> {
    /// The current generation's slots, then the previous one's: swapping generations swaps the two
    /// values, so every access is a fixed pointer, with no branch and no retain.
    let generations: UnsafeMutablePointer<FlowSlots<Key, Value>>
    /// Entries per generation at most.
    package let generationLimit: Int

    package init(generationLimit: Int) {
        self.generationLimit = max(1, generationLimit)
        generations = .allocate(capacity: 2)
        (generations + 0).initialize(to: FlowSlots(capacity: 64))
        (generations + 1).initialize(to: FlowSlots(capacity: 64))
    }

    deinit {
        generations[0].free()
        generations[1].free()
        generations.deallocate()
    }

    /// The value of `key`, from either generation (a hit in the previous one is kept).
    package subscript(key: Key) -> Value? {
        if let slot = generations[0].find(key) { return generations[0].entries[slot].value }
        guard let slot = generations[1].find(key) else { return nil }
        let value = generations[1].entries[slot].value
        insert(key, value)
        return value
    }

    /// Sets the value of `key` in the current generation, starting a new one when it is full.
    package func insert(_ key: Key, _ value: Value) {
        if generations[0].count >= generationLimit {
            generations[1].removeAll()
            swap(&generations[0], &generations[1])
        }
        _ = generations[0].insert(key, value, limit: generationLimit)
    }
}
