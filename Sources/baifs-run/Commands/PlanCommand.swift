import ArgumentParser
import Autograd
import Foundation
import Inspection

/// `baifs-run plan CONFIG`: what training an experiment takes, before training it.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show per layer the output shape, parameters and graph nodes per sample, with totals, memory and time per epoch.",
        discussion: """
        Everything but the time is computed from the shapes alone, before anything is built. Graph nodes
        per sample: tape nodes, the scalar operations they stand for (as micrograd would count them; a
        dot product of n pairs is 2n − 1), and the gradient terms the backward pass adds up. The memory is
        that of the tape of one training batch plus the parameters, gradients and optimizer buffers; a
        config that needs more than --memory-limit (default: the machine's physical memory) is refused
        with exit code 1. The time per epoch is measured by timing a few training steps of the model on
        this machine, with this build and --threads threads (files written after each epoch not counted).
        """
    )

    @Argument(help: "The experiment file, such as experiments/mlp.yaml.")
    var experiment: String

    @OptionGroup var options: ExperimentOptions

    @OptionGroup var memory: MemoryLimitOptions

    @Flag(help: "Skip timing training steps (no time estimate).")
    var noTiming = false

    @OptionGroup var threadOptions: ThreadOptions

    func run() throws {
        let loaded = try loadExperiment(experiment, overrides: options.allOverrides)
        let plan = ModelPlan.measured(loaded, experimentPath: experiment)
        print(PlanTable(plan: plan, title: "\(experiment): \(loaded.config.model.networkName), \(loaded.config.loss.rawValue) loss").text)
        let (limit, source) = memory.limit
        var memoryLine = "memory: \(ModelPlan.formatBytes(plan.memoryBytes)) at the peak; training holds "
            + "\(ModelPlan.formatBytes(plan.tapeBytes)) for the graphs of one batch (\(Graph.bytesPerNode) B per node, "
            + "\(Graph.bytesPerOperand) per operand, \(Graph.bytesPerStridedDot) per strided dot, \(Graph.bytesPerConvolutionWindow) per convolution window)"
            + " + \(ModelPlan.formatBytes(plan.parameterBytes)) of parameters, gradients and optimizer buffers (twice: the checkpointed copy)"
            + " + \(ModelPlan.formatBytes(plan.processBytes)) for the process and its data = \(ModelPlan.formatBytes(plan.trainingBytes))"
        if plan.initialCheckpointFileBytes > 0 {
            memoryLine += "; reading init_from (\(ModelPlan.formatBytes(plan.initialCheckpointFileBytes))) takes \(ModelPlan.formatBytes(plan.checkpointReadingBytes))"
        }
        print(memoryLine + "; the limit is \(ModelPlan.formatBytes(limit)) (\(source))")
        try memory.check(plan, of: loaded, file: experiment)
        guard !noTiming, plan.trainingSamples > 0 else { return }
        let timing = StepTiming.measure(loaded, plan: plan, threads: threadOptions.threads)
        let epoch = timing.epochSeconds(plan)
        let epochs = loaded.config.training.epochs
        print("time: about \(Self.duration(epoch)) per epoch (\(plan.stepsPerEpoch) steps of \(plan.batchSize)"
              + (plan.validationSamples > 0 ? ", then \(plan.validationSamples) validation samples" : "")
              + "), \(Self.duration(epoch * Double(epochs))) for \(epochs) epoch\(epochs == 1 ? "" : "s");"
              + " timed on this machine with this build and \(threadOptions.threads) thread\(threadOptions.threads == 1 ? "" : "s"):"
              + " \(Self.duration(timing.trainingSecondsPerSample * Double(timing.batchSize))) per step of \(timing.batchSize)")
    }

    /// `850 µs`, `12.3 ms`, `4.56 s`, `3 min 20 s`.
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(format: "%.0f µs", seconds * 1e6)
        case ..<1: String(format: "%.3g ms", seconds * 1e3)
        case ..<120: String(format: "%.3g s", seconds)
        default: String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
        }
    }
}
