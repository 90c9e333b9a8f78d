import ArgumentParser
@testable import baifs_run
import Sweeps
import Testing

/// Every command line a sweep writes parses with the real `baifs-run` parser into the subcommand
/// and options it means, so that a trial never fails on its own arguments.
struct TrialCommandLineTests {
    @Test func freshAttemptParsesAsARunWithEveryOverride() throws {
        let line = TrialCommandLine.train(base: "experiments/mlp.yaml",
                                          overrides: ["optimizer.learning_rate=0.1", "model.layers.0.out=32", "name=a b"],
                                          out: "runs/sweep mlp/trials", name: "trial-0003").threads(2)
        let command = try #require(try BaifsRun.parseAsRoot(line.arguments) as? RunCommand)
        #expect(command.experimentArgument == "experiments/mlp.yaml")
        #expect(command.options.overrides == ["optimizer.learning_rate=0.1", "model.layers.0.out=32", "name=a b"])
        #expect(command.out == "runs/sweep mlp/trials")
        #expect(command.options.name == "trial-0003")
        #expect(command.quiet)
        #expect(command.threadOptions.threads == 2)
        #expect(!line.isResume)
    }

    @Test func resumeParsesAsAResume() throws {
        let line = TrialCommandLine.resume(run: "runs/sweep/trials/trial-0001").threads(1)
        let command = try #require(try BaifsRun.parseAsRoot(line.arguments) as? ResumeCommand)
        #expect(command.runDirectory == "runs/sweep/trials/trial-0001")
        #expect(command.quiet)
        #expect(line.isResume)
    }

    @Test func sweepTrialAndGatherParse() throws {
        let trial = try #require(try BaifsRun.parseAsRoot(TrialCommandLine.sweepTrial(sweep: "runs/s", trial: "7").arguments)
                                 as? SweepTrialCommand)
        #expect((trial.sweepDirectory, trial.trial) == ("runs/s", "7"))
        let gather = try #require(try BaifsRun.parseAsRoot(TrialCommandLine.sweepGather(sweep: "runs/s").arguments)
                                  as? SweepGatherCommand)
        #expect(gather.sweepDirectory == "runs/s")
    }

    @Test func shellTextQuotesEveryArgumentAndExpandsOnlyTheNamedVariable() {
        let line = TrialCommandLine.sweepTrial(sweep: "runs/it's here", trial: "")
        #expect(line.shellText(program: "\"$baifs_run\"", shellVariableArgument: "SLURM_ARRAY_TASK_ID")
                == #""$baifs_run" sweep-trial 'runs/it'\''s here' "$SLURM_ARRAY_TASK_ID""#)
        #expect(TrialCommandLine.sweepGather(sweep: "$HOME").shellText(program: "baifs-run") == "baifs-run sweep-gather '$HOME'")
    }
}
