import Baifs

/// An experiment file after validation, with every default filled in: what `config.yaml` in a
/// run directory holds, and everything needed to build the dataset, model and solver.
public struct ExperimentConfig: Sendable, Equatable {
    /// The run's name; runs are stored under `OUT/NAME-…`. Default: the file name without extension.
    public var name: String
    /// Seeds every random draw of the run (data, initialisation, shuffling). Default: 0.
    public var seed: UInt64
    /// `dataset:`: where the training, validation and test samples come from.
    public var dataset: DatasetSection
    /// `model:`: the network's kind, sample shape and layers.
    public var model: ModelSection
    /// `loss:`: the training objective. Default: `mse`.
    public var loss: Loss
    /// `optimizer:`: the update rule and its settings. Default: `sgd` with its defaults.
    public var optimizer: OptimizerSection
    /// `clipping:`: gradient clipping before each update. Default: `none`.
    public var clipping: ClippingSection
    /// `schedule:`: the learning rate per epoch. Default: `constant`.
    public var schedule: ScheduleSection
    /// `training:`: epochs, batches, the monitored metric, early stopping and checkpoints.
    public var training: TrainingSection
    /// `init_from`: a checkpoint, parameters JSON or `.safetensors` file whose parameters
    /// initialise the model (by name and shape), as written in the file; `nil` without it.
    public var initFrom: String?

    /// Creates a configuration from its sections as given: nothing is checked and no default is
    /// filled in (`ExperimentLoader` does both when it reads a file).
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
    /// `dataset.kind`: a toy generator, or the format of the data files.
    public enum Kind: String, Sendable, CaseIterable {
        /// `two_moons`: two interleaving half circles (scikit-learn's `make_moons`); samples `[2]`, 2 classes.
        case twoMoons = "two_moons"
        /// `circles`: two concentric circles, the inner one of radius `factor`; samples `[2]`, 2 classes.
        case circles
        /// `xor`: four Gaussian clusters at `(±1, ±1)`, classed by whether the signs agree; samples `[2]`, 2 classes.
        case xor
        /// `spirals`: interleaved spiral arms, one class per arm (`classes`); samples `[2]`.
        case spirals
        /// `sine`: regression of `y = sin x` with `x` uniform in `[−π, π)`; samples `[1]`.
        case sine
        /// `bars`: 8×8 images of one bar, classed by direction; samples `[1, 8, 8]`, 4 classes.
        case bars
        /// `shapes`: 8×8 images of a square outline, a filled square, a plus or a cross; samples `[1, 8, 8]`, 4 classes.
        case shapes
        /// `csv`: a CSV table at `path`, one sample per row, the `target` column as its target.
        case csv
        /// `npy`: NumPy arrays, the `features` and `targets` `.npy` files or arrays of an `.npz` archive at `path`.
        case npy
        /// `idx`: IDX files (MNIST's format), `images` and `labels`, and optionally `test_images` and `test_labels`.
        case idx

        /// Whether the data is read from files (else it is generated).
        public var isFile: Bool { self == .csv || self == .npy || self == .idx }
    }

    /// `dataset.task`: what the targets are.
    public enum Task: String, Sendable, CaseIterable {
        /// Class labels: class indices from 0, or names (the classes are then the sorted distinct names).
        case classification
        /// Real values, one or more per sample.
        case regression
    }

    /// `dataset.normalize`: how the features of a file dataset are normalised, per feature, with
    /// statistics of the training samples only (applied unchanged to the other samples and at inference).
    public enum Normalization: String, Sendable, CaseIterable {
        /// `none`: the features as read and scaled.
        case none
        /// `standardize`: `(x − mean) / std`, with the population standard deviation.
        case standardize
        /// `min_max`: `(x − min) / (max − min)`, which maps the training samples into `[0, 1]`.
        case minMax = "min_max"
    }

    /// `dataset.kind`: which generator or file format supplies the samples.
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
    /// `csv`: the CSV file; `npy`: an `.npz` archive holding the arrays. Relative to the experiment
    /// file's folder unless absolute.
    public var path: String?
    /// `csv`: the target column.
    public var target: String?
    /// Whether the targets are class labels or real values: `dataset.task` for `csv` and `npy`
    /// (default: classification), regression for `sine`, classification for the other kinds.
    public var task: Task
    /// `csv`: the feature columns. Default: every column but the target and the split column.
    public var features: [String]?
    /// `csv`, `npy`: reshape each sample's features to this shape (`[C, H, W]` for convolutional models).
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
    /// `idx`: the images file (`train-images-idx3-ubyte`, or `.gz`) of shape `[N, H, W]`.
    public var images: String?
    /// `idx`: the labels file (`train-labels-idx1-ubyte`, or `.gz`), one class index per image.
    public var labels: String?
    /// `idx`: the test images file (`t10k-images-idx3-ubyte`, or `.gz`): the test set, evaluated
    /// once at the end; given together with `testLabels`.
    public var testImages: String?
    /// `idx`: the test labels file (`t10k-labels-idx1-ubyte`, or `.gz`); given together with `testImages`.
    public var testLabels: String?

    /// Creates the section as given (nothing is checked); omitted arguments take the keys'
    /// defaults in experiment files.
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
    /// `model.kind`: the network the layers make, which decides the layer types allowed.
    public enum Kind: String, Sendable, CaseIterable {
        /// `mlp`: an `MLP`, of linear, activation and flatten layers.
        case mlp
        /// `micro_resnet`: a `MicroResNet`, which also takes convolution, residual and pooling layers
        /// (at least one conv2d or residual) on `C×H×W` samples.
        case microResNet = "micro_resnet"
    }

    /// `model.kind`: the network the layers make.
    public var kind: Kind
    /// `model.input_shape`: the shape of one sample, without the batch axis. Default: the dataset's.
    public var inputShape: [Int]
    /// `model.layers`, in order, with every omitted `in` resolved to the size that flows into the layer.
    public var layers: [LayerSpec]

    /// Creates the section as given (nothing is checked).
    public init(kind: Kind, inputShape: [Int], layers: [LayerSpec]) {
        self.kind = kind
        self.inputShape = inputShape
        self.layers = layers
    }
}
/// `optimizer:` — the update rule and its settings.
public struct OptimizerSection: Sendable, Equatable {
    /// `optimizer.kind`: the update rule (the formulas are on `SGD`, `Adam` and `AdamW`).
    public enum Kind: String, Sendable, CaseIterable {
        /// `sgd`: stochastic gradient descent with optional (Nesterov) momentum, as `torch.optim.SGD`.
        case sgd
        /// `adam`: Adam with the L2 weight decay `λ·p` added to the gradient, as `torch.optim.Adam`.
        case adam
        /// `adamw`: Adam with decoupled weight decay, `p ← p·(1 − lr·λ)` before the step, as `torch.optim.AdamW`.
        case adamw
    }

    /// `optimizer.kind`: the update rule. Default: `sgd`.
    public var kind: Kind
    /// `optimizer.learning_rate`: the base rate `lr₀` that the schedule scales. Default: 0.1 for
    /// sgd, 0.001 for adam and adamw.
    public var learningRate: Double
    /// `optimizer.momentum` (sgd only): the momentum coefficient μ. Default: 0.
    public var momentum: Double
    /// `optimizer.nesterov` (sgd only; needs momentum > 0): whether the momentum is Nesterov's. Default: false.
    public var nesterov: Bool
    /// `optimizer.weight_decay`: the L2 weight decay λ (decoupled for adamw). Default: 0 for sgd and
    /// adam, 0.01 for adamw.
    public var weightDecay: Double
    /// `optimizer.beta1` (adam and adamw): the decay rate β₁ of the first-moment estimate. Default: 0.9.
    public var beta1: Double
    /// `optimizer.beta2` (adam and adamw): the decay rate β₂ of the second-moment estimate. Default: 0.999.
    public var beta2: Double
    /// `optimizer.epsilon` (adam and adamw): the ε in the step's denominator `√v̂ + ε`. Default: 1e-8.
    public var epsilon: Double

    /// Creates the section as given (nothing is checked); the settings the kind does not use are ignored.
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
    /// `clipping.kind`: how the gradients are limited before each update.
    public enum Kind: String, Sendable, CaseIterable {
        /// `none`: the gradients are used as computed.
        case none
        /// `value`: each gradient is clamped to `[−threshold, threshold]`, as `torch.nn.utils.clip_grad_value_`.
        case value
        /// `norm`: all gradients are scaled by `threshold / (‖g‖ + 10⁻⁶)` when that is below 1, ‖g‖
        /// being their global L2 norm, as `torch.nn.utils.clip_grad_norm_`.
        case norm
    }

    /// `clipping.kind`: the clipping between the backward pass and the update. Default: `none`.
    public var kind: Kind
    /// The clamp for `value`, the largest global L2 norm for `norm`. Default: 1.
    public var threshold: Double

    /// Creates the section as given (nothing is checked).
    public init(kind: Kind, threshold: Double) {
        self.kind = kind
        self.threshold = threshold
    }
}

/// `schedule:` — the learning rate per epoch.
public struct ScheduleSection: Sendable, Equatable {
    /// `schedule.kind`: the learning rate after the warm-up, for the base rate `lr₀` and the epoch
    /// `e` counted from the end of the warm-up.
    public enum Kind: String, Sendable, CaseIterable {
        /// `constant`: `lr(e) = lr₀`.
        case constant
        /// `step`: `lr(e) = lr₀·gamma^⌊e / step_size⌋`.
        case step
        /// `cosine`: `lr(e) = minimum + (lr₀ − minimum)·(1 + cos(π·e/T))/2`, T being the epochs after the warm-up.
        case cosine
    }

    /// `schedule.kind`: the learning rate's course after the warm-up. Default: `constant`.
    public var kind: Kind
    /// step: epochs between decays. Default: 10.
    public var stepSize: Int
    /// step: the factor at each decay. Default: 0.1.
    public var gamma: Double
    /// cosine: the rate the cosine anneals towards (reached one epoch after the last). Default: 0.
    public var minimum: Double
    /// Epochs of linear warm-up before the schedule. Default: 0.
    public var warmupEpochs: Int

    /// Creates the section as given (nothing is checked).
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
    /// `training.epochs`: the number of passes over the training set. Default: 20.
    public var epochs: Int
    /// `training.batch_size`: samples per optimizer step; the last batch of an epoch may be smaller. Default: 16.
    public var batchSize: Int
    /// `training.shuffle`: whether each epoch visits the training samples in a fresh order, drawn
    /// from the shuffling stream. Default: true.
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

    /// Creates the section as given (nothing is checked).
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
