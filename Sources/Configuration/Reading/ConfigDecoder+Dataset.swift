import Baifs

extension ConfigDecoder {
    /// Reads `dataset:`; `nil` if anything in it was reported.
    func readDataset(_ reader: inout SectionReader) -> DatasetSection? {
        let kind = reader.readKind().flatMap(DatasetSection.Kind.init(rawValue:))
        let samples = reader.integer("samples")
        let noise = reader.number("noise")
        let factor = reader.number("factor")
        let classes = reader.integer("classes")
        let fraction = reader.number("validation_fraction")
        let testFraction = reader.number("test_fraction")
        let path = reader.string("path")
        let target = reader.string("target")
        let task = reader.choice("task")
        let features = kind == .npy ? Field<[String]>.absent : reader.stringList("features")
        let featureArray = kind == .npy ? reader.string("features") : .absent
        let targetArray = reader.string("targets")
        let images = reader.string("images"), labels = reader.string("labels")
        let testImages = reader.string("test_images"), testLabels = reader.string("test_labels")
        let shape = reader.integerList("shape")
        let scale = reader.number("scale")
        let normalize = reader.choice("normalize")
        let splitColumn = reader.string("split_column")
        guard let kind, let samples = samples.value, let factor = factor.value, let classes = classes.value,
              let fraction = fraction.value, let testFraction = testFraction.value,
              let task = task.value.flatMap(DatasetSection.Task.init(rawValue:)),
              let normalize = normalize.value.flatMap(DatasetSection.Normalization.init(rawValue:)),
              ![noise.isInvalid, path.isInvalid, target.isInvalid, features.isInvalid, shape.isInvalid, scale.isInvalid,
                splitColumn.isInvalid, featureArray.isInvalid, targetArray.isInvalid, images.isInvalid, labels.isInvalid,
                testImages.isInvalid, testLabels.isInvalid].contains(true) else { return nil }

        if kind == .csv, splitColumn.value != nil {
            for key in ["validation_fraction", "test_fraction"] {
                guard let entry = reader.entry(key) else { continue }
                diagnostics.report(at: entry.keyLocation, reader.path(key),
                                   "\(key) cannot be combined with split_column, which decides the validation and test rows")
                return nil
            }
        }
        if fraction + testFraction >= 1 {
            let key = reader.entry("test_fraction") != nil ? "test_fraction" : "validation_fraction"
            diagnostics.report(at: reader.node(key)?.location ?? reader.location, reader.path(key),
                               "validation_fraction (\(fraction)) and test_fraction (\(testFraction)) add up to \(fraction + testFraction), leaving nothing to train on; together they must stay below 1")
            return nil
        }
        if !kind.isFile {
            let held = Int((fraction * Double(samples)).rounded()) + Int((testFraction * Double(samples)).rounded())
            if held >= samples {
                let key = testFraction > 0 ? "test_fraction" : "validation_fraction"
                let what = testFraction > 0 ? "validation and test fractions of \(fraction) and \(testFraction) leave"
                    : "validation fraction of \(fraction) leaves"
                diagnostics.report(at: reader.node(key)?.location ?? reader.location, reader.path(key),
                                   "a \(what) no training samples out of \(samples)")
                return nil
            }
        }
        if kind == .npy, path.value == nil {
            for (key, field) in [("features", featureArray), ("targets", targetArray)] where field.value == nil {
                diagnostics.report(at: reader.location, reader.keyPath,
                                   "missing required key '\(key)': without path (an .npz archive), features and targets name .npy files")
                return nil
            }
        }
        if kind == .idx {
            if (testImages.value == nil) != (testLabels.value == nil) {
                let (given, missing) = testImages.value == nil ? ("test_labels", "test_images") : ("test_images", "test_labels")
                diagnostics.report(at: reader.entry(given)?.keyLocation ?? reader.location, reader.path(given),
                                   "\(given) needs \(missing): the test set is a pair of IDX files")
                return nil
            }
            if testImages.value != nil, let entry = reader.entry("test_fraction") {
                diagnostics.report(at: entry.keyLocation, reader.path("test_fraction"),
                                   "test_fraction cannot be combined with test_images and test_labels, which are the test set")
                return nil
            }
        }
        let resolvedTask: DatasetSection.Task = switch kind {
        case .csv, .npy: task
        case .sine: .regression
        case .twoMoons, .circles, .xor, .spirals, .bars, .shapes, .idx: .classification
        }
        let isArchive = kind == .npy && path.value != nil
        return DatasetSection(kind: kind, samples: samples, noise: noise.value ?? 0, factor: factor, classes: classes,
                              validationFraction: fraction, path: path.value, target: target.value, task: resolvedTask,
                              features: features.value, shape: shape.value, normalize: normalize,
                              splitColumn: splitColumn.value, testFraction: testFraction, scale: scale.value ?? 1,
                              featureArray: featureArray.value ?? (isArchive ? "features" : nil),
                              targetArray: targetArray.value ?? (isArchive ? "targets" : nil),
                              images: images.value, labels: labels.value, testImages: testImages.value, testLabels: testLabels.value)
    }

    /// Generates the toy data (then splits it) with a generator seeded by `seed`, or reads the data
    /// files; `nil` if a file has a problem (reported in the file's own location).
    func loadData(_ section: DatasetSection, seed: UInt64, reader: SectionReader) -> LoadedData? {
        var generator = RandomStream.data.generator(seed: seed)
        let count = section.samples, noise = section.noise
        let all: Dataset
        switch section.kind {
        case .twoMoons: all = .twoMoons(count: count, noise: noise, generator: &generator)
        case .circles: all = .concentricCircles(count: count, noise: noise, factor: section.factor, generator: &generator)
        case .xor: all = .xor(count: count, noise: noise, generator: &generator)
        case .spirals: all = .spirals(count: count, classes: section.classes, noise: noise, generator: &generator)
        case .sine: all = .sine(count: count, noise: noise, generator: &generator)
        case .bars: all = .bars(count: count, noise: noise, generator: &generator)
        case .shapes: all = .shapes(count: count, noise: noise, generator: &generator)
        case .csv: return loadCSV(section, generator: &generator)
        case .npy, .idx: return loadArrays(section, generator: &generator, reader: reader)
        }
        let (training, validation, test) = all.split(validationFraction: section.validationFraction,
                                                     testFraction: section.testFraction, generator: &generator)
        return LoadedData(training: training, validation: validation, normalization: nil,
                          test: section.testFraction > 0 ? test : nil)
    }

    private var normalizationMethods: [DatasetSection.Normalization: FeatureNormalization.Method] {
        [.none: .none, .standardize: .standardize, .minMax: .minMax]
    }

    private func loadCSV(_ section: DatasetSection, generator: inout RandomGenerator) -> LoadedData? {
        guard let file = section.path, let target = section.target else {
            preconditionFailure("A CSV dataset section has a path and a target.")
        }
        let options = CSVDataset.Options(
            target: section.task == .classification ? .classes(column: target) : .values(column: target),
            featureColumns: section.features, sampleShape: section.shape, normalization: normalizationMethods[section.normalize] ?? .none,
            split: section.splitColumn.map(CSVDataset.Split.column) ?? .validationFraction(section.validationFraction),
            testFraction: section.testFraction, scale: section.scale)
        do {
            let csv = try CSVDataset(contentsOfFile: ExperimentLoader.resolve(dataPath: file, relativeTo: path),
                                     options: options, generator: &generator)
            return LoadedData(training: csv.training, validation: csv.validation, normalization: csv.normalization,
                              test: csv.test, classes: csv.classes, scale: csv.scale, featureColumns: csv.featureColumns)
        } catch {
            diagnostics.report(ConfigError(file: error.path, line: error.line, column: error.column, keyPath: "",
                                           message: error.message))
            return nil
        }
    }

    /// Reads `npy` arrays (files or an archive's) or `idx` files.
    private func loadArrays(_ section: DatasetSection, generator: inout RandomGenerator, reader: SectionReader) -> LoadedData? {
        func resolve(_ file: String) -> String { ExperimentLoader.resolve(dataPath: file, relativeTo: path) }
        let options = ArrayDataset.Options(
            task: section.task == .classification ? .classification() : .regression, sampleShape: section.shape,
            normalization: normalizationMethods[section.normalize] ?? .none, validationFraction: section.validationFraction,
            testFraction: section.testFraction, scale: section.scale)
        do {
            let data: ArrayDataset
            if section.kind == .idx {
                guard let images = section.images, let labels = section.labels else {
                    preconditionFailure("An idx dataset section has images and labels.")
                }
                var testSet: (features: ArrayDataset.Source, targets: ArrayDataset.Source)?
                if let testImages = section.testImages, let testLabels = section.testLabels {
                    testSet = (try .idx(resolve(testImages), images: true), try .idx(resolve(testLabels), images: false))
                }
                data = try ArrayDataset(features: .idx(resolve(images), images: true), targets: .idx(resolve(labels), images: false),
                                        testSet: testSet, options: options, generator: &generator)
            } else if let archivePath = section.path {
                let archive = try NPZArchive(contentsOfFile: resolve(archivePath))
                data = try ArrayDataset(features: .npz(archive, name: section.featureArray ?? "features"),
                                        targets: .npz(archive, name: section.targetArray ?? "targets"),
                                        options: options, generator: &generator)
            } else {
                guard let features = section.featureArray, let targets = section.targetArray else {
                    preconditionFailure("An npy dataset section without path has features and targets files.")
                }
                data = try ArrayDataset(features: .npy(resolve(features)), targets: .npy(resolve(targets)),
                                        options: options, generator: &generator)
            }
            return LoadedData(training: data.training, validation: data.validation, normalization: data.normalization,
                              test: data.test, classes: data.classes, scale: data.scale)
        } catch {
            diagnostics.report(atNamingKey(error, reader: reader) ?? ConfigError(dataFileError: error))
            return nil
        }
    }

    /// A problem with a data file as a whole (it cannot be read, or is not of its kind), which has
    /// no line or byte to point at, located where the experiment names the file instead.
    private func atNamingKey(_ error: DataFileError, reader: SectionReader) -> ConfigError? {
        guard error.location == .file else { return nil }
        for key in ["features", "targets", "path", "images", "labels", "test_images", "test_labels"] {
            guard let node = reader.node(key), let value = node.scalar?.text else { continue }
            let resolved = ExperimentLoader.resolve(dataPath: value, relativeTo: path)
            // An array of an archive is `archive.npz[name]`.
            if error.path == resolved || error.path.hasPrefix(resolved + "[") {
                return node.location.error(reader.path(key), "\(error.path): \(error.message)")
            }
        }
        return nil
    }
}
