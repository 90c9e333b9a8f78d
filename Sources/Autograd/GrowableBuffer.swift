/// A manually managed, growable buffer of trivial values.
///
/// The tape keeps its columns in these rather than in `Array`s so that the hot loops read and
/// write through plain pointers: no uniqueness checks, no exclusivity checks, no reference counting.
/// Capacity only grows, so a graph that is reset and rebuilt every step reuses its memory.
struct GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// Makes room for at least `required` elements, keeping the first `keeping` of them.
    @inline(__always)
    mutating func reserve(_ required: Int, keeping: Int) {
        if required > capacity { grow(to: required, keeping: keeping) }
    }

    @inline(never)
    private mutating func grow(to required: Int, keeping: Int) {
        var newCapacity = capacity
        while newCapacity < required { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: keeping)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func deallocate() { base.deallocate() }
}
