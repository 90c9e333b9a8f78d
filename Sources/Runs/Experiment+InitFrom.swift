import Autograd
import Baifs
import Configuration

extension Experiment {
    /// Copies the parameters of the checkpoint named by `init_from` into `model`, matching them by
    /// name and shape; does nothing if the config names none.
    ///
    /// - Parameters:
    ///   - model: The experiment's model, as `makeModel` builds it.
    ///   - experimentPath: The experiment file's path: a relative `init_from` is relative to its
    ///     folder, and errors are reported in it.
    /// - Throws: `ConfigErrors` with one error, located at `init_from`'s value, if the checkpoint
    ///   cannot be read or does not fit the model.
    public func loadInitFrom(into model: any Module, experimentPath: String) throws(ConfigErrors) {
        guard config.initFrom != nil else { return }
        let checkpoint = try readInitFrom(experimentPath: experimentPath)
        try load(checkpoint, into: model, experimentPath: experimentPath)
    }

    /// Checks that the checkpoint named by `init_from` can initialise this experiment's model,
    /// as `loadInitFrom(into:experimentPath:)` will, without training: reads it, and loads it into
    /// a model built for the purpose, unless the model has more parameters than the checkpoint
    /// holds values (then it cannot fit, and is not built).
    ///
    /// - Throws: `ConfigErrors` with one error, located at `init_from`'s value.
    public func checkInitFrom(experimentPath: String) throws(ConfigErrors) {
        guard config.initFrom != nil else { return }
        let checkpoint = try readInitFrom(experimentPath: experimentPath)
        let held = checkpoint.parameters.map(\.values.count).saturatingSum
        let needed = config.model.parameterCount
        guard needed <= held else {
            throw initFromError("\(initFromPath(experimentPath)) holds \(held) parameter values, fewer than the \(needed) of this model; it cannot initialise it",
                                experimentPath: experimentPath)
        }
        try load(checkpoint, into: makeInitialModel(), experimentPath: experimentPath)
    }

    private func initFromPath(_ experimentPath: String) -> String {
        ExperimentLoader.resolve(dataPath: config.initFrom ?? "", relativeTo: experimentPath)
    }

    private func readInitFrom(experimentPath: String) throws(ConfigErrors) -> Checkpoint {
        do {
            return try Checkpoint.read(contentsOf: initFromPath(experimentPath))
        } catch {
            throw initFromError(error.message, experimentPath: experimentPath)
        }
    }

    private func load(_ checkpoint: Checkpoint, into model: any Module, experimentPath: String) throws(ConfigErrors) {
        do {
            try checkpoint.load(into: model)
        } catch {
            throw initFromError("\(initFromPath(experimentPath)): \(error.message)", experimentPath: experimentPath)
        }
    }

    /// `message` (without its final period) located at `init_from`'s value.
    private func initFromError(_ message: String, experimentPath: String) -> ConfigErrors {
        let sentence = message.hasSuffix(".") ? String(message.dropLast()) : message
        return ConfigErrors([error(at: "init_from", file: experimentPath, sentence)])
    }
}
