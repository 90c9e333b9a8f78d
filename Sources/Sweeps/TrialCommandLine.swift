import Runs

/// The `baifs-run` command lines a sweep starts, written in this one place: the sweep runner, the
/// manifest's log headers and the Slurm and GNU parallel scripts all take their arguments from
/// here (a test parses every list with the real command's parser).
public struct TrialCommandLine: Equatable, Sendable {
    /// The arguments after the program's name.
    public var arguments: [String]

    /// A fresh attempt at a trial: `BASE --set KEY=VALUE … --out OUT --name NAME --quiet`.
    public static func train(base: String, overrides: [String], out: String, name: String) -> TrialCommandLine {
        TrialCommandLine(arguments: [base] + overrides.flatMap { ["--set", $0] } + ["--out", out, "--name", name, "--quiet"])
    }

    /// A trial continued from its checkpoint: `resume RUN --quiet`.
    public static func resume(run: String) -> TrialCommandLine {
        TrialCommandLine(arguments: ["resume", run, "--quiet"])
    }

    /// One trial of a sweep directory, as an array task or a parallel job runs it:
    /// `sweep-trial SWEEP TRIAL`, where `TRIAL` is an id or a 1-based number.
    public static func sweepTrial(sweep: String, trial: String) -> TrialCommandLine {
        TrialCommandLine(arguments: ["sweep-trial", sweep, trial])
    }

    /// Gathering a sweep's trials into `summary.csv`: `sweep-gather SWEEP`.
    public static func sweepGather(sweep: String) -> TrialCommandLine {
        TrialCommandLine(arguments: ["sweep-gather", sweep])
    }

    /// Whether the line continues a trial from its checkpoint.
    public var isResume: Bool { arguments.first == "resume" }

    /// The same line training on `threads` threads: `… --threads N`.
    public func threads(_ threads: Int) -> TrialCommandLine {
        TrialCommandLine(arguments: arguments + ["--threads", String(threads)])
    }

    /// The line as shell text, `program` (already shell text, such as `"$baifs_run"`) then every
    /// argument quoted; `shellVariableArgument`, if given, replaces the last argument by a
    /// double-quoted reference to that shell variable (`"$SLURM_ARRAY_TASK_ID"`).
    public func shellText(program: String, shellVariableArgument: String? = nil) -> String {
        var words = arguments.map(shellQuoted)
        if let shellVariableArgument { words[words.count - 1] = "\"$\(shellVariableArgument)\"" }
        return ([program] + words).joined(separator: " ")
    }
}
