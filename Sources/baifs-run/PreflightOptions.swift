import Baifs
import ArgumentParser
import Configuration
import Inspection

/// Checks before training: that the graph fits in memory (always) and, with `--gradcheck`, that
/// every layer's gradients agree with finite differences.
struct PreflightOptions: ParsableArguments {
    @Flag(help: ArgumentHelp("Before training, check every layer's gradients against finite differences on 2 samples; a relative error above \(GradientCheck.threshold) stops with exit code 1."))
    var gradcheck = false

    @OptionGroup var memory: MemoryLimitOptions

    /// Exits 1 with a reason if `experiment` (loaded from `file`) would not fit in memory, or (with
    /// `--gradcheck`) if a gradient is off; prints the gradient check's table on standard error
    /// unless `quiet`.
    func check(_ experiment: Experiment, quiet: Bool, file: String) throws {
        try memory.check(ModelPlan.measured(experiment, experimentPath: file), of: experiment, file: file)
        guard gradcheck else { return }
        let check = GradientCheck(experiment: experiment)
        let failures = check.failures
        if !quiet || !failures.isEmpty {
            printError(GradientCheckTable(check: check).text)
        }
        if let worst = failures.max(by: { !($0.worstError >= $1.worstError) }) {
            printError(experiment.error(at: "model", file: file, "gradient check failed: \(worst.name) (\(worst.type)) has a relative error of \(GradientCheckTable.format(worst.worstError)) at \(worst.worstAt), above \(GradientCheck.threshold); nothing was trained").description)
            throw ExitCode.inputOrRunFailure
        }
    }
}
