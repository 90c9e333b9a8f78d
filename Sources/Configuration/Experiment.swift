import Baifs

/// A loaded experiment: its resolved configuration and its data, ready to train.
///
/// `ExperimentLoader` generates the data while loading, so that checking a file also checks its
/// data: toy data is drawn from `RandomGenerator(seed: config.seed)` and then split with the same
/// generator (data first, then the split); a CSV file is read and split (by fraction, with that
/// generator, or by its split column) and normalised with statistics of the training rows. The
/// model's initialisation and the shuffling are drawn by the runner from other streams.
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
    /// Where the values of some keys are written (see `Experiment+Locations`), for errors found
    /// after loading; empty for an experiment made in code.
    package var locations: [String: ConfigLocation] = [:]

    /// Creates an experiment from a configuration and its data (`ExperimentLoader` makes these).
    public init(config: ExperimentConfig, training: Dataset, validation: Dataset, normalization: FeatureNormalization?) {
        self.config = config
        self.training = training
        self.validation = validation
        self.normalization = normalization
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
