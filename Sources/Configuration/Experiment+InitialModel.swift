import Baifs

extension Experiment {
    /// Builds the model with the initial parameters a run of this experiment starts from (drawn
    /// from the seed's initialisation stream, as `Runner` draws them).
    public func makeInitialModel() -> any Module {
        var generator = RandomStream.initialization.generator(seed: config.seed)
        return makeModel(generator: &generator)
    }
}
