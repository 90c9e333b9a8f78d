/// The steps every data file goes through after reading, shared by `CSVDataset` and
/// `ArrayDataset`: class labels become class indices, samples are divided into training,
/// validation and test sets, features are multiplied by the scale, and a normalisation is fitted
/// on the training samples and applied to all three sets.
///
/// Features come divided into the three sets already (`ArrayDataset` converts each row into its
/// set), or are divided in place (the training samples are moved to the front of the array that
/// held them all), so that loading a large file needs little memory beyond its values.
struct DatasetPreparation {
    /// Targets as read, before class labels are indexed.
    enum RawTargets {
        /// Integer labels used as class indices; `classCount` is the number of classes if given,
        /// else the largest label plus one.
        case classIndices([Int], classCount: Int?)
        /// Class names; the classes are the sorted distinct names of the training samples.
        case classNames([String])
        /// `width` real values per sample.
        case values([Double], width: Int)
    }

    /// Why preparation failed; the loader reports it at its own location.
    enum Failure: Error {
        /// The label of `sample` is not below the given class count.
        case labelNotBelowClassCount(sample: Int, label: Int, classCount: Int)
        /// Integer labels do not use every class index from 0 to the largest.
        /// `missing` holds the first (at most 11) missing indices; `startsLate` says that they are
        /// exactly those below `smallest`.
        case classIndexGap(smallest: Int, largest: Int, missing: [Int], startsLate: Bool)
        /// A validation or test sample's class name is not among the training samples' names.
        case unseenClass(sample: Int, name: String, known: [String])
        /// No sample is in the training set.
        case noTrainingSamples
        /// Scaling or normalising feature `feature` gave a value that is not finite.
        case scaleOverflow(feature: Int)
        case normalizationOverflow(feature: Int)

        /// The message for this failure, naming the labels' place as `labels` ("column 'y'").
        func message(labels: String, scale: Double, method: FeatureNormalization.Method) -> String {
            switch self {
            case .labelNotBelowClassCount(_, let label, let classCount):
                return "class \(label) in \(labels) is not below the class count \(classCount)"
            case .classIndexGap(let smallest, let largest, let missing, let startsLate):
                if startsLate {
                    let absent = smallest == 1 ? "class 0 has" : "classes 0…\(smallest - 1) have"
                    let classes = largest == .max ? "more than \(Int.max)" : String(largest + 1)
                    return "the class indices in \(labels) run from \(smallest) to \(largest), so \(absent) no samples: classes are numbered from 0, which would make \(classes) classes; subtract \(smallest) from every label, or write the labels as names"
                }
                let shown = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
                let absent = missing.count == 1 ? "class index \(shown) has" : "class indices \(shown) have"
                return "\(absent) no samples in \(labels), whose labels run from \(smallest) to \(largest): classes are numbered from 0 to the largest label without gaps; renumber the labels, or write them as names"
            case .unseenClass(_, let name, let known):
                // Class names are cells of the user's data: excerpts of them keep the message one short line.
                let shown = known.prefix(known.count <= 12 ? 12 : 10).map { Excerpt.plain($0, limit: 40) }
                let listed = shown.joined(separator: ", ") + (known.count <= 12 ? "" : ", … (\(known.count) classes)")
                return "class \(Excerpt.quoted(name)) in \(labels) does not occur in the training rows, whose classes are \(listed)\(NameSuggestion.clause(for: name, among: known))"
            case .noTrainingSamples:
                return "no sample is left for training"
            case .scaleOverflow:
                return "has values that the scale \(scale) makes infinite"
            case .normalizationOverflow:
                return "cannot be normalised with \(method.rawValue): its values are so large that its statistics overflow; rescale the data or set normalize: none"
            }
        }
    }

    /// The features of each set, in sample order, already multiplied by the scale.
    struct DividedFeatures {
        var training: [Double]
        var validation: [Double]
        var test: [Double]
        /// The feature of the first value, in sample order, that the scale made infinite, if any.
        var scaleOverflowFeature: Int?

        /// Adds `other`'s test samples, which follow all of these sets' samples, to the test set.
        mutating func appendTest(_ other: consuming DividedFeatures) {
            if test.isEmpty { test = other.test } else { test += other.test }
            if scaleOverflowFeature == nil { scaleOverflowFeature = other.scaleOverflowFeature }
        }
    }

    /// The prepared sets.
    var training: Dataset
    var validation: Dataset
    var test: Dataset
    var normalization: FeatureNormalization
    /// The classes, for classification.
    var classes: ClassList?

    /// Prepares `features` (samples of `sampleShape`, consumed) and `targets`, dividing the samples
    /// by `parts` (one per sample).
    init(features: consuming [Double], sampleShape: [Int], targets: RawTargets, parts: [DatasetPart], scale: Double,
         normalization method: FeatureNormalization.Method) throws(Failure) {
        var features = features
        let width = sampleShape.reduce(1, *)
        precondition(features.count == parts.count * width, "Features of \(parts.count) samples of shape \(sampleShape) need \(parts.count * width) values; got \(features.count).")
        // Scale every value in place; a value the scale makes infinite is reported after the targets' problems.
        var scaleOverflowFeature: Int?
        if scale != 1 {
            for index in features.indices {
                features[index] *= scale
                if !features[index].isFinite {
                    scaleOverflowFeature = index % width
                    break
                }
            }
        }
        // Divide: the training samples stay in `features`, moved to the front.
        let (validation, test) = Self.partition(&features, width: width, parts: parts)
        try self.init(features: DividedFeatures(training: consume features, validation: validation, test: test, scaleOverflowFeature: scaleOverflowFeature),
                      sampleShape: sampleShape, targets: targets, parts: parts, normalization: method)
    }

    /// Prepares `features`, divided by `parts` (one per sample) and scaled already, and `targets`.
    init(features: consuming DividedFeatures, sampleShape: [Int], targets: RawTargets, parts: [DatasetPart],
         normalization method: FeatureNormalization.Method) throws(Failure) {
        var features = features
        let width = sampleShape.reduce(1, *)
        let count = parts.count
        precondition(features.training.count == parts.count { $0 == .training } * width
                     && features.validation.count == parts.count { $0 == .validation } * width
                     && features.test.count == parts.count { $0 == .test } * width,
                     "Each set needs \(width) feature values per sample of the parts given.")
        guard parts.contains(.training) else { throw .noTrainingSamples }

        // 1. Targets: class indices, checked; or values.
        var datasetTargets: (training: Dataset.Targets, validation: Dataset.Targets, test: Dataset.Targets)
        switch targets {
        case .classIndices(let labels, let classCount):
            let classes = try Self.checkIndices(labels, classCount: classCount)
            let split = Self.divide(labels, parts: parts)
            datasetTargets = (.classes(labels: split.training, classCount: classes), .classes(labels: split.validation, classCount: classes),
                              .classes(labels: split.test, classCount: classes))
            self.classes = .indices(count: classes)
        case .classNames(let names):
            var seen = Set<String>()
            for (sample, name) in names.enumerated() where parts[sample] == .training { seen.insert(name) }
            let sorted = seen.sorted()
            let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
            var labels = [Int]()
            labels.reserveCapacity(count)
            for (sample, name) in names.enumerated() {
                guard let label = index[name] else { throw .unseenClass(sample: sample, name: name, known: sorted) }
                labels.append(label)
            }
            let split = Self.divide(labels, parts: parts)
            datasetTargets = (.classes(labels: split.training, classCount: sorted.count), .classes(labels: split.validation, classCount: sorted.count),
                              .classes(labels: split.test, classCount: sorted.count))
            self.classes = .names(sorted)
        case .values(let values, let targetWidth):
            let split = Self.divide(values, parts: parts, width: targetWidth)
            datasetTargets = (.values(split.training, width: targetWidth), .values(split.validation, width: targetWidth),
                              .values(split.test, width: targetWidth))
            self.classes = nil
        }

        // 2. The scale, applied already, must have left every value finite.
        if let feature = features.scaleOverflowFeature { throw .scaleOverflow(feature: feature) }

        // 3. Normalise with statistics of the training samples.
        let statistics = FeatureNormalization.statistics(method: method, fittedTo: features.training, featureCount: width)
        if let feature = FeatureNormalization.firstInvalidFeature(offsets: statistics.offsets, scales: statistics.scales) {
            throw .normalizationOverflow(feature: feature)
        }
        let normalization = FeatureNormalization(method: method, offsets: statistics.offsets, scales: statistics.scales)
        if method != .none {
            normalization.normalize(&features.training)
            normalization.normalize(&features.validation)
            normalization.normalize(&features.test)
        }
        self.normalization = normalization
        self.training = Dataset(sampleShape: sampleShape, features: features.training, targets: datasetTargets.training)
        self.validation = Dataset(sampleShape: sampleShape, features: features.validation, targets: datasetTargets.validation)
        self.test = Dataset(sampleShape: sampleShape, features: features.test, targets: datasetTargets.test)
    }

    /// The number of classes of integer `labels`: `classCount` if given (every label must be
    /// below it), else the largest label plus one, every index below which must occur.
    private static func checkIndices(_ labels: [Int], classCount: Int?) throws(Failure) -> Int {
        if let classCount {
            if let sample = labels.firstIndex(where: { $0 >= classCount }) {
                throw .labelNotBelowClassCount(sample: sample, label: labels[sample], classCount: classCount)
            }
            return classCount
        }
        guard let largest = labels.max(), let smallest = labels.min() else { return 0 }
        // The labels are non-negative, so they cover 0...largest exactly when there are largest + 1
        // distinct ones. Otherwise the first missing indices are looked for among as many
        // candidates as there are labels (a flag per index up to a label of 10¹⁵ would not fit in
        // memory, and largest + 1 overflows for Int.max).
        let present = Set(labels)
        guard present.count - 1 != largest else { return largest + 1 }
        let startsLate = largest - smallest == present.count - 1
        var missing = startsLate ? Array(0..<min(smallest, 11)) : []
        var candidate = 0
        while !startsLate && missing.count < 11 && candidate < largest {
            if !present.contains(candidate) { missing.append(candidate) }
            candidate += 1
        }
        throw .classIndexGap(smallest: smallest, largest: largest, missing: missing, startsLate: startsLate)
    }

    /// The elements of `values` (`width` per sample) of each part, in order.
    static func divide<Element>(_ values: [Element], parts: [DatasetPart], width: Int = 1)
        -> (training: [Element], validation: [Element], test: [Element]) {
        var divided: [[Element]] = [[], [], []]
        for (sample, part) in parts.enumerated() {
            divided[Int(part.rawValue)].append(contentsOf: values[(sample * width)..<((sample + 1) * width)])
        }
        return (divided[0], divided[1], divided[2])
    }

    /// Moves the training samples of `features` (samples of `width` values) to its front, in
    /// order, and drops the rest, which are returned: the validation and the test samples.
    static func partition(_ features: inout [Double], width: Int, parts: [DatasetPart]) -> (validation: [Double], test: [Double]) {
        var validation = LargeBuffer.emptyArray(capacity: parts.count { $0 == .validation } * width)
        var test = LargeBuffer.emptyArray(capacity: parts.count { $0 == .test } * width)
        var kept = 0
        features.withUnsafeMutableBufferPointer { values in
            for (sample, part) in parts.enumerated() {
                let range = (sample * width)..<((sample + 1) * width)
                switch part {
                case .training:
                    if kept != sample {
                        let base = values.baseAddress!
                        (base + kept * width).update(from: base + sample * width, count: width)
                    }
                    kept += 1
                case .validation: validation.append(contentsOf: values[range])
                case .test: test.append(contentsOf: values[range])
                }
            }
        }
        features.removeSubrange((kept * width)...)
        return (validation, test)
    }
}
