import Testing

// The one approximate comparison of the test targets: both a relative and an absolute tolerance,
// as swift-numerics' isApproximatelyEqual.

/// Whether `actual` is close to `expected`: `|actual − expected| ≤ absolute + relative · max(|actual|, |expected|)`.
/// The relative part scales with the magnitudes; the absolute part handles values near zero.
public func isApproximatelyEqual(_ actual: Double, _ expected: Double,
                          relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    if actual == expected { return true }  // also equal infinities
    guard actual.isFinite, expected.isFinite else { return false }
    return abs(actual - expected) <= absolute + relative * max(abs(actual), abs(expected))
}

/// Elementwise `isApproximatelyEqual` for two arrays of one length.
public func isApproximatelyEqual(_ actual: [Double], _ expected: [Double],
                          relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    actual.count == expected.count
        && zip(actual, expected).allSatisfy { isApproximatelyEqual($0, $1, relative: relative, absolute: absolute) }
}

/// Records one expectation per element, naming the element that is off.
public func expectApproximatelyEqual(_ actual: [Double], _ expected: [Double],
                              relative: Double = 1e-9, absolute: Double = 1e-12, _ what: String = "",
                              sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) elements, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (position, (a, e)) in zip(actual, expected).enumerated() {
        #expect(isApproximatelyEqual(a, e, relative: relative, absolute: absolute),
                "\(what)[\(position)]: got \(a), expected \(e)", sourceLocation: sourceLocation)
    }
}

/// Records one expectation per element of two lists of lists, naming the element that is off.
public func expectApproximatelyEqual(_ actual: [[Double]], _ expected: [[Double]],
                                     relative: Double = 1e-9, absolute: Double = 1e-12, _ what: String = "",
                                     sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) rows, expected \(expected.count)",
            sourceLocation: sourceLocation)
    for (row, (a, e)) in zip(actual, expected).enumerated() {
        expectApproximatelyEqual(a, e, relative: relative, absolute: absolute, "\(what)[\(row)]", sourceLocation: sourceLocation)
    }
}
