import Foundation
import Runs

/// Files that hand a sweep's trials to engines that already spread work over machines: a Slurm
/// job array, and a job list for GNU parallel. Each runs one trial per task with
/// `baifs-run sweep-trial SWEEP TRIAL`, which skips a trial that has completed, so that running
/// the same files again is a resume. Paths in them are absolute, so that they work from any
/// folder and on any host that sees the same file system.
public enum SweepScripts {
    /// The engines `--emit` writes files for.
    public enum Engine: String, Sendable, CaseIterable {
        /// `--emit slurm`: `slurm-trials.sbatch` (a job array, task N runs trial N),
        /// `slurm-gather.sbatch` (writes `summary.csv` after them) and `submit-slurm.sh`.
        case slurm
        /// `--emit parallel`: `jobs.txt`, one `baifs-run sweep-trial` line per trial for GNU parallel.
        case parallel
    }

    /// Writes the files for `engine` into `directory` and returns their paths.
    ///
    /// - Parameters:
    ///   - engine: Slurm or GNU parallel.
    ///   - directory: The sweep directory the files go into.
    ///   - name: The sweep's name, for job names.
    ///   - executable: The absolute path of `baifs-run` on the machines that run the trials.
    ///   - trialCount: The number of trials.
    ///   - jobs: The most trials to run at once (Slurm's array throttle `%N`), or `nil` for no limit.
    public static func write(_ engine: Engine, for directory: SweepDirectory, name: String, executable: String,
                             trialCount: Int, jobs: Int?) throws(RunStoreError) -> [String] {
        let sweep = URL(fileURLWithPath: directory.path).standardizedFileURL.path
        let files: [(String, String)]
        switch engine {
        case .slurm:
            files = [
                ("slurm-trials.sbatch", slurmTrials(sweep: sweep, name: name, executable: executable, trialCount: trialCount, jobs: jobs)),
                ("slurm-gather.sbatch", slurmGather(sweep: sweep, name: name, executable: executable)),
                ("submit-slurm.sh", slurmSubmit()),
            ]
        case .parallel:
            files = [("jobs.txt", parallelJobs(sweep: sweep, executable: executable, trialCount: trialCount))]
        }
        var written: [String] = []
        for (fileName, text) in files {
            let path = directory.file(fileName)
            try directory.write(text, to: path)
            if fileName.hasSuffix(".sh") || fileName.hasSuffix(".sbatch") { chmod(path, 0o755) }
            written.append(path)
        }
        return written
    }

    /// The job-array script: task N runs trial N.
    static func slurmTrials(sweep: String, name: String, executable: String, trialCount: Int, jobs: Int?) -> String {
        """
        #!/usr/bin/env bash
        # The trials of the baifs sweep \(name), one per task of a Slurm job array (written by
        # `baifs-run sweep --emit slurm`). Submit it with submit-slurm.sh, which also queues the
        # summary, or by hand: sbatch [options] slurm-trials.sbatch
        #
        # Resumable: a task whose trial has completed does nothing, so submitting this again runs only
        # the trials that are missing, failed or interrupted (an interrupted one continues from its
        # checkpoint). Rerun chosen trials with sbatch --array=3,7 slurm-trials.sbatch.
        # Another baifs-run: BAIFS_RUN=/path/to/baifs-run sbatch --export=ALL slurm-trials.sbatch
        #SBATCH --job-name=\(slurmName(name))
        #SBATCH --array=1-\(trialCount)\(jobs.map { "%\($0)" } ?? "")
        #SBATCH --ntasks=1
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(sweep)/logs/slurm-%A_%4a.out
        set -euo pipefail
        baifs_run=${BAIFS_RUN:-\(shellQuoted(executable))}
        exec \(TrialCommandLine.sweepTrial(sweep: sweep, trial: "").shellText(program: "\"$baifs_run\"", shellVariableArgument: "SLURM_ARRAY_TASK_ID"))

        """
    }

    /// The job that writes summary.csv once the array's tasks have ended.
    static func slurmGather(sweep: String, name: String, executable: String) -> String {
        """
        #!/usr/bin/env bash
        # Gathers the trials of the baifs sweep \(name) into summary.csv, after the job array of
        # slurm-trials.sbatch (submit-slurm.sh queues it with --dependency=afterany). It fails if a
        # trial did not complete, and names it.
        #SBATCH --job-name=\(slurmName(name))-gather
        #SBATCH --ntasks=1
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(sweep)/logs/slurm-gather-%j.out
        set -euo pipefail
        baifs_run=${BAIFS_RUN:-\(shellQuoted(executable))}
        exec \(TrialCommandLine.sweepGather(sweep: sweep).shellText(program: "\"$baifs_run\""))

        """
    }

    /// Submits the array, then the gathering job that waits for it.
    static func slurmSubmit() -> String {
        """
        #!/usr/bin/env bash
        # Submits the sweep's trials as a Slurm job array, then the job that gathers summary.csv once
        # every task has ended. Arguments go to both sbatch calls (such as --partition=short).
        # Prints the two job ids on standard output.
        set -euo pipefail
        here=$(cd "$(dirname "$0")" && pwd)
        trials=$(sbatch --parsable "$@" "$here/slurm-trials.sbatch")
        trials=${trials%%;*}
        gather=$(sbatch --parsable "$@" --dependency=afterany:"$trials" "$here/slurm-gather.sbatch")
        gather=${gather%%;*}
        echo "submit-slurm: trials in job array $trials, summary in job $gather; watch with: squeue -j $trials,$gather" >&2
        echo "$trials $gather"

        """
    }

    /// One command line per trial, for `parallel --jobs N < jobs.txt`.
    static func parallelJobs(sweep: String, executable: String, trialCount: Int) -> String {
        (0..<trialCount).map { index in
            TrialCommandLine.sweepTrial(sweep: sweep, trial: SweepFile.trialID(index + 1)).shellText(program: shellQuoted(executable)) + "\n"
        }.joined()
    }

    /// A job name Slurm shows in full: the sweep's name without spaces.
    private static func slurmName(_ name: String) -> String {
        String(RunDirectory.sanitized(name).prefix(40))
    }
}
