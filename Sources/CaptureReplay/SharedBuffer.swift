/// A fixed number of elements in memory allocated once and shared by reference: the one place
/// the replay's batches and counters hold unsafe pointers. An access costs a pointer read — no
/// exclusivity check, no copy-on-write, no retain of an array buffer — and indices are checked in
/// debug builds only.
///
/// Sendable by contract, which its users keep: threads share one only where each touches indices
/// no other touches meanwhile (a worker's own slots and its own frames of a batch), and a batch
/// passes between the reader and the workers through the pipeline's semaphores.
///
/// Made with `repeating:count:`, every element is initialized and the buffer frees them. Made with
/// `uninitializedCapacity:`, slots are initialized with ``initialize(_:to:)`` and freed with
/// ``deinitialize(first:)`` by the owner, which knows how many it filled (a batch's frames: built
/// in place and freed together, never copied or assigned over).
final class SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    /// Slots that can be read.
    let capacity: Int
    /// Elements the buffer initialized itself and frees.
    let count: Int

    init(repeating value: Element, count: Int) {
        precondition(count >= 0)
        base = .allocate(capacity: Swift.max(count, 1))
        base.initialize(repeating: value, count: count)
        self.count = count
        capacity = count
    }

    /// `count` elements, each made by `make` from its index (distinct objects, where
    /// `repeating:count:` would share one).
    init(count: Int, _ make: (Int) -> Element) {
        precondition(count >= 0)
        base = .allocate(capacity: Swift.max(count, 1))
        for index in 0..<count { (base + index).initialize(to: make(index)) }
        self.count = count
        capacity = count
    }

    init(uninitializedCapacity capacity: Int) {
        precondition(capacity >= 0)
        base = .allocate(capacity: Swift.max(capacity, 1))
        self.capacity = capacity
        count = 0
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Builds the element of an uninitialized slot in place (the value is moved, not copied).
    func initialize(_ index: Int, to value: consuming Element) {
        assert(index >= 0 && index < capacity, "index \(index) out of 0..<\(capacity)")
        (base + index).initialize(to: value)
    }

    /// Frees the first `n` slots, which the owner initialized.
    func deinitialize(first n: Int) {
        assert(n >= 0 && n <= capacity)
        base.deinitialize(count: n)
    }

    /// The element at `index`, in place (addressors: no copy, no coroutine).
    subscript(_ index: Int) -> Element {
        unsafeAddress {
            assert(index >= 0 && index < capacity, "index \(index) out of 0..<\(capacity)")
            return UnsafePointer(base + index)
        }
        unsafeMutableAddress {
            assert(index >= 0 && index < capacity, "index \(index) out of 0..<\(capacity)")
            return base + index
        }
    }
}
