import Baifs
import Foundation

/// Reads a composed experiment document into an `Experiment`: validates every section against
/// `ConfigSchema`, fills in the defaults, generates or reads the data, and checks the model's
/// shapes against the data and the loss, reporting every problem it finds to `diagnostics`.
///
/// Checks that depend on a part with an error are skipped, so that one mistake gives one error.
struct ConfigDecoder {
    /// The experiment file's path as given; names default to its base name and CSV paths are
    /// relative to its folder.
    let path: String
    let diagnostics: ConfigDiagnostics
    var options = ExperimentLoader.Options()

    /// What the model is checked against: the data's sample shape and task.
    struct DataSummary {
        /// The shape of one sample.
        var sampleShape: [Int]
        /// The number of classes, or `nil` for regression.
        var classCount: Int?
        /// The number of target values per sample of a regression task (1 for classification).
        var targetWidth: Int = 1
        /// The number of validation samples; `nil` when unknown (a stand-in for the data, which
        /// is not read), so that nothing is checked against it.
        var validationCount: Int?
        /// The dataset kind, for messages.
        var kind: DatasetSection.Kind
    }

    /// The data of an experiment, split.
    struct LoadedData {
        var training: Dataset
        var validation: Dataset
        var normalization: FeatureNormalization?
        var test: Dataset?
        var classes: ClassList?
        var scale: Double = 1
        var featureColumns: [String]?
    }

    /// The experiment the document describes, or `nil` if anything was reported.
    func decode(_ root: ConfigNode) -> Experiment? {
        guard let top = SectionReader(ConfigSchema.topLevel, node: root, keyPath: "", parentLocation: root.location,
                                      diagnostics: diagnostics) else { return nil }
        let name = top.readName(filePath: path, fallback: "experiment")
        let seed = top.readSeed()
        let loss = readLoss(top)
        let initFrom = top.string("init_from")

        // The data first: the model and the monitored metric are checked against it.
        var dataset: DatasetSection?
        var data: LoadedData?
        var summary: DataSummary?
        if var reader = requiredSection("dataset", of: top), let section = readDataset(&reader) {
            dataset = section
            if let standIn = options.dataStandIn {
                data = LoadedData(training: standIn.emptyDataset, validation: standIn.emptyDataset, normalization: nil,
                                  classes: standIn.classes)
            } else {
                data = loadData(section, seed: seed ?? 0, reader: reader)
            }
            summary = data.map {
                DataSummary(sampleShape: $0.training.sampleShape, classCount: $0.training.classCount,
                            targetWidth: $0.training.targetWidth,
                            validationCount: options.dataStandIn == nil ? $0.validation.count : nil, kind: section.kind)
            }
        }

        let lossIsValid = checkLoss(loss, top: top, data: summary)
        let model = readModel(top, data: summary, loss: lossIsValid ? loss : nil)
        let optimizer = readOptimizer(top)
        let clipping = readClipping(top)
        let training = readTraining(top, data: summary)
        let schedule = readSchedule(top, epochs: training?.epochs)

        var initialParameters: ParameterSet?
        if let file = initFrom.value, let model, options.readsInitFrom {
            initialParameters = readInitialParameters(file, top: top, model: model)
        }

        guard diagnostics.errors.isEmpty, let name, let seed, let loss, let dataset, let data, let model, let optimizer,
              let clipping, let schedule, let training, !initFrom.isInvalid else { return nil }
        let config = ExperimentConfig(name: name, seed: seed, dataset: dataset, model: model, loss: loss,
                                      optimizer: optimizer, clipping: clipping, schedule: schedule, training: training,
                                      initFrom: initFrom.value)
        var experiment = Experiment(config: config, training: data.training, validation: data.validation,
                                    normalization: data.normalization, test: data.test, classes: data.classes, scale: data.scale,
                                    featureColumns: data.featureColumns, initialParameters: initialParameters)
        experiment.locations = locations(top)
        return experiment
    }

    /// Where the values of `Experiment.locatedKeyPaths` are written, those that are.
    private func locations(_ top: SectionReader) -> [String: ConfigLocation] {
        var locations: [String: ConfigLocation] = [:]
        for keyPath in Experiment.locatedKeyPaths {
            var node: ConfigNode? = top.node(keyPath)
            if node == nil, let dot = keyPath.firstIndex(of: ".") {
                let section = String(keyPath[..<dot]), key = String(keyPath[keyPath.index(after: dot)...])
                node = top.node(section)?.entries?.first { $0.key == key }?.value
            }
            if let node, !node.isNull { locations[keyPath] = node.location }
        }
        return locations
    }

    /// Reports a missing required section; returns its reader, or `nil` if it is missing or not a mapping.
    func requiredSection(_ key: String, of top: SectionReader) -> SectionReader? {
        guard let entry = top.entry(key) else {
            top.reportMissing(key)
            return nil
        }
        guard let section = ConfigSchema.section(key) else { preconditionFailure("No schema section '\(key)'.") }
        guard !entry.value.isNull else {
            diagnostics.report(at: entry.value.location, key, "expected a mapping, got null")
            return nil
        }
        return SectionReader(section, node: entry.value, keyPath: key, parentLocation: top.location, diagnostics: diagnostics)
    }

    /// An optional section's reader (empty when absent), or `nil` if it is not a mapping.
    func optionalSection(_ key: String, of top: SectionReader) -> SectionReader? {
        guard let section = ConfigSchema.section(key) else { preconditionFailure("No schema section '\(key)'.") }
        return SectionReader(section, node: top.node(key), keyPath: key, parentLocation: top.location, diagnostics: diagnostics)
    }

    // MARK: - Top level

    /// Reads `loss:`, a bare kind or a mapping with `kind` and `reduction`; `nil` if it was reported.
    private func readLoss(_ top: SectionReader) -> Loss? {
        guard var reader = optionalSection("loss", of: top) else { return nil }
        let kind = reader.readKind()
        let reduction = reader.choice("reduction")
        switch (kind, reduction.value) {
        case ("mse", "sum"): return .summedSquaredError
        case ("mse", _): return reduction.isInvalid ? nil : .meanSquaredError
        case ("cross_entropy", _): return .crossEntropy
        default: return nil
        }
    }

    /// The most parameters of a model built just to list its parameters' names and shapes (16M
    /// values, 128 MB).
    static let cheapModelSize = 1 << 24

    /// Reads the parameters `init_from` names (relative to the experiment file unless absolute)
    /// and checks them against the model's names and shapes; reports at the key what does not fit.
    private func readInitialParameters(_ file: String, top: SectionReader, model: ModelSection) -> ParameterSet? {
        let location = top.node("init_from")?.location ?? top.location
        let resolved = ExperimentLoader.resolve(dataPath: file, relativeTo: path)
        let parameters: ParameterSet
        do {
            parameters = try ParameterSet(contentsOf: resolved)
        } catch {
            diagnostics.report(at: location, "init_from", error.message)
            return nil
        }
        // The model is built to list its parameters when that is cheap, or when the file holds
        // enough values to fill it: a larger model could never fit, and building one too large
        // for memory would fail.
        let held = parameters.tensors.map(\.values.count).saturatingSum
        guard model.parameterCount <= max(held, Self.cheapModelSize) else {
            diagnostics.report(at: location, "init_from",
                               "\(file) holds \(held) parameter values, fewer than the \(model.parameterCount) of the model; it cannot initialise it")
            return nil
        }
        var unused = RandomGenerator(seed: 0)
        let expected = model.makeNetwork(generator: &unused).namedParameters.map { ($0.name, $0.parameter.shape) }
        if let mismatch = parameters.mismatch(with: expected) {
            diagnostics.report(at: location, "init_from", "\(file) does not fit the model: \(mismatch)")
            return nil
        }
        return parameters
    }

    /// Checks that the loss fits the task; returns whether it does (or cannot be checked).
    private func checkLoss(_ loss: Loss?, top: SectionReader, data: DataSummary?) -> Bool {
        guard loss == .crossEntropy, let data, data.classCount == nil else { return true }
        diagnostics.report(at: top.node("loss")?.location ?? top.location, "loss",
                           "cross_entropy needs a classification task; this dataset (\(data.kind.rawValue)) is regression")
        return false
    }
}
