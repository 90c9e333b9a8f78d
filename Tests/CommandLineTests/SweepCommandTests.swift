import Foundation
import Testing

/// End-to-end tests of `baifs-run sweep`, `sweep-trial` and `sweep-gather`: the sweep directory's
/// files, failures, resume, concurrent sweeps, the emitted Slurm and GNU parallel files, and the
/// example shell script.
@Suite(.serialized)
struct SweepCommandTests {
    @Test func sweepRunsEveryTrialAsItsOwnRunAndRanksThem() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let result = try BaifsRunProcess.run(["sweep", "quick.yaml", "--jobs", "2"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lastLine == "runs/quick")
        #expect(result.standardError.contains("baifs-run: all 4 trials completed; summary: runs/quick/summary.csv; best trial-"))
        let sweep = folder.appendingPathComponent("runs/quick")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sweep.path).filter { !$0.hasPrefix(".") }.sorted()
                == ["logs", "manifest.jsonl", "summary.csv", "sweep.json", "sweep.yaml", "trials"])
        #expect(try String(contentsOf: sweep.appendingPathComponent("sweep.yaml"), encoding: .utf8) == SweepFiles.quickSweep)

        let manifest = try SweepFiles.manifest(sweep)
        #expect(manifest.map { $0["id"] as? String } == ["trial-0001", "trial-0002", "trial-0003", "trial-0004"])
        #expect(manifest.map { $0["overrides"] as? [String] } == [
            ["training.epochs=3", "dataset.samples=80", "optimizer.learning_rate=0.05", "training.batch_size=8"],
            ["training.epochs=3", "dataset.samples=80", "optimizer.learning_rate=0.05", "training.batch_size=16"],
            ["training.epochs=3", "dataset.samples=80", "optimizer.learning_rate=0.1", "training.batch_size=8"],
            ["training.epochs=3", "dataset.samples=80", "optimizer.learning_rate=0.1", "training.batch_size=16"],
        ])
        #expect(manifest.allSatisfy { $0["status"] as? String == "completed" && $0["attempts"] as? Int == 1 && $0["exit_code"] as? Int == 0 })
        let firstLine = try String(contentsOf: sweep.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(separator: "\n")[0]
        #expect(firstLine == #"{"id":"trial-0001","overrides":["training.epochs=3","dataset.samples=80","optimizer.learning_rate=0.05","training.batch_size=8"],"status":"completed","attempts":1,"exit_code":0,"error":null}"#)

        let info = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sweep.appendingPathComponent("sweep.json"))) as? [String: Any])
        #expect(info["metric"] as? String == "val_accuracy" && info["goal"] as? String == "maximize" && info["use"] as? String == "best")
        #expect(info["parameters"] as? [String] == ["optimizer.learning_rate", "training.batch_size"])
        #expect((info["base"] as? String)?.hasSuffix("/experiments/mlp.yaml") == true && (info["base"] as? String)?.hasPrefix("/") == true)

        // summary.csv: ranked by the best val_accuracy, high to low.
        let summary = try SweepFiles.summary(sweep)
        #expect(summary[0] == ["rank", "trial", "status", "optimizer.learning_rate", "training.batch_size", "best_epoch",
                               "best_train_loss", "best_train_accuracy", "best_val_loss", "best_val_accuracy", "run"])
        #expect(summary.dropFirst().map { $0[0] } == ["1", "2", "3", "4"])
        #expect(Set(summary.dropFirst().map { $0[1] }) == ["trial-0001", "trial-0002", "trial-0003", "trial-0004"])
        let accuracies = summary.dropFirst().compactMap { Double($0[9]) }
        #expect(accuracies.count == 4 && accuracies == accuracies.sorted(by: >))
        #expect(summary.dropFirst().allSatisfy { $0[2] == "completed" && $0[10] == "trials/\($0[1])" })

        // Each trial is a run directory, with its log; trial-0001 is bit-identical to a direct run.
        for index in 1...4 {
            let id = String(format: "trial-%04d", index)
            let config = try String(contentsOf: sweep.appendingPathComponent("trials/\(id)/config.yaml"), encoding: .utf8)
            #expect(config.hasPrefix("name: \(id)\n"))
            let log = try String(contentsOf: sweep.appendingPathComponent("logs/\(id).log"), encoding: .utf8)
            #expect(log.hasPrefix("== \(id), attempt 1, "))
            #expect(log.hasSuffix("runs/quick/trials/\(id)\n"))
        }
        let direct = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=3", "--set", "dataset.samples=80",
                                              "--set", "optimizer.learning_rate=0.05", "--set", "training.batch_size=8",
                                              "--name", "trial-0001", "--out", "direct", "--quiet"], in: folder)
        #expect(direct.status == 0)
        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent("direct/trial-0001"))
        #expect(expected.count >= 4)
        #expect(try BaifsRunProcess.contents(of: sweep.appendingPathComponent("trials/trial-0001")) == expected)
    }

    @Test func aBadSweepExitsOneAndWritesNothing() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write("base: experiments/mlp.yaml\ngrid:\n  optimizer.learning_rate: [0.1, -1]\n  training.batch_size: [8, 16]\n",
                             to: "bad.yaml", in: folder)
        let result = try BaifsRunProcess.run(["sweep", "bad.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == """
            bad.yaml:3:34: error: optimizer.learning_rate: must be > 0; got -1
            baifs-run: bad.yaml is not valid (1 error); nothing was written.

            """)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
        let check = try BaifsRunProcess.run(["check", "bad.yaml", "experiments/sweep-mlp.yaml"], in: folder)
        #expect(check.status == 1)
        #expect(check.standardOutput == "experiments/sweep-mlp.yaml: ok\n")
    }

    @Test func aFailedTrialIsRecordedAndResumeRerunsOnlyWhatDidNotComplete() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        // Trials 3 and 4 diverge (a learning rate of 1e30 overflows the loss): they fail at run
        // time, after the sweep validated every trial's file (init_from included).
        try SweepFiles.write("""
            name: resumable
            base: experiments/mlp.yaml
            set: {training.epochs: 2, dataset.samples: 60, clipping: none}
            grid:
              optimizer.learning_rate: [0.05, 0.1, 1e30, 2e30]

            """, to: "resumable.yaml", in: folder)
        let first = try BaifsRunProcess.run(["sweep", "resumable.yaml"], in: folder)
        #expect(first.status == 1)
        #expect(first.lastLine == "runs/resumable")
        #expect(first.standardError.contains("[3/4] trial-0003 failed (optimizer.learning_rate=1e30): error: the training loss became "))
        #expect(first.standardError.contains("    log: runs/resumable/logs/trial-0003.log"))
        #expect(first.standardError.contains("[4/4] trial-0004 failed"))
        #expect(first.standardError.contains(
            "baifs-run: 2 of 4 trials did not complete (trial-0003 failed, trial-0004 failed); summary: runs/resumable/summary.csv; re-run them with: baifs-run sweep --resume runs/resumable\n"))
        let sweep = folder.appendingPathComponent("runs/resumable")
        #expect(try SweepFiles.statuses(sweep) == ["completed", "completed", "failed", "failed"])
        let failed = try SweepFiles.manifest(sweep)[2]
        #expect(failed["exit_code"] as? Int == 1)
        #expect((failed["error"] as? String)?.hasPrefix("error: the training loss became ") == true)
        #expect(try String(contentsOf: sweep.appendingPathComponent("logs/trial-0003.log"), encoding: .utf8).contains("error: the training loss became "))
        let summary = try SweepFiles.summary(sweep)
        #expect(summary.dropFirst().map { [$0[0], $0[2]] } == [["1", "completed"], ["2", "completed"], ["", "failed"], ["", "failed"]])

        // Lose a completed trial's directory, and resume: the failed trials and the lost one run again.
        try FileManager.default.removeItem(at: sweep.appendingPathComponent("trials/trial-0002"))
        let untouched = try BaifsRunProcess.contents(of: sweep.appendingPathComponent("trials/trial-0001"))
        let untouchedTiming = try Data(contentsOf: sweep.appendingPathComponent("trials/trial-0001/timing.json"))
        let resumed = try BaifsRunProcess.run(["sweep", "--resume", "runs/resumable", "--jobs", "2"], in: folder)
        #expect(resumed.status == 1, "\(resumed.standardError)")
        #expect(resumed.lastLine == "runs/resumable")
        #expect(resumed.standardError.contains("3 of 4 trials to run"))
        #expect(try SweepFiles.statuses(sweep) == ["completed", "completed", "failed", "failed"])
        #expect(try SweepFiles.manifest(sweep).map { $0["attempts"] as? Int } == [1, 2, 2, 2])
        #expect(try BaifsRunProcess.contents(of: sweep.appendingPathComponent("trials/trial-0001")) == untouched)
        #expect(try Data(contentsOf: sweep.appendingPathComponent("trials/trial-0001/timing.json")) == untouchedTiming)
        let log = try String(contentsOf: sweep.appendingPathComponent("logs/trial-0003.log"), encoding: .utf8)
        #expect(log.contains("== trial-0003, attempt 1, ") && log.contains("== trial-0003, attempt 2, "))
        #expect(try SweepFiles.summary(sweep).dropFirst().map { $0[2] } == ["completed", "completed", "failed", "failed"])

        let again = try BaifsRunProcess.run(["sweep", "--resume", "runs/resumable"], in: folder)
        #expect(again.status == 1)
        #expect(again.standardError.contains("2 of 4 trials to run"))
        #expect(try SweepFiles.manifest(sweep).map { $0["attempts"] as? Int } == [1, 2, 3, 3])
    }

    @Test func initFromIsCheckedWhenTheSweepIsValidated() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write("""
            name: missing
            base: experiments/mlp.yaml
            grid:
              init_from: [null, ckpt.json]

            """, to: "missing.yaml", in: folder)
        let result = try BaifsRunProcess.run(["sweep", "missing.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.standardError.contains("error: init_from: cannot read experiments/ckpt.json: no such file"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    @Test func ctrlCStopsTheTrialsAtACheckpointAndResumeFinishesThemIdentically() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write("""
            name: long
            base: experiments/mlp.yaml
            set: {training.epochs: 40, dataset.samples: 200}
            grid:
              optimizer.learning_rate: [0.05, 0.1, 0.2]

            """, to: "long.yaml", in: folder)
        let running = try BaifsRunProcess.start(["sweep", "long.yaml", "--jobs", "2"], in: folder)
        // Wait until both running trials have saved an epoch (so both handle Ctrl-C), however slowly
        // a loaded machine starts them.
        let checkpoints = ["trial-0001", "trial-0002"].map { folder.appendingPathComponent("runs/long/trials/\($0)/checkpoints/last.json").path }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !checkpoints.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { usleep(2_000) }
        kill(running.process.processIdentifier, SIGINT)
        let stopped = try BaifsRunProcess.finish(running)
        #expect(stopped.status == 130, "\(stopped.standardError)")
        #expect(stopped.lastLine == "runs/long")
        #expect(stopped.standardError.contains("trial-0001 interrupted after writing a checkpoint"))
        #expect(stopped.standardError.contains("continue with: baifs-run sweep --resume runs/long\n"))
        let sweep = folder.appendingPathComponent("runs/long")
        #expect(try SweepFiles.statuses(sweep) == ["interrupted", "interrupted", "pending"])

        let resumed = try BaifsRunProcess.run(["sweep", "--resume", "runs/long", "--jobs", "2"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardError.contains("baifs-run: started trial-0001 (resuming from its checkpoint)"))
        #expect(try SweepFiles.statuses(sweep) == ["completed", "completed", "completed"])
        let straight = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=40", "--set", "dataset.samples=200",
                                                "--set", "optimizer.learning_rate=0.05", "--name", "trial-0001", "--out", "straight",
                                                "--quiet"], in: folder)
        #expect(straight.status == 0)
        #expect(try BaifsRunProcess.contents(of: sweep.appendingPathComponent("trials/trial-0001"))
                == (try BaifsRunProcess.contents(of: folder.appendingPathComponent("straight/trial-0001"))))
    }

    @Test func twoSweepsStartedAtOnceGetTheirOwnDirectories() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let one = try BaifsRunProcess.start(["sweep", "quick.yaml", "--quiet"], in: folder)
        let two = try BaifsRunProcess.start(["sweep", "quick.yaml", "--quiet"], in: folder)
        let results = [try BaifsRunProcess.finish(one), try BaifsRunProcess.finish(two)]
        #expect(results.map(\.status) == [0, 0])
        #expect(Set(results.map(\.lastLine)) == ["runs/quick", "runs/quick-2"])
        for sweep in ["runs/quick", "runs/quick-2"] {
            let trials = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("\(sweep)/trials").path).sorted()
            #expect(trials == ["trial-0001", "trial-0002", "trial-0003", "trial-0004"])
            #expect(try SweepFiles.statuses(folder.appendingPathComponent(sweep)) == Array(repeating: "completed", count: 4))
        }
    }

    @Test func emitSlurmWritesAJobArrayAndAGatheringStepAndRunsNothing() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let result = try BaifsRunProcess.run(["sweep", "quick.yaml", "--emit", "slurm", "--jobs", "2"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lastLine == "runs/quick")
        let sweep = folder.appendingPathComponent("runs/quick")
        let absolute = sweep.standardizedFileURL.path
        let executable = BaifsRunProcess.executable.resolvingSymlinksInPath().path
        let trials = try String(contentsOf: sweep.appendingPathComponent("slurm-trials.sbatch"), encoding: .utf8)
        #expect(trials.hasPrefix("#!/usr/bin/env bash\n"))
        for line in ["#SBATCH --job-name=quick", "#SBATCH --array=1-4%2", "#SBATCH --output=\(absolute)/logs/slurm-%A_%4a.out",
                     "baifs_run=${BAIFS_RUN:-\(executable)}", "exec \"$baifs_run\" sweep-trial \(absolute) \"$SLURM_ARRAY_TASK_ID\""] {
            #expect(trials.contains("\n\(line)\n"), "slurm-trials.sbatch lacks \(line)")
        }
        let gather = try String(contentsOf: sweep.appendingPathComponent("slurm-gather.sbatch"), encoding: .utf8)
        #expect(gather.contains("\nexec \"$baifs_run\" sweep-gather \(absolute)\n"))
        let submit = try String(contentsOf: sweep.appendingPathComponent("submit-slurm.sh"), encoding: .utf8)
        #expect(submit.contains("sbatch --parsable \"$@\" --dependency=afterany:\"$trials\" \"$here/slurm-gather.sbatch\""))
        for name in ["slurm-trials.sbatch", "slurm-gather.sbatch", "submit-slurm.sh"] {
            #expect(FileManager.default.isExecutableFile(atPath: sweep.appendingPathComponent(name).path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: sweep.appendingPathComponent("trials").path).isEmpty)
        #expect(try SweepFiles.statuses(sweep) == Array(repeating: "pending", count: 4))
        #expect(try SweepFiles.summary(sweep).dropFirst().map { [$0[0], $0[2]] } == Array(repeating: ["", "pending"], count: 4))
    }

    @Test func emitParallelWritesOneCommandPerTrialThatSweepTrialRuns() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let result = try BaifsRunProcess.run(["sweep", "quick.yaml", "--emit", "parallel"], in: folder)
        #expect(result.status == 0)
        let sweep = folder.appendingPathComponent("runs/quick")
        let executable = BaifsRunProcess.executable.resolvingSymlinksInPath().path
        let jobs = try String(contentsOf: sweep.appendingPathComponent("jobs.txt"), encoding: .utf8)
        #expect(jobs == (1...4).map { "\(executable) sweep-trial \(sweep.standardizedFileURL.path) trial-000\($0)\n" }.joined())

        // One task, by number as Slurm gives it; again, by id: nothing to do.
        let task = try BaifsRunProcess.run(["sweep-trial", "runs/quick", "2"], in: folder)
        #expect(task.status == 0, "\(task.standardError)")
        #expect(task.lastLine == "runs/quick/trials/trial-0002")
        #expect(task.standardOutput == "runs/quick/trials/trial-0002\n")
        #expect(try SweepFiles.statuses(sweep) == ["pending", "completed", "pending", "pending"])
        let again = try BaifsRunProcess.run(["sweep-trial", "runs/quick", "trial-0002"], in: folder)
        #expect(again.status == 0)
        #expect(again.standardError == "baifs-run: trial-0002 had completed already; nothing to do.\n")
        #expect(try SweepFiles.manifest(sweep)[1]["attempts"] as? Int == 1)

        let early = try BaifsRunProcess.run(["sweep-gather", "runs/quick"], in: folder)
        #expect(early.status == 1)
        #expect(early.lastLine == "runs/quick")
        #expect(early.standardError.contains("3 of 4 trials did not complete (trial-0001 pending, trial-0003 pending, trial-0004 pending)"))
        let unknown = try BaifsRunProcess.run(["sweep-trial", "runs/quick", "9"], in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.standardError == "error: runs/quick has no trial '9'; its trials are trial-0001 (1) to trial-0004 (4).\n")

        for id in ["1", "trial-0003", "4"] {
            #expect(try BaifsRunProcess.run(["sweep-trial", "runs/quick", id, "--quiet"], in: folder).status == 0)
        }
        let gathered = try BaifsRunProcess.run(["sweep-gather", "runs/quick"], in: folder)
        #expect(gathered.status == 0, "\(gathered.standardError)")
        #expect(try SweepFiles.summary(sweep).dropFirst().map(\.[0]) == ["1", "2", "3", "4"])
    }

    @Test func theExampleShellScriptGathersEveryRunIntoACSV() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try ShellCommand.run("experiments/sweep.sh --set training.epochs=3 --set dataset.samples=90", in: folder,
                                          environment: ["BAIFS_RUN": BaifsRunProcess.executable.path, "OUT": "runs/sh"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lastLine == "runs/sh/results.csv")
        let lines = try String(contentsOf: folder.appendingPathComponent("runs/sh/results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "config,learning_rate,status,run,best_epoch,best_train_loss,best_val_loss,best_val_accuracy")
        #expect(lines.count == 7)
        #expect(lines[1].hasPrefix("experiments/mlp.yaml,0.01,completed,runs/sh/mlp-lr0.01,"))
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(cells.count == 8 && cells[2] == "completed" && Int(cells[4]) != nil && Double(cells[7]) != nil, "\(line)")
        }
    }
}
