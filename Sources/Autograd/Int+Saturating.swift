extension Int {
    /// `self + other`, or `Int.max` (`Int.min`) where the sum overflows upwards (downwards).
    ///
    /// Counts computed from user-given sizes (the graph of a batch, a model's parameters) saturate
    /// rather than trap: a saturated count reads as "more than can be counted", which any limit
    /// refuses.
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self · other`, or `Int.max` (`Int.min`) where the product overflows upwards (downwards).
    public func saturatingMultiplied(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self > 0) == (other > 0) ? .max : .min
    }
}

extension Sequence<Int> {
    /// The product of the elements (1 for none), saturating as `saturatingMultiplied(by:)`.
    public var saturatingProduct: Int {
        reduce(1) { $0.saturatingMultiplied(by: $1) }
    }

    /// The sum of the elements, saturating as `saturatingAdding(_:)`.
    public var saturatingSum: Int {
        reduce(0) { $0.saturatingAdding($1) }
    }
}
