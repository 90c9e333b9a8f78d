import Autograd

/// What the solver reports while it trains.
public enum SolverEvent: Sendable {
    /// A batch was trained on: its 1-based epoch, its index among the epoch's `batches`, its loss.
    case stepEnded(epoch: Int, batch: Int, batches: Int, loss: Double)
    /// An epoch ended, with its metrics and whether it is the best so far by the monitored metric.
    case epochEnded(EpochMetrics, isBest: Bool)
}

/// What the listener wants after an event.
public enum SolverDecision: Sendable {
    /// Go on training.
    case proceed
    /// Stop after this step or epoch, leaving a state from which training can resume exactly.
    case stop
}

/// How a call to `train` ended.
public enum TrainingOutcome: Sendable, Equatable {
    /// Every epoch was trained.
    case completed
    /// The monitored metric stopped improving.
    case stoppedEarly
    /// The listener asked to stop; `state` allows resuming.
    case interrupted
}

/// The training loop: epochs of seeded mini-batches, forward, loss, backward, clipping, update,
/// validation after every epoch, best-epoch tracking and early stopping.
///
/// Each step runs the batch through `BatchGradients` (fixed chunks, fresh graphs in reused memory,
/// optionally on several threads, bit-identical whatever their number). The solver does no file I/O: it reports
/// events, and its `state` (with the model's parameters) is all a checkpoint needs.
public final class Solver {
    /// The model whose parameters are trained.
    public let model: any Module
    /// The loss minimised.
    public let loss: Loss
    /// The update rule; its learning rate is set from `schedule` before each epoch.
    public var optimizer: any Optimizer
    /// The clipping applied to the gradients before each update.
    public let clipping: GradientClipping
    /// The learning rate of each epoch, as a multiple of the optimizer's base rate.
    public let schedule: LearningRateSchedule
    /// The learning rate the schedule scales.
    public let baseLearningRate: Double
    /// Epochs, batch size, shuffling, the monitored metric and early stopping.
    public let configuration: TrainingConfiguration
    /// Where training stands; save it with the parameters to resume.
    public private(set) var state: SolverState
    /// The chunked, data-parallel forward and backward; its `threads` can change between calls.
    public let batchGradients: BatchGradients

    /// Creates a solver whose shuffling draws from `generator`.
    public init(model: any Module, loss: Loss, optimizer: any Optimizer, clipping: GradientClipping = .none,
                schedule: LearningRateSchedule = LearningRateSchedule(), configuration: TrainingConfiguration,
                generator: RandomGenerator, threads: Int = 1) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.clipping = clipping
        self.schedule = schedule
        self.baseLearningRate = optimizer.learningRate
        self.configuration = configuration
        self.state = SolverState(generator: generator, optimizer: optimizer.state)
        self.batchGradients = BatchGradients(model: model, loss: loss, threads: threads)
    }

    /// Continues from a saved state (the model's parameters must be restored separately).
    public func restore(_ saved: SolverState) throws {
        try optimizer.restore(saved.optimizer, parameters: model.parameters)
        state = saved
    }

    /// The best epoch's metrics so far, by the monitored metric.
    public var bestMetrics: EpochMetrics? {
        state.bestEpoch.flatMap { epoch in state.history.first { $0.epoch == epoch } }
    }

    /// Trains until every epoch is done, early stopping ends it, or `onEvent` asks to stop.
    public func train(training: Dataset, validation: Dataset?,
                      onEvent: (SolverEvent) -> SolverDecision = { _ in .proceed }) throws(TrainingError) -> TrainingOutcome {
        try checkCompatible(training, validation)
        let parameters = model.parameters
        let batchSize = configuration.batchSize
        let batches = (training.count + batchSize - 1) / batchSize
        while state.completedEpochs < configuration.epochs {
            // Also a resumed run that had already met its early-stopping condition trains no further.
            if isStoppingEarly { return .stoppedEarly }
            let epoch = state.completedEpochs + 1
            // 1. The epoch's order: drawn from the generator as it was when the epoch began.
            if state.batchesDoneInEpoch == 0 { state.epochGenerator = state.generator }
            var generator = state.epochGenerator ?? state.generator
            let order = configuration.shuffle ? generator.permutation(training.count) : Array(0..<training.count)
            state.generator = generator
            let learningRate = schedule.learningRate(epoch: epoch - 1, base: baseLearningRate)
            optimizer.learningRate = learningRate

            // 2. Its batches, from where a resumed run left off.
            while state.batchesDoneInEpoch < batches {
                let batch = state.batchesDoneInEpoch
                let indices = Array(order[(batch * batchSize)..<min(training.count, (batch + 1) * batchSize)])
                let batchLoss = try trainStep(on: training.subset(indices), parameters: parameters, epoch: epoch)
                state.batchesDoneInEpoch += 1
                if onEvent(.stepEnded(epoch: epoch, batch: batch + 1, batches: batches, loss: batchLoss)) == .stop,
                   state.batchesDoneInEpoch < batches {
                    state.optimizer = optimizer.state
                    return .interrupted
                }
            }

            // 3. Validation, metrics, best epoch, early stopping.
            let progress = state.epochProgress
            var metrics = EpochMetrics(
                epoch: epoch, step: state.step, trainLoss: progress.lossSum / Double(max(1, progress.samples)),
                trainAccuracy: training.isClassification ? Double(progress.correct) / Double(max(1, progress.samples)) : nil,
                validationLoss: nil, validationAccuracy: nil, learningRate: learningRate,
                gradientNorm: progress.gradientNormSum / Double(max(1, progress.steps)))
            if let validation, validation.count > 0 {
                let evaluation = evaluate(validation)
                metrics.validationLoss = evaluation.loss
                metrics.validationAccuracy = evaluation.accuracy
            }
            let isBest = recordBest(metrics)
            state.history.append(metrics)
            state.completedEpochs = epoch
            state.batchesDoneInEpoch = 0
            state.epochGenerator = nil
            state.epochProgress = EpochProgress()
            state.optimizer = optimizer.state
            if onEvent(.epochEnded(metrics, isBest: isBest)) == .stop && state.completedEpochs < configuration.epochs
                && !isStoppingEarly {
                return .interrupted
            }
        }
        return .completed
    }

    /// Whether the monitored metric has gone `patience` epochs without improving.
    public var isStoppingEarly: Bool {
        guard let earlyStopping = configuration.earlyStopping else { return false }
        return state.epochsWithoutImprovement >= earlyStopping.patience
    }

    /// The mean loss per sample over `dataset` and, for classification, the fraction classified
    /// correctly. Samples are taken `batchSize` at a time; losses are summed per chunk, then divided
    /// by the count. (For a summed loss, a sample's loss is the sum over its outputs.)
    public func evaluate(_ dataset: Dataset) -> (loss: Double, accuracy: Double?) {
        var lossSum = 0.0, correct = 0
        var start = 0
        while start < dataset.count {
            let indices = Array(start..<min(dataset.count, start + configuration.batchSize))
            let result = batchGradients.compute(dataset.subset(indices), samples: 1, differentiate: false)
            lossSum += result.loss
            correct += result.correct
            start += indices.count
        }
        let count = Double(max(1, dataset.count))
        return (lossSum / count, dataset.isClassification ? Double(correct) / count : nil)
    }

    /// One optimizer step on `batch`; returns the batch's loss before the update.
    private func trainStep(on batch: Dataset, parameters: [Parameter], epoch: Int) throws(TrainingError) -> Double {
        let result = batchGradients.compute(batch, differentiate: true)
        guard result.loss.isFinite else { throw .nonFiniteLoss(epoch: epoch, step: state.step + 1, value: result.loss) }
        let norm = clipping.apply(to: parameters, blocks: batchGradients.elementBlocks)
        guard norm.isFinite else { throw .nonFiniteGradient(epoch: epoch, step: state.step + 1) }
        optimizer.update(parameters, blocks: batchGradients.elementBlocks)
        state.step += 1
        state.epochProgress.lossSum += loss.batchTotal(result.loss, count: batch.count)
        state.epochProgress.samples += batch.count
        state.epochProgress.correct += result.correct
        state.epochProgress.gradientNormSum += norm
        state.epochProgress.steps += 1
        return result.loss
    }

    /// Updates the best epoch with `metrics`; returns whether it is the new best.
    private func recordBest(_ metrics: EpochMetrics) -> Bool {
        let monitor = configuration.monitor
        guard let value = metrics.value(of: monitor) else { return false }
        let delta = configuration.earlyStopping?.minimumDelta ?? 0
        let improved: Bool
        if let best = state.bestValue {
            improved = monitor.isMinimized ? value < best - delta : value > best + delta
        } else {
            improved = true
        }
        if improved {
            state.bestValue = value
            state.bestEpoch = metrics.epoch
            state.epochsWithoutImprovement = 0
        } else {
            state.epochsWithoutImprovement += 1
        }
        return improved
    }

    private func checkCompatible(_ training: Dataset, _ validation: Dataset?) throws(TrainingError) {
        guard training.count > 0 else { throw .incompatibleData("the training set is empty.") }
        if let validation, validation.sampleShape != training.sampleShape {
            throw .incompatibleData("validation samples have shape \(validation.sampleShape) but training samples \(training.sampleShape).")
        }
        if loss == .crossEntropy && !training.isClassification {
            throw .incompatibleData("cross-entropy needs class labels; this dataset has real-valued targets. Use mse.")
        }
        if [.trainAccuracy, .validationAccuracy].contains(configuration.monitor) && !training.isClassification {
            throw .incompatibleData("\(configuration.monitor.rawValue) needs a classification task.")
        }
        if [.validationLoss, .validationAccuracy].contains(configuration.monitor) && (validation?.count ?? 0) == 0 {
            throw .incompatibleData("monitoring \(configuration.monitor.rawValue) needs a validation set.")
        }
    }
}
