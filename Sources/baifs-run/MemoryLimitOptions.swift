import ArgumentParser
import Baifs
import Configuration
import Inspection

/// The memory a config may need, and the check that refuses one that needs more.
struct MemoryLimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Refuse configs that need more than this at their peak (such as 512M, 8G; default: the physical memory).",
                               valueName: "bytes"))
    var memoryLimit: String?

    func validate() throws {
        if let memoryLimit, ModelPlan.parseByteCount(memoryLimit) == nil {
            throw ValidationError("--memory-limit needs a size such as 512M, 8G or 1000000; got \(Excerpt.quoted(memoryLimit)).")
        }
    }

    /// The limit in bytes and where it comes from.
    var limit: (bytes: UInt64, source: String) {
        if let memoryLimit, let bytes = ModelPlan.parseByteCount(memoryLimit) { return (bytes, "--memory-limit") }
        return (ModelPlan.physicalMemory, "physical memory")
    }

    /// Exits 1 with a one-line reason if `plan`, the plan of `experiment` (loaded from `file`),
    /// needs more memory than the limit: located at `training.batch_size` (at `model` when the
    /// batch size is the default), the settings that decide the memory. `needed` is what the
    /// command holds at its peak, if not `plan.memoryBytes` (`graph`).
    func check(_ plan: ModelPlan, of experiment: Experiment, file: String, needed: Int? = nil) throws {
        if let problem = problem(plan, of: experiment, file: file, needed: needed) {
            printError(problem.description)
            throw ExitCode.inputOrRunFailure
        }
    }

    /// The reason `plan` does not fit in the limit, located as `check` prints it, or `nil`.
    func problem(_ plan: ModelPlan, of experiment: Experiment, file: String, needed: Int? = nil) -> ConfigError? {
        do {
            try plan.checkMemory(limit: limit.bytes, limitSource: limit.source, needed: needed)
            return nil
        } catch {
            return experiment.error(at: "training.batch_size", orAt: "model", file: file, error.description)
        }
    }
}
