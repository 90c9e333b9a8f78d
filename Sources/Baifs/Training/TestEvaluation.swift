/// A model's loss and accuracy on a set of samples.
public struct Evaluation: Sendable, Equatable, Codable {
    /// The mean loss per sample (see `Solver.evaluate(_:)`).
    public var loss: Double
    /// The fraction of samples classified correctly; `nil` for regression.
    public var accuracy: Double?

    /// Creates the evaluation: the mean loss and, for classification, the accuracy.
    public init(loss: Double, accuracy: Double?) {
        self.loss = loss
        self.accuracy = accuracy
    }
}

/// The test set's evaluation at the end of training, with the final parameters and with those of
/// the best epoch.
public struct TestEvaluation: Sendable, Equatable, Codable {
    /// With the parameters training ended with.
    public var final: Evaluation
    /// With the parameters of the best epoch by the monitored metric; `nil` if there was none.
    public var best: Evaluation?

    /// Creates the evaluation with the final and the best parameters.
    public init(final: Evaluation, best: Evaluation?) {
        self.final = final
        self.best = best
    }
}

extension Solver {
    /// Evaluates `test` once with the model's current parameters and once with `bestParameters`
    /// (the values of every parameter in `model.parameters` order, as saved at the best epoch),
    /// then restores the current parameters. It changes nothing that training, the choice of the
    /// best epoch or early stopping depend on.
    ///
    /// - Precondition: `bestParameters`, if given, has one array per parameter, of its size.
    public func evaluateTest(_ test: Dataset, bestParameters: [[Double]]?) -> TestEvaluation {
        let final = evaluate(test)
        guard let bestParameters else {
            return TestEvaluation(final: Evaluation(loss: final.loss, accuracy: final.accuracy), best: nil)
        }
        let parameters = model.parameters
        precondition(bestParameters.count == parameters.count && zip(parameters, bestParameters).allSatisfy { $0.count == $1.count },
                     "The best parameters must match the model's: \(parameters.count) arrays of their sizes.")
        let current = parameters.map(\.values)
        for (parameter, values) in zip(parameters, bestParameters) { parameter.values = values }
        let best = evaluate(test)
        for (parameter, values) in zip(parameters, current) { parameter.values = values }
        return TestEvaluation(final: Evaluation(loss: final.loss, accuracy: final.accuracy),
                              best: Evaluation(loss: best.loss, accuracy: best.accuracy))
    }
}
