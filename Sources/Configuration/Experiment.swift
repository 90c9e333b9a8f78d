import Baifs

/// A loaded experiment: its resolved configuration and its data, ready to train.
///
/// `ExperimentLoader` generates the data while loading, so that checking a file also checks its
/// data: toy data is drawn from the seed's data stream and then split with the same generator
/// (data first, then the split); data files are read, split (by fractions, with that generator, by
/// a CSV's split column, or by IDX test files), scaled and normalised with statistics of the
/// training samples. The model's initialisation and the shuffling are drawn by the runner from
/// other streams.
public struct Experiment: Sendable {
    /// The validated configuration, every default filled in.
    public var config: ExperimentConfig
    /// The training samples.
    public var training: Dataset
    /// The validation samples; empty (zero samples) with a validation fraction of 0, or a split
    /// column without validation rows.
    public var validation: Dataset
    /// The feature normalisation fitted on the training rows of a CSV dataset (to apply to inputs
    /// at inference); `nil` for toy data, which is used as generated.
    public var normalization: FeatureNormalization?
    /// The test samples, evaluated once at the end of training; `nil` without a test split.
    public var test: Dataset?
    /// The classes of a classification task (names or indices); `nil` for regression.
    public var classes: ClassList?
    /// The factor features were multiplied by before normalisation (1 for toy data).
    public var scale: Double
    /// The feature columns of a CSV dataset, in the order of each sample's values; `nil` otherwise.
    public var featureColumns: [String]?
    /// The parameters `init_from` names, read and checked against the model; `nil` without `init_from`.
    public var initialParameters: ParameterSet?
    /// Where the values of some keys are written (see `Experiment+Locations`), for errors found
    /// after loading; empty for an experiment made in code.
    package var locations: [String: ConfigLocation] = [:]

    /// Creates an experiment from a configuration and its data (`ExperimentLoader` makes these).
    public init(config: ExperimentConfig, training: Dataset, validation: Dataset, normalization: FeatureNormalization?,
                test: Dataset? = nil, classes: ClassList? = nil, scale: Double = 1, featureColumns: [String]? = nil,
                initialParameters: ParameterSet? = nil) {
        self.config = config
        self.training = training
        self.validation = validation
        self.normalization = normalization
        self.test = test
        // Not `classes ?? training.classCount.map { … }`: that autoclosure over a parameter crashes
        // Swift 6.3.1's ownership verifier in release builds ("Found ownership error").
        if let classes {
            self.classes = classes
        } else if let count = training.classCount {
            self.classes = .indices(count: count)
        } else {
            self.classes = nil
        }
        self.scale = scale
        self.featureColumns = featureColumns
        self.initialParameters = initialParameters
    }

    /// Builds the configured network, an `MLP` or a `MicroResNet` made of the configured layers,
    /// drawing every layer's initial parameters from `generator` in layer order.
    public func makeModel(generator: inout RandomGenerator) -> any Module {
        config.model.makeNetwork(generator: &generator)
    }
}

extension ModelSection {
    /// The network's name as printed: `MLP` or `MicroResNet`.
    public var networkName: String {
        switch kind {
        case .mlp: "MLP"
        case .microResNet: "MicroResNet"
        }
    }

    /// Builds the network, drawing every layer's initial parameters from `generator` in layer order.
    public func makeNetwork(generator: inout RandomGenerator) -> Network {
        var modules = [any Module]()
        for layer in layers { modules.append(layer.makeModule(generator: &generator)) }
        switch kind {
        case .mlp: return MLP(layers: modules)
        case .microResNet: return MicroResNet(layers: modules)
        }
    }
}
