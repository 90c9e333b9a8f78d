import Foundation
import Autograd
import Baifs
import TestSupport
import Testing

struct SolverTests {
    /// The original's MLP (2→16→16→1, tanh) with MSE on ±1 targets, trained on two moons.
    func trainMoons(seed: UInt64, epochs: Int = 40) throws -> (solver: Solver, model: MLP, validation: Dataset) {
        var generator = RandomGenerator(seed: seed)
        let data = Dataset.twoMoons(count: 300, noise: 0.1, generator: &generator)
        let (training, validation) = data.split(validationFraction: 0.25, generator: &generator)
        let model = MLP(sizes: [2, 16, 16, 1], activation: .tanh, generator: &generator)
        let solver = Solver(model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 0.05, momentum: 0.9),
                            configuration: TrainingConfiguration(epochs: epochs, batchSize: 16, monitor: .validationAccuracy),
                            generator: generator)
        _ = try solver.train(training: training, validation: validation)
        return (solver, model, validation)
    }

    @Test func mlpLearnsTwoMoonsToAtLeast97Percent() throws {
        let (solver, model, validation) = try trainMoons(seed: 7)
        let accuracy = try #require(solver.state.history.last?.validationAccuracy)
        #expect(accuracy >= 0.97)
        // The solver's accuracy agrees with batch prediction.
        guard case .classes(let labels, _) = validation.targets else { Issue.record("moons are a classification task"); return }
        let predicted = predictClasses(model, dataset: validation)
        #expect(Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count) == accuracy)
    }

    @Test func microResNetLearnsBarsToAtLeast95Percent() throws {
        var generator = RandomGenerator(seed: 3)
        let data = Dataset.bars(count: 400, generator: &generator)
        let (training, validation) = data.split(validationFraction: 0.25, generator: &generator)
        let model = MicroResNet(inputShape: [1, 8, 8], stemChannels: 4, blockChannels: [4], reduction: .flatten,
                                outputs: data.classCount!, generator: &generator)
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.01),
                            configuration: TrainingConfiguration(epochs: 8, batchSize: 16, monitor: .validationAccuracy),
                            generator: generator)
        _ = try solver.train(training: training, validation: validation)
        let accuracy = try #require(solver.bestMetrics?.validationAccuracy)
        #expect(accuracy >= 0.95)
    }

    @Test func sameSeedGivesBitIdenticalParametersAndDifferentSeedDoesNot() throws {
        let first = try trainMoons(seed: 11, epochs: 3).model.parameters.map(\.values)
        let second = try trainMoons(seed: 11, epochs: 3).model.parameters.map(\.values)
        let other = try trainMoons(seed: 12, epochs: 3).model.parameters.map(\.values)
        #expect(first.map { $0.map(\.bitPattern) } == second.map { $0.map(\.bitPattern) })
        #expect(first != other)
    }

    @Test func resumingFromAnInterruptionEndsBitIdentical() throws {
        func makeSolver() -> (Solver, MLP, Dataset, Dataset) {
            var generator = RandomGenerator(seed: 5)
            let data = Dataset.twoMoons(count: 100, noise: 0.1, generator: &generator)
            let (training, validation) = data.split(validationFraction: 0.2, generator: &generator)
            let model = MLP(sizes: [2, 8, 1], activation: .tanh, generator: &generator)
            let solver = Solver(model: model, loss: .meanSquaredError, optimizer: Adam(learningRate: 0.01),
                                clipping: .byNorm(1), schedule: .cosineAnnealing(totalEpochs: 4),
                                configuration: TrainingConfiguration(epochs: 4, batchSize: 8), generator: generator)
            return (solver, model, training, validation)
        }
        let (straight, straightModel, training, validation) = makeSolver()
        #expect(try straight.train(training: training, validation: validation) == .completed)

        // Interrupt in the middle of epoch 2, then carry the parameters and state into a fresh solver.
        let (interrupted, interruptedModel, _, _) = makeSolver()
        var steps = 0
        let outcome = try interrupted.train(training: training, validation: validation) { event in
            if case .stepEnded = event { steps += 1 }
            return steps == 14 ? .stop : .proceed
        }
        #expect(outcome == .interrupted)
        #expect(interrupted.state.batchesDoneInEpoch == 4)
        let (resumed, resumedModel, _, _) = makeSolver()
        for (target, source) in zip(resumedModel.parameters, interruptedModel.parameters) { target.values = source.values }
        try resumed.restore(interrupted.state)
        #expect(try resumed.train(training: training, validation: validation) == .completed)

        #expect(resumedModel.parameters.map { $0.values.map(\.bitPattern) } == straightModel.parameters.map { $0.values.map(\.bitPattern) })
        #expect(resumed.state == straight.state)
    }

    @Test func nonFiniteLossStopsTrainingWithAClearError() {
        var generator = RandomGenerator(seed: 1)
        let data = Dataset.sine(count: 32, generator: &generator)
        let model = MLP(sizes: [1, 8, 1], activation: .relu, generator: &generator)
        let solver = Solver(model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 1e6),
                            configuration: TrainingConfiguration(epochs: 20, batchSize: 8, monitor: .trainLoss), generator: generator)
        #expect {
            try solver.train(training: data, validation: nil)
        } throws: { error in
            // A huge step makes the gradients or the loss overflow first; either stops training.
            guard let error = error as? TrainingError else { return false }
            switch error {
            case .nonFiniteLoss, .nonFiniteGradient: return error.description.contains("training stopped. Lower the learning rate")
            case .incompatibleData: return false
            }
        }
    }

    @Test func earlyStoppingEndsWhenTheMonitoredMetricStalls() throws {
        var generator = RandomGenerator(seed: 2)
        let data = Dataset.sine(count: 40, generator: &generator)
        let (training, validation) = data.split(validationFraction: 0.25, generator: &generator)
        let model = MLP(sizes: [1, 4, 1], generator: &generator)
        // A learning rate of 0 never improves after the first epoch.
        let solver = Solver(model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 0),
                            configuration: TrainingConfiguration(epochs: 50, batchSize: 8, earlyStopping: EarlyStopping(patience: 3)),
                            generator: generator)
        #expect(try solver.train(training: training, validation: validation) == .stoppedEarly)
        #expect(solver.state.completedEpochs == 4)
        #expect(solver.bestMetrics?.epoch == 1)
    }

    @Test func unshuffledTrainingVisitsSamplesInOrder() throws {
        var generator = RandomGenerator(seed: 2)
        let data = Dataset.sine(count: 12, generator: &generator)
        let model = MLP(sizes: [1, 4, 1], generator: &generator)
        let before = generator
        let solver = Solver(model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 0.01),
                            configuration: TrainingConfiguration(epochs: 2, batchSize: 4, shuffle: false, monitor: .trainLoss),
                            generator: generator)
        _ = try solver.train(training: data, validation: nil)
        #expect(solver.state.generator == before)
        #expect(solver.state.step == 6)
    }

    @Test func reportsStepsAndEpochs() throws {
        var generator = RandomGenerator(seed: 2)
        let data = Dataset.sine(count: 10, generator: &generator)
        let model = MLP(sizes: [1, 4, 1], generator: &generator)
        let solver = Solver(model: model, loss: .meanSquaredError, optimizer: SGD(learningRate: 0.01),
                            configuration: TrainingConfiguration(epochs: 2, batchSize: 4, monitor: .trainLoss), generator: generator)
        var events: [String] = []
        _ = try solver.train(training: data, validation: nil) { event in
            switch event {
            case .stepEnded(let epoch, let batch, let batches, _): events.append("step \(epoch).\(batch)/\(batches)")
            case .epochEnded(let metrics, _): events.append("epoch \(metrics.epoch) step \(metrics.step)")
            }
            return .proceed
        }
        #expect(events == ["step 1.1/3", "step 1.2/3", "step 1.3/3", "epoch 1 step 3", "step 2.1/3", "step 2.2/3", "step 2.3/3", "epoch 2 step 6"])
    }

    @Test func csvFixtureLoadsTrainsAndPredicts() throws {
        let path = "\(Fixtures.folder)/iris-like.csv"
        var generator = RandomGenerator(seed: 4)
        let data = try CSVDataset(contentsOfFile: path, options: .init(target: .classes(column: "species"), normalization: .standardize,
                                                                       split: .column("split")), generator: &generator)
        let model = MLP(sizes: [4, 8, 3], activation: .tanh, generator: &generator)
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.05),
                            configuration: TrainingConfiguration(epochs: 30, batchSize: 8, monitor: .validationAccuracy),
                            generator: generator)
        _ = try solver.train(training: data.training, validation: data.validation)
        let accuracy = try #require(solver.state.history.last?.validationAccuracy)
        #expect(accuracy >= 0.85)
        // Inference on one (already normalised) validation row agrees with batch prediction.
        let firstRow = Array(data.validation.features[0..<4])
        let outputs = infer(model, input: firstRow, sampleShape: [4])
        #expect(outputs.count == 3)
        #expect(outputs == predict(model, features: data.validation.features, sampleShape: [4])[0])
    }

    // MARK: - Test sets and summed losses

    @Test func testEvaluationUsesFinalAndBestParametersAndChangesNothing() throws {
        var generator = RandomGenerator(seed: 21)
        let data = Dataset.twoMoons(count: 200, noise: 0.1, generator: &generator)
        let (training, validation, test) = data.split(validationFraction: 0.2, testFraction: 0.2, generator: &generator)
        let model = MLP(sizes: [2, 8, 2], activation: .tanh, generator: &generator)
        let solver = Solver(model: model, loss: .crossEntropy, optimizer: Adam(learningRate: 0.02),
                            configuration: TrainingConfiguration(epochs: 6, batchSize: 16, monitor: .validationAccuracy),
                            generator: generator)
        var bestParameters: [[Double]]?
        _ = try solver.train(training: training, validation: validation) { event in
            if case .epochEnded(_, let isBest) = event, isBest { bestParameters = model.parameters.map(\.values) }
            return .proceed
        }
        let before = model.parameters.map(\.values)
        let state = solver.state
        let result = solver.evaluateTest(test, bestParameters: bestParameters)
        #expect(model.parameters.map(\.values) == before)
        #expect(solver.state == state)
        let final = solver.evaluate(test)
        #expect(result.final == Evaluation(loss: final.loss, accuracy: final.accuracy))
        for (parameter, values) in zip(model.parameters, try #require(bestParameters)) { parameter.values = values }
        let best = solver.evaluate(test)
        #expect(result.best == Evaluation(loss: best.loss, accuracy: best.accuracy))
        #expect(solver.evaluateTest(test, bestParameters: nil).best == nil)
    }

    @Test func summedLossIsReportedPerSample() throws {
        func train(_ loss: Loss) throws -> (EpochMetrics, Double) {
            var generator = RandomGenerator(seed: 2)
            let data = Dataset.sine(count: 64, generator: &generator)
            let model = MLP(sizes: [1, 8, 1], activation: .tanh, generator: &generator)
            let solver = Solver(model: model, loss: loss, optimizer: SGD(learningRate: loss == .summedSquaredError ? 0.01 / 16 : 0.01),
                                configuration: TrainingConfiguration(epochs: 1, batchSize: 16, shuffle: false, monitor: .trainLoss),
                                generator: generator)
            _ = try solver.train(training: data, validation: nil)
            return (try #require(solver.state.history.last), solver.evaluate(data).loss)
        }
        // One output per sample, so a sample's summed loss is its squared error, which is also
        // its mean: the same data and the same steps (the sum's learning rate divided by the batch
        // size) report the same losses.
        let (mean, meanEvaluation) = try train(.meanSquaredError)
        let (sum, sumEvaluation) = try train(.summedSquaredError)
        #expect(isApproximatelyEqual(mean.trainLoss, sum.trainLoss, relative: 1e-12))
        #expect(isApproximatelyEqual(meanEvaluation, sumEvaluation, relative: 1e-12))
    }
}
