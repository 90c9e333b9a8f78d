/// A training, a validation and possibly a test `Dataset` built from arrays: NumPy `.npy` files,
/// arrays of an `.npz` archive, or IDX files (MNIST's format), with the feature normalisation
/// fitted on the training samples.
///
/// The features array has one row per sample: shape `[N, F]` (samples of shape `[F]`),
/// `[N, C, H, W]` (images), or `[N, …]` reshaped to `Options.sampleShape`; IDX images `[N, H, W]`
/// become samples of shape `[1, H, W]`. The targets array has `N` rows too: for classification,
/// `[N]` integers (class indices, which must use every index from 0 to the largest), or `[N]`
/// strings or negative integers (class names, whose classes are the sorted distinct names of the
/// training samples); for regression, `[N]` or `[N, K]` numbers.
///
/// Every feature is multiplied by `Options.scale` after reading, before normalisation. The
/// validation and test samples are drawn by one seeded shuffle (see `DatasetPart.draw`), unless a
/// separate test set is given (IDX's `t10k` files), which is then the test set.
public struct ArrayDataset: Sendable, Equatable {
    /// An array and the path its errors report.
    public struct Source: Sendable, Equatable {
        /// The array read from the file. Reading it converts every element; the datasets are built
        /// from the file's bytes directly, each row converted into the set it is drawn for.
        public var array: NPYArray {
            get { contents.decoded }
            set { contents = .decoded(newValue) }
        }
        /// The file it was read from, for error messages.
        public var path: String
        /// The array as read, its numbers left packed in the file's bytes where the file stores them row-major.
        var contents: FileArray

        /// Pairs `array` with the file `path` it came from.
        public init(array: NPYArray, path: String) {
            self.init(contents: .decoded(array), path: path)
        }

        init(contents: FileArray, path: String) {
            self.contents = contents
            self.path = path
        }

        /// The `.npy` file at `path` (gzip-compressed or not).
        public static func npy(_ path: String) throws(DataFileError) -> Source {
            Source(contents: try NPYArray.read(DataFileContents(contentsOfFile: path, declaredSize: NPYArray.declaredSize)), path: path)
        }

        /// The array `name` of the `.npz` archive `archive`; errors report `archive.npz[name]`.
        public static func npz(_ archive: NPZArchive, name: String) throws(DataFileError) -> Source {
            Source(contents: try archive.fileArray(named: name), path: "\(archive.path)[\(name)]")
        }

        /// The IDX file at `path` (gzip-compressed or not). IDX images of shape `[N, H, W]` are
        /// given the shape `[N, 1, H, W]` of one-channel images.
        public static func idx(_ path: String, images: Bool) throws(DataFileError) -> Source {
            var (array, _) = try IDXArray.read(DataFileContents(contentsOfFile: path, declaredSize: IDXArray.declaredSize))
            if images && array.shape.count == 3 { array.shape.insert(1, at: 1) }
            return Source(contents: .packed(array), path: path)
        }

        /// Whether both name the same file and hold the same array.
        public static func == (left: Source, right: Source) -> Bool {
            left.path == right.path && left.array == right.array
        }
    }

    /// The task the targets are for.
    public enum Task: Sendable, Equatable {
        /// Class labels: indices in `0..<classCount` (every index up to the largest used, unless
        /// `classCount` is given), or names.
        case classification(classCount: Int? = nil)
        /// Real values, one or `K` per sample.
        case regression
    }

    /// How to prepare the arrays.
    public struct Options: Sendable, Equatable {
        /// What the targets are.
        public var task: Task
        /// The shape each sample's features are read as; its product must equal the values per
        /// sample. `nil` (the default) for the shape of a row of the features array.
        public var sampleShape: [Int]?
        /// How features are normalised, with statistics from the training samples only.
        public var normalization: FeatureNormalization.Method
        /// The fraction of samples drawn for validation.
        public var validationFraction: Double
        /// The fraction of samples drawn for test; must be 0 when a test set is given.
        public var testFraction: Double
        /// The factor every feature is multiplied by after reading, before normalisation.
        public var scale: Double

        /// Creates the options; see the properties for the meaning of each.
        public init(task: Task = .classification(), sampleShape: [Int]? = nil, normalization: FeatureNormalization.Method = .none,
                    validationFraction: Double = 0.2, testFraction: Double = 0, scale: Double = 1) {
            self.task = task
            self.sampleShape = sampleShape
            self.normalization = normalization
            self.validationFraction = validationFraction
            self.testFraction = testFraction
            self.scale = scale
        }
    }

    /// The training samples, scaled and normalised.
    public var training: Dataset
    /// The validation samples, scaled and normalised with the training statistics.
    public var validation: Dataset
    /// The test samples, scaled and normalised with the training statistics; `nil` without a test set.
    public var test: Dataset?
    /// The normalisation fitted on the training samples, to apply to inputs at inference (after the scale).
    public var normalization: FeatureNormalization
    /// The factor features were multiplied by before normalisation.
    public var scale: Double
    /// The classes, for classification; `nil` for regression.
    public var classes: ClassList?

    /// Builds the datasets from `features` and `targets`, and, if given, a separate test set.
    ///
    /// - Parameters:
    ///   - features: The features, one row per sample.
    ///   - targets: The targets, one row per sample.
    ///   - testSet: Features and targets of a separate test set, or `nil`.
    ///   - options: How to prepare the arrays.
    ///   - generator: Draws the validation (and test) samples; untouched if both fractions are 0.
    /// - Throws: `DataFileError` located at the array at fault.
    public init(features: consuming Source, targets: Source, testSet: (features: Source, targets: Source)? = nil,
                options: Options, generator: inout RandomGenerator) throws(DataFileError) {
        let sampleShape = try Self.sampleShape(of: features, options: options)
        guard testSet == nil || options.testFraction == 0 else {
            throw DataFileError(path: features.path, location: .file, message: "a test fraction cannot be combined with a separate test set")
        }
        let count = features.contents.shape.first ?? 0, width = sampleShape.reduce(1, *)
        // The draw needs only the count, so each row can be converted straight into its set.
        var parts: [DatasetPart]
        if options.validationFraction == 0 && options.testFraction == 0 {
            parts = [DatasetPart](repeating: .training, count: count)
        } else {
            parts = DatasetPart.draw(count: count, validationFraction: options.validationFraction,
                                     testFraction: options.testFraction, generator: &generator)
        }
        var divided = try Self.divide(features, parts: parts, width: width, scale: options.scale)
        let featuresPath = features.path
        _ = consume features  // the file's bytes are not needed any more
        var rawTargets = try Self.targets(targets, count: count, featuresPath: featuresPath, task: options.task)
        var labelsPath = targets.path
        if let testSet {
            let testShape = try Self.sampleShape(of: testSet.features, options: options)
            guard testShape == sampleShape else {
                throw DataFileError(path: testSet.features.path, location: .file,
                                    message: "test samples have shape \(Self.text(of: testShape)), but training samples \(Self.text(of: sampleShape)) (in \(featuresPath))")
            }
            let testCount = testSet.features.contents.shape.first ?? 0
            divided.appendTest(try Self.divide(testSet.features, parts: [DatasetPart](repeating: .test, count: testCount), width: width, scale: options.scale))
            let testTargets = try Self.targets(testSet.targets, count: testCount, featuresPath: testSet.features.path, task: options.task)
            rawTargets = try Self.concatenate(rawTargets, testTargets, path: testSet.targets.path)
            parts += [DatasetPart](repeating: .test, count: testCount)
            labelsPath = "\(targets.path) and \(testSet.targets.path)"
        }

        let prepared: DatasetPreparation
        do {
            prepared = try DatasetPreparation(features: consume divided, sampleShape: sampleShape, targets: rawTargets, parts: parts,
                                              normalization: options.normalization)
        } catch {
            let message = error.message(labels: labelsPath, scale: options.scale, method: options.normalization)
            switch error {
            case .labelNotBelowClassCount(let sample, _, _), .unseenClass(let sample, _, _):
                let (path, row) = sample < count ? (targets.path, sample) : (testSet?.targets.path ?? targets.path, sample - count)
                throw DataFileError(path: path, location: .file, message: "row \(row): \(message)")
            case .classIndexGap:
                throw DataFileError(path: targets.path, location: .file, message: message)
            case .noTrainingSamples:
                throw DataFileError(path: featuresPath, location: .file,
                                    message: "validation and test fractions of \(options.validationFraction) and \(options.testFraction) leave no training samples out of \(count)")
            case .scaleOverflow(let feature), .normalizationOverflow(let feature):
                throw DataFileError(path: featuresPath, location: .file, message: "feature \(feature) \(message)")
            }
        }
        training = prepared.training
        validation = prepared.validation
        test = prepared.test.count > 0 || testSet != nil ? prepared.test : nil
        normalization = prepared.normalization
        scale = options.scale
        classes = prepared.classes
    }

    /// `shape` as an error shows it, `[a, b]`; of a file's shape with more than 8 dimensions (an
    /// IDX header may list 255), the first 8 and their count: `[1, 2, …, 9 dimensions]`.
    static func text(of shape: [Int]) -> String {
        shape.count > 8 ? "[\(shape.prefix(8).map(String.init).joined(separator: ", ")), … \(shape.count) dimensions]" : "\(shape)"
    }

    /// The shape of one sample of `features`: `Options.sampleShape`, or its rows' shape.
    private static func sampleShape(of features: Source, options: Options) throws(DataFileError) -> [Int] {
        let shape = features.contents.shape
        guard let count = shape.first, count > 0 else {
            throw DataFileError(path: features.path, location: .file,
                                message: shape.isEmpty ? "the features array is a scalar; it needs one row per sample, shape [N, F] or [N, C, H, W]"
                                    : "the features array has no samples (shape \(Self.text(of: shape)))")
        }
        guard features.contents.holdsNumbers else {
            throw DataFileError(path: features.path, location: .file, message: "features must be numbers; this array holds strings ('\(features.contents.dataType)')")
        }
        let rowShape = shape.count == 1 ? [1] : Array(shape.dropFirst())
        // A dimension of 0 after the first (a [N, 0] array, IDX images of height 0) leaves samples without values.
        guard rowShape.allSatisfy({ $0 > 0 }) else {
            throw DataFileError(path: features.path, location: .file,
                                message: "the features array has shape \(Self.text(of: shape)), so its samples hold no values; every dimension after the first must be at least 1")
        }
        guard let requested = options.sampleShape else { return rowShape }
        let product = requested.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue }
        let rowProduct = rowShape.reduce(1, *)
        guard !requested.isEmpty, requested.allSatisfy({ $0 > 0 }), product == rowProduct else {
            throw DataFileError(path: features.path, location: .file,
                                message: "sample shape \(Self.text(of: requested)) does not hold a row of \(rowProduct) values (the features have shape \(Self.text(of: shape)))")
        }
        return requested
    }

    /// The rows of `features` (`width` values each), multiplied by `scale`, in the sets that
    /// `parts` (one per sample, in order) assigns them, and the feature of the first value the
    /// scale makes infinite. Each row is converted straight into its set, then checked and scaled
    /// there while it is in the cache.
    ///
    /// - Throws: `DataFileError` at the first row that holds a value that is not finite.
    private static func divide(_ features: Source, parts: [DatasetPart], width: Int,
                               scale: Double) throws(DataFileError) -> DatasetPreparation.DividedFeatures {
        let packed: PackedArray?, decoded: [Double], holdsIntegers: Bool
        switch features.contents {
        case .packed(let array): (packed, decoded, holdsIntegers) = (array, [], array.format.kind != .float)
        case .decoded(let array):
            (packed, decoded) = (nil, array.numbers ?? [])
            holdsIntegers = if case .integers = array.elements { true } else { false }
        }
        // Integers are finite, and below 2⁶⁴ in magnitude: a scale below 2⁹⁰⁰ leaves them finite.
        let scaleMayOverflow = !(holdsIntegers && scale.magnitude < 0x1p900)
        var scaleOverflowFeature: Int?
        let counts = DatasetPart.allCases.map { part in parts.count { $0 == part } * width }
        let sets = try LargeBuffer.arrays(counts: counts[...]) { sets throws(DataFileError) in
            var nextRows = sets.map { $0.baseAddress }  // where each set's next row goes
            for (sample, part) in parts.enumerated() {
                let row = UnsafeMutableBufferPointer(start: nextRows[Int(part.rawValue)]!, count: width)
                nextRows[Int(part.rawValue)]! += width
                let elements = (sample * width)..<((sample + 1) * width)
                if let packed {
                    packed.convert(elements, to: row.baseAddress!)
                } else {
                    _ = row.initialize(fromContentsOf: decoded[elements])
                }
                if !holdsIntegers, !Self.isFinite(row), let index = row.firstIndex(where: { !$0.isFinite }) {
                    throw DataFileError(path: features.path, location: .file, message: "row \(sample) holds \(row[index]), which is not a finite number")
                }
                if scale != 1 {
                    for index in row.indices { row[index] *= scale }
                    if scaleMayOverflow, scaleOverflowFeature == nil, !Self.isFinite(row) {
                        scaleOverflowFeature = row.firstIndex { !$0.isFinite }
                    }
                }
            }
        }
        return DatasetPreparation.DividedFeatures(training: sets[0], validation: sets[1], test: sets[2], scaleOverflowFeature: scaleOverflowFeature)
    }

    /// Whether every value of `row` is finite. The values are tested without an early exit, which
    /// the compiler vectorises when it compiles the loop on its own (inlined into the loop over
    /// rows, it was not).
    @inline(never)
    private static func isFinite(_ row: UnsafeMutableBufferPointer<Double>) -> Bool {
        var nonFinite: UInt8 = 0
        for value in row { nonFinite |= value.isFinite ? 0 : 1 }
        return nonFinite == 0
    }

    /// The targets of `targets` for `count` samples, as raw labels or values.
    private static func targets(_ targets: Source, count: Int, featuresPath: String, task: Task) throws(DataFileError) -> DatasetPreparation.RawTargets {
        let array = targets.array, shape = array.shape
        func error(_ message: String) -> DataFileError { DataFileError(path: targets.path, location: .file, message: message) }
        guard shape.first == count else {
            throw error("the targets have \(shape.first.map { "\($0) rows" } ?? "no rows (a scalar)"), but the features in \(featuresPath) have \(count) samples; both need one row per sample")
        }
        switch task {
        case .classification(let classCount):
            guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
                throw error("class labels need shape [N]; got \(Self.text(of: shape))")
            }
            switch array.elements {
            case .strings(let names):
                if let row = names.firstIndex(of: "") { throw error("row \(row) has an empty class name") }
                return .classNames(names)
            case .integers(let values):
                // Unsigned 64-bit labels reach 2⁶⁴ − 1, past `Int`; above 2⁵³ they are not exact as doubles.
                if let row = values.firstIndex(where: { $0 >= 0x1p53 }) {
                    throw error("row \(row) holds \(values[row]), which is too large for a class label (at most 2^53 - 1)")
                }
                if values.allSatisfy({ $0 >= 0 }) { return .classIndices(values.map { Int($0) }, classCount: classCount) }
                guard classCount == nil else { throw error("class labels must not be negative with a given class count") }
                return .classNames(values.map { String(Int($0)) })
            case .floats(let values):
                if let row = values.firstIndex(where: { !($0 >= 0 && $0 < 0x1p53 && $0 == $0.rounded()) }) {
                    throw error("row \(row) holds \(values[row]), which is not a class index (a non-negative integer); integer or string labels are class labels, and real-valued targets need task: regression")
                }
                return .classIndices(values.map { Int($0) }, classCount: classCount)
            }
        case .regression:
            guard shape.count == 1 || shape.count == 2, shape.count == 1 || shape[1] > 0 else {
                throw error("regression targets need shape [N] or [N, K]; got \(Self.text(of: shape))")
            }
            guard let values = array.numbers else {
                throw error("regression targets must be numbers; this array holds strings ('\(array.dataType)')")
            }
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw error("element \(index) is \(values[index]), not a finite number")
            }
            return .values(values, width: shape.count == 1 ? 1 : shape[1])
        }
    }

    /// The training targets followed by the test targets, which must be of the same kind.
    private static func concatenate(_ first: DatasetPreparation.RawTargets, _ second: DatasetPreparation.RawTargets,
                                    path: String) throws(DataFileError) -> DatasetPreparation.RawTargets {
        switch (first, second) {
        case (.classIndices(let a, let count), .classIndices(let b, _)): return .classIndices(a + b, classCount: count)
        case (.classNames(let a), .classNames(let b)): return .classNames(a + b)
        case (.values(let a, let width), .values(let b, let otherWidth)) where width == otherWidth: return .values(a + b, width: width)
        default:
            throw DataFileError(path: path, location: .file, message: "the test targets are not of the same kind or width as the training targets")
        }
    }
}
