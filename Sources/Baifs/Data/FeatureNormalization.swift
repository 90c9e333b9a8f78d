/// A per-feature affine normalisation, `x̂ᵢ = (xᵢ − offsetᵢ) / scaleᵢ`, with statistics fitted on
/// training features and then applied unchanged to validation features and to inputs at inference.
public struct FeatureNormalization: Sendable, Equatable, Codable {
    /// How the offsets and scales are fitted.
    public enum Method: String, Sendable, Equatable, Codable, CaseIterable {
        /// No change: offsets 0, scales 1.
        case none
        /// Zero mean and unit variance per feature: offset the mean, scale the population standard
        /// deviation `√(Σ (x − mean)² / n)`.
        case standardize
        /// The range `[0, 1]` per feature: offset the minimum, scale `maximum − minimum`.
        case minMax = "min_max"
    }

    /// The method the statistics were fitted by.
    public var method: Method
    /// The value subtracted from each feature.
    public var offsets: [Double]
    /// The value each feature is divided by after the offset, never zero.
    public var scales: [Double]

    /// Creates a normalisation from known statistics.
    public init(method: Method, offsets: [Double], scales: [Double]) {
        precondition(!offsets.isEmpty && offsets.count == scales.count,
                     "A normalisation needs at least one feature and one scale per offset; got \(offsets.count) offsets and \(scales.count) scales.")
        precondition(scales.allSatisfy { $0 != 0 && $0.isFinite }, "Normalisation scales must be finite and non-zero.")
        self.method = method
        self.offsets = offsets
        self.scales = scales
    }

    /// The normalisation that changes nothing, for samples of `featureCount` values.
    public static func identity(featureCount: Int) -> FeatureNormalization {
        FeatureNormalization(method: .none, offsets: Array(repeating: 0, count: featureCount),
                             scales: Array(repeating: 1, count: featureCount))
    }

    /// Fits `method` to `features`, samples of `featureCount` values laid out one after another.
    ///
    /// A feature that is constant over the samples (or has no samples) gets scale 1, so that it is
    /// only shifted (to 0) rather than divided by zero.
    public init(method: Method, fittedTo features: [Double], featureCount: Int) {
        let statistics = Self.statistics(method: method, fittedTo: features, featureCount: featureCount)
        self.init(method: method, offsets: statistics.offsets, scales: statistics.scales)
    }

    /// A normalisation with these offsets and scales, or `nil` unless there is at least one feature,
    /// one scale per offset, every offset finite and every scale finite and non-zero (as read from a
    /// file, say).
    public init?(validating method: Method, offsets: [Double], scales: [Double]) {
        guard Self.firstInvalidFeature(offsets: offsets, scales: scales) == nil, !offsets.isEmpty,
              offsets.count == scales.count else { return nil }
        self.init(method: method, offsets: offsets, scales: scales)
    }

    /// The first feature whose offset is not finite or whose scale is not finite and non-zero.
    public static func firstInvalidFeature(offsets: [Double], scales: [Double]) -> Int? {
        zip(offsets, scales).enumerated().first { !$0.element.0.isFinite || !$0.element.1.isFinite || $0.element.1 == 0 }?.offset
    }

    /// The offsets and scales `method` fits to `features` (see `init(method:fittedTo:featureCount:)`),
    /// unchecked: values near the largest doubles can overflow them to infinity.
    public static func statistics(method: Method, fittedTo features: [Double], featureCount: Int) -> (offsets: [Double], scales: [Double]) {
        precondition(featureCount > 0 && features.count % featureCount == 0,
                     "Features come in samples of \(featureCount) values; got \(features.count) values.")
        let sampleCount = features.count / featureCount
        guard method != .none, sampleCount > 0 else {
            return (Array(repeating: 0, count: featureCount), Array(repeating: 1, count: featureCount))
        }
        var minima = Array(features[0..<featureCount]), maxima = minima
        var sums = [Double](repeating: 0, count: featureCount)
        for sample in 0..<sampleCount {
            for feature in 0..<featureCount {
                let value = features[sample * featureCount + feature]
                minima[feature] = Swift.min(minima[feature], value)
                maxima[feature] = Swift.max(maxima[feature], value)
                sums[feature] += value
            }
        }
        if method == .minMax {
            let ranges = zip(minima, maxima).map { minimum, maximum in maximum > minimum ? maximum - minimum : 1 }
            return (minima, ranges)
        }
        let means = sums.map { $0 / Double(sampleCount) }
        var squaredDeviations = [Double](repeating: 0, count: featureCount)
        for sample in 0..<sampleCount {
            for feature in 0..<featureCount {
                let deviation = features[sample * featureCount + feature] - means[feature]
                squaredDeviations[feature] += deviation * deviation
            }
        }
        let deviations = (0..<featureCount).map { feature in
            let deviation = (squaredDeviations[feature] / Double(sampleCount)).squareRoot()
            return maxima[feature] > minima[feature] && deviation > 0 ? deviation : 1
        }
        return (means, deviations)
    }

    /// The number of values per sample this normalisation applies to.
    public var featureCount: Int { offsets.count }

    /// Returns `features`, samples of `featureCount` values one after another, normalised:
    /// value `j` of every sample becomes `(x − offsets[j]) / scales[j]`.
    public func apply(to features: [Double]) -> [Double] {
        precondition(features.count % featureCount == 0,
                     "Features come in samples of \(featureCount) values; got \(features.count) values.")
        var normalized = features
        for index in normalized.indices {
            let feature = index % featureCount
            normalized[index] = (normalized[index] - offsets[feature]) / scales[feature]
        }
        return normalized
    }

    /// Normalises `features` (samples of `featureCount` values one after another) in place, as
    /// `apply(to:)` does.
    public func normalize(_ features: inout [Double]) {
        precondition(features.count % featureCount == 0,
                     "Features come in samples of \(featureCount) values; got \(features.count) values.")
        let count = featureCount
        offsets.withUnsafeBufferPointer { offsets in
            scales.withUnsafeBufferPointer { scales in
                features.withUnsafeMutableBufferPointer { values in
                    var feature = 0
                    for index in values.indices {
                        values[index] = (values[index] - offsets[feature]) / scales[feature]
                        feature += 1
                        if feature == count { feature = 0 }
                    }
                }
            }
        }
    }

    /// Returns `dataset` with its features normalised and its targets unchanged.
    public func apply(to dataset: Dataset) -> Dataset {
        precondition(dataset.featureCount == featureCount,
                     "This normalisation is for \(featureCount) features; the dataset has \(dataset.featureCount).")
        return Dataset(sampleShape: dataset.sampleShape, features: apply(to: dataset.features), targets: dataset.targets)
    }
}
