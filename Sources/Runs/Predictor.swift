import Baifs
import Configuration
import Foundation

/// A trained model restored from a checkpoint, with what it needs to read inputs the way it was
/// trained: the architecture from the run's `config.yaml` (beside the `checkpoints` folder), and
/// from the checkpoint the sample shape, the CSV feature columns, the scale, the normalisation and
/// the classes. The training data is not read, so inference works after the run directory moved
/// and the data is gone. (Checkpoints written before they recorded their input need the data.)
public struct Predictor {
    /// The experiment of the run's `config.yaml`, loaded with the checkpoint's data stand-in.
    let experiment: Experiment
    /// The model the config builds, holding the checkpoint's parameters.
    let model: any Module
    /// The checkpoint, read and verified.
    let checkpoint: Checkpoint
    /// The run's `config.yaml`.
    public let configPath: String
    /// The checkpoint.
    public let checkpointPath: String
    /// What the model takes and gives.
    public let input: CheckpointInput

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
        self.checkpointPath = checkpointPath
        do {
            checkpoint = try Checkpoint.read(contentsOf: checkpointPath)
        } catch {
            throw .checkpoint(error)
        }
        do {
            let options = ExperimentLoader.Options(readsInitFrom: false, dataStandIn: checkpoint.input?.dataStandIn)
            experiment = try ExperimentLoader.load(contentsOf: directory.configPath, options: options)
        } catch {
            throw .config(error)
        }
        let configText = (try? String(contentsOfFile: directory.configPath, encoding: .utf8)) ?? ""
        guard checkpoint.configHash == Runner.configHash(configText) else {
            throw .checkpoint(CheckpointError("\(checkpointPath) was not written with \(directory.configPath) (the config hashes differ); inference needs the config the model was trained with."))
        }
        input = checkpoint.input ?? CheckpointInput(experiment: experiment)
        if let normalization = checkpoint.normalization, normalization.featureCount != input.sampleShape.reduce(1, *) {
            throw .checkpoint(CheckpointError("\(checkpointPath): its normalization has \(normalization.featureCount) features but the model takes \(input.sampleShape.reduce(1, *))."))
        }
        var unused = RandomGenerator(seed: 0)
        model = experiment.makeModel(generator: &unused)
        do {
            try checkpoint.load(into: model)
        } catch {
            throw .checkpoint(CheckpointError("\(checkpointPath): \(error.message)"))
        }
    }

    /// Predictions for the samples of the file at `inputPath`, as CSV text: a `.npy` array of
    /// shape `[N, …]` (rows of the sample's size), or a CSV file with a header. A model trained on
    /// a CSV file reads its feature columns by name (in any order; other columns are ignored);
    /// otherwise every column of the CSV file is a feature. Features are scaled and normalised as in
    /// training. Classification writes `predicted_class` (the class name, or index) before the outputs.
    public func predict(inputPath: String) throws(PredictionError) -> String {
        let featureCount = input.sampleShape.reduce(1, *)
        var features: [Double]
        if inputPath.hasSuffix(".npy") || inputPath.hasSuffix(".npy.gz") {
            let array: NPYArray
            do {
                array = try NPYArray(contentsOfFile: inputPath)
            } catch {
                throw .dataFile(error)
            }
            guard let values = array.numbers, let count = array.shape.first, count > 0 || values.isEmpty,
                  values.count == count * featureCount else {
                throw .dataFile(DataFileError(path: inputPath, location: .file,
                                              message: "the model takes samples of shape \(input.sampleShape) (\(featureCount) values each); the array has shape \(array.shape)\(array.numbers == nil ? " and holds strings" : "")"))
            }
            if let index = values.firstIndex(where: { !$0.isFinite }) {
                throw .dataFile(DataFileError(path: inputPath, location: .file, message: "element \(index) is \(values[index]), not a finite number"))
            }
            features = values
        } else {
            let table: CSVFeatureTable
            do {
                table = try CSVFeatureTable(contentsOfFile: inputPath, columns: input.featureColumns, featureCount: featureCount)
            } catch {
                throw .csv(error)
            }
            guard table.columns.count == featureCount else {
                throw .csv(CSVError(path: inputPath, line: 1, column: 1,
                                    message: "the model takes \(featureCount) features per row; the input has \(table.columns.count) columns (\(table.columns.joined(separator: ", ")))"))
            }
            features = table.features
        }
        if input.scale != 1 {
            for index in features.indices { features[index] *= input.scale }
        }
        if let normalization = checkpoint.normalization { normalization.normalize(&features) }
        let outputs = Baifs.predict(model, features: features, sampleShape: input.sampleShape)
        let width = outputs.first?.count ?? 0
        let classes = input.classes
        var lines = [((classes != nil ? ["predicted_class"] : []) + (0..<width).map { "output_\($0)" }).joined(separator: ",")]
        for row in outputs {
            let label = classes.map { [Self.csvCell($0.label(of: min(predictedClass(row[...]), $0.count - 1)))] } ?? []
            lines.append((label + row.map(formatNumber)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The files a prediction reads besides its input: the checkpoint and the run's config.
    public var inputPaths: [String] {
        [checkpointPath, configPath]
    }

    /// `text` as a CSV cell: quoted if it holds a comma, a quote, a line break or surrounding spaces.
    static func csvCell(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " " || text.first == "\t" || text.last == "\t"
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// Why inputs could not be predicted.
public enum PredictionError: Error, CustomStringConvertible, Sendable {
    /// The CSV input cannot be read or does not fit the model: a feature column missing, the
    /// wrong number of columns, a ragged row, a value that is not a finite number.
    case csv(CSVError)
    /// The `.npy` input cannot be read, does not hold samples of the model's shape, or holds a
    /// value that is not finite.
    case dataFile(DataFileError)

    /// The wrapped error in compiler style: `FILE:LINE:COLUMN: error: …` (`FILE: error: …` for `.npy`).
    public var description: String {
        switch self {
        case .csv(let error): error.description
        case .dataFile(let error): error.description
        }
    }
}
