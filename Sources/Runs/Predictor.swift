import Baifs
import Configuration
import Foundation

/// A trained model restored from a checkpoint, with what it needs to read inputs the way it was
/// trained: the run's config (for the architecture and feature columns) and the normalisation.
public struct Predictor {
    public let experiment: Experiment
    public let model: any Module
    public let checkpoint: Checkpoint
    /// The run's `config.yaml`.
    public let configPath: String

    /// Loads the checkpoint at `checkpointPath`, which lies in `RUN/checkpoints/`, and the config of `RUN`.
    public init(checkpointPath: String) throws(RunError) {
        let runPath = URL(fileURLWithPath: checkpointPath).deletingLastPathComponent().deletingLastPathComponent().path
        let directory: RunDirectory
        do {
            directory = try RunDirectory(existing: runPath)
        } catch {
            throw .store(RunStoreError("\(checkpointPath) is not in a run's checkpoints folder: \(error.message)"))
        }
        configPath = directory.configPath
        do {
            experiment = try ExperimentLoader.load(contentsOf: directory.configPath)
        } catch {
            throw .config(error)
        }
        do {
            checkpoint = try Checkpoint.read(contentsOf: checkpointPath)
        } catch {
            throw .checkpoint(error)
        }
        let configText = (try? String(contentsOfFile: directory.configPath, encoding: .utf8)) ?? ""
        guard checkpoint.configHash == Runner.configHash(configText) else {
            throw .checkpoint(CheckpointError("\(checkpointPath) was not written with \(directory.configPath) (the config hashes differ); inference needs the config the model was trained with."))
        }
        if let normalization = checkpoint.normalization, normalization.featureCount != experiment.training.featureCount {
            throw .checkpoint(CheckpointError("\(checkpointPath): its normalization has \(normalization.featureCount) features but the model takes \(experiment.training.featureCount)."))
        }
        var unused = RandomGenerator(seed: 0)
        model = experiment.makeModel(generator: &unused)
        do {
            try checkpoint.load(into: model)
        } catch {
            throw .checkpoint(CheckpointError("\(checkpointPath): \(error.message)"))
        }
    }

    /// Predictions for the rows of the CSV file at `inputPath`, as CSV text.
    public func predictCSV(inputPath: String) throws(CSVError) -> String {
        let dataset = experiment.config.dataset
        let table: CSVFeatureTable
        if dataset.kind == .csv {
            let ignored = Set([dataset.target, dataset.splitColumn].compactMap { $0 })
            var columns = dataset.features ?? []
            if dataset.features == nil {
                columns = try CSVFeatureTable(contentsOfFile: trainingCSVPath, columns: nil, ignoring: ignored).columns
            }
            table = try CSVFeatureTable(contentsOfFile: inputPath, columns: columns)
        } else {
            table = try CSVFeatureTable(contentsOfFile: inputPath, columns: nil)
        }
        let sampleShape = experiment.training.sampleShape
        let featureCount = sampleShape.reduce(1, *)
        guard table.columns.count == featureCount else {
            throw CSVError(path: inputPath, line: 1, column: 1,
                           message: "the model takes \(featureCount) features per row; the input has \(table.columns.count) columns (\(table.columns.joined(separator: ", ")))")
        }
        let features = checkpoint.normalization?.apply(to: table.features) ?? table.features
        let outputs = predict(model, features: features, sampleShape: sampleShape)
        let width = outputs.first?.count ?? 0
        let classification = experiment.training.isClassification
        var lines = [((classification ? ["predicted_class"] : []) + (0..<width).map { "output_\($0)" }).joined(separator: ",")]
        for row in outputs {
            let values = row.map(formatNumber)
            lines.append(((classification ? [String(predictedClass(row[...]))] : []) + values).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The training CSV file, whose header gives the feature columns when the config lists none.
    private var trainingCSVPath: String {
        ExperimentLoader.resolve(dataPath: experiment.config.dataset.path ?? "", relativeTo: configPath)
    }
}
