import Autograd
import Baifs
import Configuration
import Foundation

/// How long an experiment's model takes per sample on this machine and with this build, measured
/// by timing the solver's steps: for training, forward pass, loss and backward pass of the batch's
/// chunks (`BatchGradients`), gradient clipping and the optimizer's update; for validation,
/// forward pass and loss. Files written after each epoch are not counted.
///
/// The model is built fresh from the config's seed and the steps run on the first training
/// samples, so that nothing of a run is touched.
public struct StepTiming: Sendable {
    /// Seconds of training per sample.
    public var trainingSecondsPerSample: Double
    /// Seconds of evaluation per sample.
    public var evaluationSecondsPerSample: Double
    /// The samples of the timed batch.
    public var batchSize: Int

    /// Times training and evaluation steps of `experiment` for about `budget` seconds in all.
    ///
    /// - Parameters:
    ///   - experiment: The experiment, with at least one training sample.
    ///   - plan: Its plan, to keep the timed batch's graph under `maximumNodes` nodes.
    ///   - threads: The threads training may use (as `baifs-run --threads`).
    ///   - budget: Seconds to spend timing (after one warm-up step of each kind).
    ///   - maximumNodes: The most graph nodes the timed batch may have.
    public static func measure(_ experiment: Experiment, plan: ModelPlan, threads: Int, budget: Double = 0.2,
                               maximumNodes: Int = 1_000_000) -> StepTiming {
        let config = experiment.config
        let perSample = max(1, plan.total.perSample.tapeNodes)
        let batchSize = max(1, min(plan.batchSize, maximumNodes / perSample))
        let batch = experiment.training.subset(Array(0..<min(batchSize, experiment.training.count)))
        let model = experiment.makeInitialModel()
        let parameters = model.parameters
        var optimizer = config.optimizer.makeOptimizer()
        let clipping = config.clipping.gradientClipping
        // The solver's own step: chunks of the batch on their own graphs, on up to `threads` threads.
        let gradients = BatchGradients(model: model, loss: config.loss, threads: threads)

        func trainingStep() {
            _ = gradients.compute(batch, differentiate: true)
            _ = clipping.apply(to: parameters, blocks: gradients.elementBlocks)
            optimizer.update(parameters, blocks: gradients.elementBlocks)
        }
        func evaluationStep() {
            _ = gradients.compute(batch, differentiate: false)
        }
        let training = secondsPerRepetition(trainingStep, budget: budget / 2)
        let evaluation = secondsPerRepetition(evaluationStep, budget: budget / 2)
        return StepTiming(trainingSecondsPerSample: training / Double(batch.count),
                          evaluationSecondsPerSample: evaluation / Double(batch.count), batchSize: batch.count)
    }

    /// Seconds for one epoch of `plan`: every training sample trained on, every validation sample evaluated.
    public func epochSeconds(_ plan: ModelPlan) -> Double {
        trainingSecondsPerSample * Double(plan.trainingSamples) + evaluationSecondsPerSample * Double(plan.validationSamples)
    }

    /// The median time of `body` over repetitions that fill `budget` seconds (at least three),
    /// after one warm-up run.
    private static func secondsPerRepetition(_ body: () -> Void, budget: Double) -> Double {
        body()
        var times: [Double] = []
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(budget))
        repeat {
            let start = clock.now
            body()
            let elapsed = start.duration(to: clock.now)
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        } while times.count < 3 || clock.now < deadline
        return times.sorted()[times.count / 2]
    }
}
