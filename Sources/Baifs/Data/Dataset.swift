/// Samples with their targets, features stored flat in row-major order.
///
/// Sample `i` has features `features[i·featureCount ..< (i+1)·featureCount]`, shaped `sampleShape`
/// (`[F]` for an MLP, `[C, H, W]` for a convolutional model).
public struct Dataset: Sendable, Equatable {
    /// What a sample's target is.
    public enum Targets: Sendable, Equatable {
        /// A class index in `0..<classCount` per sample.
        case classes(labels: [Int], classCount: Int)
        /// `width` real values per sample, row-major.
        case values([Double], width: Int)
    }

    /// The shape of one sample's features.
    public var sampleShape: [Int]
    /// All samples' features, row-major, sample after sample.
    public var features: [Double]
    /// The samples' targets.
    public var targets: Targets

    /// Creates a dataset, checking that features and targets agree in count.
    public init(sampleShape: [Int], features: [Double], targets: Targets) {
        let featureCount = sampleShape.reduce(1, *)
        precondition(featureCount > 0 && features.count % featureCount == 0,
                     "Features of shape \(sampleShape) come in groups of \(featureCount); got \(features.count) values.")
        let count = features.count / featureCount
        switch targets {
        case .classes(let labels, let classCount):
            precondition(labels.count == count, "\(count) samples need \(count) labels; got \(labels.count).")
            precondition(labels.allSatisfy { $0 >= 0 && $0 < classCount }, "Labels must lie in 0..<\(classCount).")
        case .values(let values, let width):
            precondition(width > 0 && values.count == count * width, "\(count) samples need \(count * width) target values; got \(values.count).")
        }
        self.sampleShape = sampleShape
        self.features = features
        self.targets = targets
    }

    /// The number of values per sample.
    public var featureCount: Int { sampleShape.reduce(1, *) }

    /// The number of samples.
    public var count: Int { features.count / featureCount }

    /// Whether targets are class labels.
    public var isClassification: Bool {
        if case .classes = targets { return true }
        return false
    }

    /// The number of target values per sample: the width of real-valued targets, 1 for class labels.
    public var targetWidth: Int {
        if case .values(_, let width) = targets { return width }
        return 1
    }

    /// The number of classes, or `nil` for regression.
    public var classCount: Int? {
        if case .classes(_, let classCount) = targets { return classCount }
        return nil
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let width = featureCount
        var selected = [Double]()
        selected.reserveCapacity(indices.count * width)
        for index in indices { selected.append(contentsOf: features[(index * width)..<((index + 1) * width)]) }
        switch targets {
        case .classes(let labels, let classCount):
            return Dataset(sampleShape: sampleShape, features: selected, targets: .classes(labels: indices.map { labels[$0] }, classCount: classCount))
        case .values(let values, let targetWidth):
            var chosen = [Double]()
            chosen.reserveCapacity(indices.count * targetWidth)
            for index in indices { chosen.append(contentsOf: values[(index * targetWidth)..<((index + 1) * targetWidth)]) }
            return Dataset(sampleShape: sampleShape, features: selected, targets: .values(chosen, width: targetWidth))
        }
    }

    /// Splits off a validation set of `round(fraction · count)` samples chosen by a seeded shuffle;
    /// the rest, in their original order, is the training set.
    public func split(validationFraction fraction: Double, generator: inout RandomGenerator) -> (training: Dataset, validation: Dataset) {
        precondition(fraction >= 0 && fraction < 1, "The validation fraction lies in [0, 1); got \(fraction).")
        let parts = split(DatasetPart.draw(count: count, validationFraction: fraction, generator: &generator))
        return (parts.training, parts.validation)
    }

    /// Splits off a validation set of `round(validationFraction · count)` samples and a test set of
    /// `round(testFraction · count)` samples, chosen by one seeded shuffle (see `DatasetPart.draw`);
    /// every set keeps the samples' original order. With a test fraction of 0 the training and
    /// validation sets are those of `split(validationFraction:generator:)`.
    public func split(validationFraction: Double, testFraction: Double,
                      generator: inout RandomGenerator) -> (training: Dataset, validation: Dataset, test: Dataset) {
        split(DatasetPart.draw(count: count, validationFraction: validationFraction, testFraction: testFraction, generator: &generator))
    }

    /// The samples of each part, in their original order; `parts` has one entry per sample.
    public func split(_ parts: [DatasetPart]) -> (training: Dataset, validation: Dataset, test: Dataset) {
        precondition(parts.count == count, "A split needs one part per sample; got \(parts.count) for \(count) samples.")
        func indices(_ part: DatasetPart) -> [Int] { parts.indices.filter { parts[$0] == part } }
        return (subset(indices(.training)), subset(indices(.validation)), subset(indices(.test)))
    }
}

extension Dataset.Targets {
    /// The targets of the samples in `samples`.
    public func subset(_ samples: Range<Int>) -> Dataset.Targets {
        switch self {
        case .classes(let labels, let classCount):
            .classes(labels: Array(labels[samples]), classCount: classCount)
        case .values(let values, let width):
            .values(Array(values[(samples.lowerBound * width)..<(samples.upperBound * width)]), width: width)
        }
    }
}
