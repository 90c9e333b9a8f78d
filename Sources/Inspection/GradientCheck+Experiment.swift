import Baifs
import Configuration

extension GradientCheck {
    /// Checks every layer of `experiment`'s model, built from its seed, and its loss.
    ///
    /// - Parameters:
    ///   - experiment: The experiment whose model and loss are checked.
    ///   - samples: The number of training samples to check on (the first ones).
    ///   - valuesPerTensor: At most this many values of each parameter and of each layer's input
    ///     are checked, chosen at random (seeded) when there are more.
    public init(experiment: Experiment, samples: Int = 2, valuesPerTensor: Int = 32) {
        let model = experiment.makeInitialModel()
        let batch = experiment.training.subset(Array(0..<min(samples, experiment.training.count)))
        let types = experiment.config.model.layers.map(\.type.rawValue)
        let layers = GraphTrace.layers(of: model).enumerated().map { index, layer in
            (name: layer.name, type: index < types.count ? types[index] : layer.module.summary, module: layer.module)
        }
        self.init(layers: layers, loss: experiment.config.loss, samples: batch, valuesPerTensor: valuesPerTensor,
                  seed: experiment.config.seed)
    }
}
