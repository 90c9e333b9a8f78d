import Baifs

/// An experiment file after validation, with every default filled in: what `config.yaml` in a
/// run directory holds, and everything needed to build the dataset, model and solver.
public struct ExperimentConfig: Sendable, Equatable {
    /// The run's name; runs are stored under `OUT/NAME-…`. Default: the file name without extension.
    public var name: String
    /// Seeds every random draw of the run (data, initialisation, shuffling). Default: 0.
    public var seed: UInt64
    public var dataset: DatasetSection
    public var model: ModelSection
    /// Default: `mse`.
    public var loss: Loss
    public var optimizer: OptimizerSection
    /// Default: `none`.
    public var clipping: ClippingSection
    /// Default: `constant`.
    public var schedule: ScheduleSection
    public var training: TrainingSection
    /// A checkpoint whose parameters initialise the model (by name and shape), or `nil`.
    public var initFrom: String?

    public init(name: String, seed: UInt64, dataset: DatasetSection, model: ModelSection, loss: Loss,
                optimizer: OptimizerSection, clipping: ClippingSection, schedule: ScheduleSection,
                training: TrainingSection, initFrom: String?) {
        self.name = name
        self.seed = seed
        self.dataset = dataset
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.clipping = clipping
        self.schedule = schedule
        self.training = training
        self.initFrom = initFrom
    }
}

/// `dataset:` — a generated toy task, or a data file: CSV, NumPy arrays, or IDX (MNIST) files.
public struct DatasetSection: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case twoMoons = "two_moons"
        case circles
        case xor
        case spirals
        case sine
        case bars
        case shapes
        case csv
        case npy
        case idx

        /// Whether the data is read from files (else it is generated).
        public var isFile: Bool { self == .csv || self == .npy || self == .idx }
    }

    public enum Task: String, Sendable, CaseIterable {
        case classification, regression
    }

    public enum Normalization: String, Sendable, CaseIterable {
        case none, standardize
        case minMax = "min_max"
    }

    public var kind: Kind
    /// Toy kinds: the number of samples generated. Default: 300.
    public var samples: Int
    /// Toy kinds: the noise level. Default: the generator's own (0.1 moons, 0.05 circles, 0.3 xor,
    /// 0.2 spirals, 0.1 sine, 0.15 bars and shapes).
    public var noise: Double
    /// `circles`: the inner circle's radius relative to the outer. Default: 0.5.
    public var factor: Double
    /// `spirals`: the number of arms (classes). Default: 3.
    public var classes: Int
    /// The fraction of samples held out for validation (toy kinds, and CSV without a split column).
    /// Default: 0.2.
    public var validationFraction: Double
    /// `csv`: the file, relative to the experiment file's folder unless absolute.
    public var path: String?
    /// `csv`: the target column.
    public var target: String?
    /// `csv`: whether the target is a class index or a real value. Default: classification.
    public var task: Task
    /// `csv`: the feature columns. Default: every column but the target and the split column.
    public var features: [String]?
    /// `csv`: reshape each sample's features to this shape (`[C, H, W]` for convolutional models).
    public var shape: [Int]?
    /// `csv`: feature normalisation, with statistics of the training split. Default: none.
    public var normalize: Normalization
    /// `csv`: a column whose values (`train`, `validation`/`val`, `test`) split the rows, instead of fractions.
    public var splitColumn: String?
    /// The fraction of samples held out as a test set, drawn after the validation samples. Default: 0.
    public var testFraction: Double
    /// `csv`, `npy`, `idx`: the factor every feature is multiplied by before normalisation. Default: 1.
    public var scale: Double
    /// `npy`: the features `.npy` file, or with `path` (an `.npz` archive) the name of its array.
    public var featureArray: String?
    /// `npy`: the targets `.npy` file, or with `path` the name of its array.
    public var targetArray: String?
    /// `idx`: the images and labels files, and the optional test images and labels files.
    public var images: String?
    public var labels: String?
    public var testImages: String?
    public var testLabels: String?

    public init(kind: Kind, samples: Int, noise: Double, factor: Double, classes: Int, validationFraction: Double,
                path: String? = nil, target: String? = nil, task: Task = .classification, features: [String]? = nil,
                shape: [Int]? = nil, normalize: Normalization = .none, splitColumn: String? = nil,
                testFraction: Double = 0, scale: Double = 1, featureArray: String? = nil, targetArray: String? = nil,
                images: String? = nil, labels: String? = nil, testImages: String? = nil, testLabels: String? = nil) {
        self.kind = kind
        self.samples = samples
        self.noise = noise
        self.factor = factor
        self.classes = classes
        self.validationFraction = validationFraction
        self.path = path
        self.target = target
        self.task = task
        self.features = features
        self.shape = shape
        self.normalize = normalize
        self.splitColumn = splitColumn
        self.testFraction = testFraction
        self.scale = scale
        self.featureArray = featureArray
        self.targetArray = targetArray
        self.images = images
        self.labels = labels
        self.testImages = testImages
        self.testLabels = testLabels
    }

    /// The files the data is read from, by key (relative to the experiment file unless absolute):
    /// `path`, and for `npy` without `path` the `features` and `targets` files, for `idx` the four files.
    public var filePaths: [(key: String, path: String)] {
        var files: [(String, String)] = []
        if let path { files.append(("path", path)) }
        if kind == .npy && path == nil {
            if let featureArray { files.append(("features", featureArray)) }
            if let targetArray { files.append(("targets", targetArray)) }
        }
        for (key, file) in [("images", images), ("labels", labels), ("test_images", testImages), ("test_labels", testLabels)] {
            if let file { files.append((key, file)) }
        }
        return files
    }
}

/// `model:` — the kind of network, the input shape, and the layer list.
public struct ModelSection: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case mlp
        case microResNet = "micro_resnet"
    }

    public var kind: Kind
    /// The shape of one sample. Default: the dataset's.
    public var inputShape: [Int]
    public var layers: [LayerSpec]

    public init(kind: Kind, inputShape: [Int], layers: [LayerSpec]) {
        self.kind = kind
        self.inputShape = inputShape
        self.layers = layers
    }
}
/// `optimizer:` — the update rule and its settings.
public struct OptimizerSection: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case sgd, adam, adamw
    }

    public var kind: Kind
    /// Default: 0.1 for sgd, 0.001 for adam and adamw.
    public var learningRate: Double
    /// sgd only. Default: 0.
    public var momentum: Double
    /// sgd only; needs momentum > 0. Default: false.
    public var nesterov: Bool
    /// Default: 0 for sgd and adam, 0.01 for adamw.
    public var weightDecay: Double
    /// adam and adamw. Defaults: 0.9, 0.999, 1e-8.
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double

    public init(kind: Kind, learningRate: Double, momentum: Double, nesterov: Bool, weightDecay: Double,
                beta1: Double, beta2: Double, epsilon: Double) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// `clipping:` — gradient clipping before each update.
public struct ClippingSection: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case none, value, norm
    }

    public var kind: Kind
    /// The clamp for `value`, the largest global L2 norm for `norm`. Default: 1.
    public var threshold: Double

    public init(kind: Kind, threshold: Double) {
        self.kind = kind
        self.threshold = threshold
    }
}

/// `schedule:` — the learning rate per epoch.
public struct ScheduleSection: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case constant, step, cosine
    }

    public var kind: Kind
    /// step: epochs between decays. Default: 10.
    public var stepSize: Int
    /// step: the factor at each decay. Default: 0.1.
    public var gamma: Double
    /// cosine: the rate the cosine anneals towards (reached one epoch after the last). Default: 0.
    public var minimum: Double
    /// Epochs of linear warm-up before the schedule. Default: 0.
    public var warmupEpochs: Int

    public init(kind: Kind, stepSize: Int, gamma: Double, minimum: Double, warmupEpochs: Int) {
        self.kind = kind
        self.stepSize = stepSize
        self.gamma = gamma
        self.minimum = minimum
        self.warmupEpochs = warmupEpochs
    }
}

/// `training:` — epochs, batches, validation, early stopping and checkpoints.
public struct TrainingSection: Sendable, Equatable {
    /// Default: 20.
    public var epochs: Int
    /// Default: 16.
    public var batchSize: Int
    /// Default: true.
    public var shuffle: Bool
    /// The metric that picks the best checkpoint and drives early stopping. Default: `val_accuracy`
    /// for classification, `val_loss` for regression (the `train_` ones without validation data).
    public var monitor: Metric
    /// Stop after `patience` epochs without improvement (by more than `min_delta`). Default: off.
    public var earlyStopping: EarlyStopping?
    /// Save `checkpoints/epoch-NNNN.json` every this many epochs; 0 for none. Default: 0.
    /// `best.json` and `last.json` are always written.
    public var checkpointEvery: Int
    /// Whether the run writes TensorBoard event files into `tensorboard/`. Default: true.
    public var tensorBoard: Bool

    public init(epochs: Int, batchSize: Int, shuffle: Bool, monitor: Metric, earlyStopping: EarlyStopping?, checkpointEvery: Int,
                tensorBoard: Bool = true) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.monitor = monitor
        self.earlyStopping = earlyStopping
        self.checkpointEvery = checkpointEvery
        self.tensorBoard = tensorBoard
    }
}
