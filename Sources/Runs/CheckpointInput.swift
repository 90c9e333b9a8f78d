import Baifs
import Configuration

/// What a checkpoint records about the data a model was trained on, so that `infer` can prepare
/// inputs and name its predictions from the checkpoint alone, after the run directory moved and
/// the training data is gone: the sample shape, the feature columns of a CSV file, the scale, the
/// task, the classes and the width of regression targets. (The normalisation is the checkpoint's
/// own `normalization`.)
public struct CheckpointInput: Equatable, Sendable {
    /// The shape of one sample the model takes.
    public var sampleShape: [Int]
    /// The CSV feature columns, in the order of a sample's values; `nil` for other data.
    public var featureColumns: [String]?
    /// The factor features were multiplied by before normalisation.
    public var scale: Double
    /// The classes (names or indices); `nil` for regression.
    public var classes: ClassList?
    /// Target values per sample (regression; 1 for classification).
    public var targetWidth: Int

    init(sampleShape: [Int], featureColumns: [String]?, scale: Double, classes: ClassList?, targetWidth: Int) {
        self.sampleShape = sampleShape
        self.featureColumns = featureColumns
        self.scale = scale
        self.classes = classes
        self.targetWidth = targetWidth
    }

    /// What `experiment`'s data is.
    public init(experiment: Experiment) {
        self.init(sampleShape: experiment.training.sampleShape, featureColumns: experiment.featureColumns, scale: experiment.scale,
                  classes: experiment.classes, targetWidth: experiment.training.targetWidth)
    }

    /// The stand-in for the data when the experiment is loaded for inference.
    public var dataStandIn: ExperimentLoader.DataStandIn {
        ExperimentLoader.DataStandIn(sampleShape: sampleShape, classes: classes, targetWidth: targetWidth)
    }

    /// The entry of a checkpoint's JSON: `{"sample_shape", "feature_columns", "scale", "task",
    /// "classes", "target_width"}`, with `classes` a list of names or of the indices `0…K−1`.
    var json: JSONValue {
        let classesJSON: JSONValue = switch classes {
        case .names(let names)?: .array(names.map(JSONValue.string))
        case .indices(let count)?: .integers(Array(0..<count))
        case nil: .null
        }
        return .object([
            ("sample_shape", .integers(sampleShape)),
            ("feature_columns", featureColumns.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("scale", .number(scale)),
            ("task", .string(classes == nil ? "regression" : "classification")),
            ("classes", classesJSON),
            ("target_width", .integer(Int64(targetWidth))),
        ])
    }
}

/// The JSON layout of `CheckpointInput`, for decoding.
struct CheckpointInputEntry: Decodable {
    /// A class label as stored: a name or an index.
    enum Label: Decodable {
        case name(String)
        case index(Int)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let index = try? container.decode(Int.self) { self = .index(index) } else { self = .name(try container.decode(String.self)) }
        }
    }

    var sampleShape: [Int]
    var featureColumns: [String]?
    var scale: Double
    var task: String
    var classes: [Label]?
    var targetWidth: Int

    enum CodingKeys: String, CodingKey {
        case sampleShape = "sample_shape"
        case featureColumns = "feature_columns"
        case scale
        case task
        case classes
        case targetWidth = "target_width"
    }

    /// The input, or `nil` with what is wrong.
    func input() -> Result<CheckpointInput, CheckpointError> {
        guard !sampleShape.isEmpty, sampleShape.allSatisfy({ $0 > 0 && $0 <= 1 << 24 }), scale.isFinite, scale != 0,
              targetWidth >= 1, targetWidth <= 1 << 24, ["classification", "regression"].contains(task) else {
            return .failure(CheckpointError("its data entry is malformed (sample_shape, scale, task or target_width)"))
        }
        var classList: ClassList?
        if task == "classification" {
            guard let classes, !classes.isEmpty else { return .failure(CheckpointError("its data entry has no classes for a classification task")) }
            let indices = classes.compactMap { if case .index(let index) = $0 { index } else { nil } }
            let names = classes.compactMap { if case .name(let name) = $0 { name } else { nil } }
            if indices.count == classes.count, indices == Array(0..<indices.count) {
                classList = .indices(count: indices.count)
            } else if names.count == classes.count {
                classList = .names(names)
            } else {
                return .failure(CheckpointError("its classes are neither the indices 0…K−1 nor names"))
            }
        }
        return .success(CheckpointInput(sampleShape: sampleShape, featureColumns: featureColumns, scale: scale,
                                        classes: classList, targetWidth: targetWidth))
    }
}
