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
        let path = reader.string("path")
        let target = reader.string("target")
        let task = reader.choice("task")
        let features = reader.stringList("features")
        let shape = reader.integerList("shape")
        let normalize = reader.choice("normalize")
        let splitColumn = reader.string("split_column")
        guard let kind, let samples = samples.value, let factor = factor.value, let classes = classes.value,
              let fraction = fraction.value, let task = task.value.flatMap(DatasetSection.Task.init(rawValue:)),
              let normalize = normalize.value.flatMap(DatasetSection.Normalization.init(rawValue:)),
              ![noise.isInvalid, path.isInvalid, target.isInvalid, features.isInvalid, shape.isInvalid,
                splitColumn.isInvalid].contains(true) else { return nil }

        if kind == .csv, splitColumn.value != nil, let entry = reader.entry("validation_fraction") {
            diagnostics.report(at: entry.keyLocation, reader.path("validation_fraction"),
                               "validation_fraction cannot be combined with split_column, which decides the validation rows")
            return nil
        }
        if kind != .csv, Int((fraction * Double(samples)).rounded()) >= samples {
            diagnostics.report(at: reader.node("validation_fraction")?.location ?? reader.location,
                               reader.path("validation_fraction"),
                               "a validation fraction of \(fraction) leaves no training samples out of \(samples)")
            return nil
        }
        let resolvedTask: DatasetSection.Task = switch kind {
        case .csv: task
        case .sine: .regression
        case .twoMoons, .circles, .xor, .spirals, .bars, .shapes: .classification
        }
        return DatasetSection(kind: kind, samples: samples, noise: noise.value ?? 0, factor: factor, classes: classes,
                              validationFraction: fraction, path: path.value, target: target.value, task: resolvedTask,
                              features: features.value, shape: shape.value, normalize: normalize,
                              splitColumn: splitColumn.value)
    }

    /// Generates the toy data (then splits it) with a generator seeded by `seed`, or reads the CSV
    /// file; `nil` if the CSV file has a problem (reported in the CSV's own location).
    func loadData(_ section: DatasetSection, seed: UInt64) -> LoadedData? {
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
        }
        let (training, validation) = all.split(validationFraction: section.validationFraction, generator: &generator)
        return LoadedData(training: training, validation: validation, normalization: nil)
    }

    private func loadCSV(_ section: DatasetSection, generator: inout RandomGenerator) -> LoadedData? {
        guard let file = section.path, let target = section.target else {
            preconditionFailure("A CSV dataset section has a path and a target.")
        }
        let method: FeatureNormalization.Method = switch section.normalize {
        case .none: .none
        case .standardize: .standardize
        case .minMax: .minMax
        }
        let options = CSVDataset.Options(
            target: section.task == .classification ? .classes(column: target) : .values(column: target),
            featureColumns: section.features, sampleShape: section.shape, normalization: method,
            split: section.splitColumn.map(CSVDataset.Split.column) ?? .validationFraction(section.validationFraction))
        do {
            let csv = try CSVDataset(contentsOfFile: ExperimentLoader.resolve(dataPath: file, relativeTo: path),
                                     options: options, generator: &generator)
            return LoadedData(training: csv.training, validation: csv.validation, normalization: csv.normalization)
        } catch {
            diagnostics.report(ConfigError(file: error.path, line: error.line, column: error.column, keyPath: "",
                                           message: error.message))
            return nil
        }
    }
}
