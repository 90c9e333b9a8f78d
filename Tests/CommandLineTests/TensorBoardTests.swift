import Foundation
import Testing

/// The TensorBoard event files of runs and sweeps, read by TensorBoard itself (the `tensorboard`
/// package from PyPI, which `.ci/run` installs): every scalar equals `metrics.csv` to float32, a
/// resumed run repeats no step, and a real `tensorboard --logdir` server lists a sweep's trials,
/// their tags and their HParams sessions. Without the package the tests are skipped with the
/// reason, unless `CI=true`, where they fail.
@Suite(.serialized, .enabled(if: TensorBoardPackage.shouldRun, TensorBoardPackage.skipReason))
struct TensorBoardTests {
    static let script = BaifsRunProcess.repository.appendingPathComponent("Tests/Fixtures/scripts/tensorboard-check.py").path

    /// The checker's JSON output for `command` on `folder`.
    static func check(_ command: String, _ folder: URL) throws -> Any {
        let result = try ShellCommand.run("python3 \(script) \(command) \(folder.path)", in: folder)
        try #require(result.status == 0, "tensorboard-check.py \(command) failed: \(result.standardError)")
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }

    /// `metrics.csv` by column, and TensorBoard's scalars by tag as (step, value) pairs.
    static func expectScalarsEqualMetrics(_ run: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let scalars = try #require(try check("scalars", run) as? [String: [[Double]]])
        let lines = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        let columns = lines[0].split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let tags = ["train_loss": "loss/train", "val_loss": "loss/validation", "train_accuracy": "accuracy/train",
                    "val_accuracy": "accuracy/validation", "learning_rate": "learning_rate", "grad_norm": "grad_norm"]
        let step = try #require(columns.firstIndex(of: "step"))
        for (column, name) in columns.enumerated() {
            guard let tag = tags[name] else { continue }
            // As float32 (TensorBoard's simple_value), which also absorbs JSONSerialization's
            // occasional last-digit error in reading doubles.
            let expected = rows.map { [Float(Double($0[step])!), Float(Double($0[column])!)] }
            let actual = scalars[tag]?.map { $0.map { Float($0) } }
            #expect(actual == expected, "\(tag)", sourceLocation: sourceLocation)
        }
        #expect(Set(scalars.keys).isSubset(of: Set(tags.values) + ["loss/test", "accuracy/test", "loss/test_best", "accuracy/test_best"]))
    }

    @Test func everyScalarOfARunEqualsMetricsCSV() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=4", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        try Self.expectScalarsEqualMetrics(folder.appendingPathComponent(run.lastLine))
        // The test set's evaluation, once, at the last step.
        let digits = try BaifsRunProcess.run(["experiments/iris.yaml", "--set", "training.epochs=3", "--set", "dataset.test_fraction=0.2",
                                              "--quiet"], in: folder)
        #expect(digits.status == 0, "\(digits.standardError)")
        let scalars = try #require(try Self.check("scalars", folder.appendingPathComponent(digits.lastLine)) as? [String: [[Double]]])
        #expect(scalars["loss/test"]?.count == 1 && scalars["accuracy/test"]?.count == 1)

        let off = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=2", "--set", "training.tensorboard=false",
                                           "--quiet"], in: folder)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(off.lastLine)/tensorboard").path))
    }

    @Test func aResumedRunWritesANewFileAndRepeatsNoStep() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let running = try BaifsRunProcess.start(["experiments/mlp.yaml", "--set", "training.epochs=200", "--name", "stopped"], in: folder)
        // Let a few epochs end, then Ctrl-C: the run checkpoints and exits 130.
        let events = folder.appendingPathComponent("runs/stopped/metrics.csv")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, ((try? String(contentsOf: events, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 4 {
            usleep(20_000)
        }
        kill(running.process.processIdentifier, SIGINT)
        let stopped = try BaifsRunProcess.finish(running)
        #expect(stopped.status == 130, "\(stopped.standardError)")
        let resumed = try BaifsRunProcess.run(["resume", "runs/stopped", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let run = folder.appendingPathComponent("runs/stopped")
        let files = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("tensorboard").path)
        #expect(files.count == 2)
        try Self.expectScalarsEqualMetrics(run)
    }

    @Test func aTensorBoardServerListsASweepsTrialsTagsAndHParams() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write("""
            name: tb
            base: experiments/mlp.yaml
            metric: val_accuracy
            set: {training.epochs: 3, dataset.samples: 80}
            grid:
              optimizer.learning_rate: [0.05, 0.1]

            """, to: "tb.yaml", in: folder)
        let sweep = try BaifsRunProcess.run(["sweep", "tb.yaml", "--jobs", "2"], in: folder)
        #expect(sweep.status == 0, "\(sweep.standardError)")
        let answer = try #require(try Self.check("serve", folder.appendingPathComponent("runs/tb")) as? [String: Any])
        #expect(answer["runs"] as? [String] == ["trials/trial-0001/tensorboard", "trials/trial-0002/tensorboard"])
        let tags = try #require(answer["tags"] as? [String: [String]])
        #expect(tags["trials/trial-0001/tensorboard"] == ["accuracy/train", "accuracy/validation", "best/accuracy/train",
                                                          "best/accuracy/validation", "best/loss/train", "best/loss/validation",
                                                          "grad_norm", "learning_rate", "loss/train", "loss/validation"])
        let groups = try #require((answer["session_groups"] as? [String: Any])?["sessionGroups"] as? [[String: Any]])
        #expect(groups.compactMap { $0["name"] as? String }.sorted() == ["trial-0001", "trial-0002"])
        let rates = groups.compactMap { ($0["hparams"] as? [String: Any])?["optimizer.learning_rate"] as? Double }.sorted()
        #expect(rates == [0.05, 0.1])
        // The final validation accuracy TensorBoard reports is the one summary.csv ranks by.
        for group in groups {
            let name = try #require(group["name"] as? String)
            let values = try #require(group["metricValues"] as? [[String: Any]])
            let reported = values.first { ($0["name"] as? [String: Any])?["tag"] as? String == "accuracy/validation" }?["value"] as? Double
            let metrics = try String(contentsOf: folder.appendingPathComponent("runs/tb/trials/\(name)/metrics.csv"), encoding: .utf8)
            let last = metrics.split(separator: "\n").last!.split(separator: ",").map(String.init)
            let header = metrics.split(separator: "\n")[0].split(separator: ",").map(String.init)
            let column = try #require(header.firstIndex(of: "val_accuracy"))
            #expect(reported.map { Float($0) } == Float(Double(last[column])!))
        }
    }
}

/// Whether the TensorBoard tests run: python3 imports `tensorboard`, or `CI=true` says it must.
enum TensorBoardPackage {
    static let isInstalled = (try? ShellCommand.run("python3 -c 'import tensorboard'", in: URL(fileURLWithPath: "/")).status) == 0
    static let shouldRun = isInstalled || ProcessInfo.processInfo.environment["CI"] == "true"
    static let skipReason: Comment = "python3 cannot import tensorboard (pip install tensorboard); with CI=true this test fails instead"
}
