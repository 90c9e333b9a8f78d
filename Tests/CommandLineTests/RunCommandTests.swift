import Configuration
import Foundation
import Runs
import Testing

/// End-to-end tests of `baifs-run`: the run-directory contract, determinism, resume, check, infer.
@Suite(.serialized)
struct RunCommandTests {
    /// A short MLP run: few samples and epochs, to keep debug builds quick.
    let quickRun = ["experiments/mlp.yaml", "--set", "training.epochs=6", "--set", "dataset.samples=120", "--quiet"]

    @Test func runWritesTheRunDirectoryContractAndPrintsItLast() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(quickRun + ["--set", "training.checkpoint_every=2"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.lastLine == "runs/moons-mlp")
        #expect(result.standardError.isEmpty)
        let run = folder.appendingPathComponent(result.lastLine)
        let files = try FileManager.default.contentsOfDirectory(atPath: run.path).sorted()
        #expect(files == ["checkpoints", "config.yaml", "curves.svg", "metrics.csv", "summary.json", "tensorboard", "timing.json"])
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path).sorted()
        #expect(checkpoints.contains("last.json") && checkpoints.contains("best.json"))
        #expect(checkpoints.filter { $0.hasPrefix("epoch-") } == ["epoch-0002.json", "epoch-0004.json", "epoch-0006.json"])
        let metrics = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        #expect(metrics.first == "epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,grad_norm")
        #expect(metrics.count == 7)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any]
        #expect(summary?["status"] as? String == "completed")
        #expect((summary?["final"] as? [String: Any])?["epoch"] as? Int == 6)
        // A second run of the same config gets a fresh directory and byte-identical files but timing.json.
        let second = try BaifsRunProcess.run(quickRun + ["--set", "training.checkpoint_every=2"], in: folder)
        #expect(second.lastLine == "runs/moons-mlp-2")
        let firstContents = try BaifsRunProcess.contents(of: run)
        #expect(!firstContents.isEmpty)
        #expect(firstContents == (try BaifsRunProcess.contents(of: folder.appendingPathComponent(second.lastLine))))
    }

    @Test func resumeAfterKillEndsBitIdenticalToAnUninterruptedRun() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let arguments = ["experiments/mlp.yaml", "--set", "training.epochs=30", "--set", "dataset.samples=200", "--quiet"]
        let straight = try BaifsRunProcess.run(arguments + ["--out", "straight"], in: folder)
        #expect(straight.status == 0, "\(straight.standardError)")

        // Kill -9 once a few epochs are saved, then resume.
        let running = try BaifsRunProcess.start(arguments + ["--out", "killed"], in: folder)
        let metrics = folder.appendingPathComponent("killed/moons-mlp/metrics.csv")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOf: metrics, encoding: .utf8), text.split(separator: "\n").count >= 4 { break }
            usleep(2_000)
        }
        kill(running.process.processIdentifier, SIGKILL)
        let killed = try BaifsRunProcess.finish(running)
        #expect(killed.status == SIGKILL)
        let resumed = try BaifsRunProcess.run(["resume", "killed/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.lastLine == "killed/moons-mlp")

        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent("straight/moons-mlp"))
        let actual = try BaifsRunProcess.contents(of: folder.appendingPathComponent("killed/moons-mlp"))
        #expect(actual.count >= 5)
        #expect(actual == expected)
    }

    @Test func ctrlCWritesACheckpointAndResumeFinishesIdentically() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let arguments = ["experiments/mlp.yaml", "--set", "training.epochs=40", "--set", "dataset.samples=300", "--quiet"]
        let straight = try BaifsRunProcess.run(arguments + ["--out", "straight"], in: folder)
        #expect(straight.status == 0)

        let running = try BaifsRunProcess.start(arguments + ["--out", "stopped"], in: folder)
        let last = folder.appendingPathComponent("stopped/moons-mlp/checkpoints/last.json")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: last.path) { usleep(2_000) }
        kill(running.process.processIdentifier, SIGINT)
        let stopped = try BaifsRunProcess.finish(running)
        #expect(stopped.status == 130, "\(stopped.standardError)")
        #expect(stopped.lastLine == "stopped/moons-mlp")
        let summary = try String(contentsOf: folder.appendingPathComponent("stopped/moons-mlp/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"status\": \"interrupted\""))

        // A resume that would not fit in memory is refused like a new run, leaving the run as it is.
        let interrupted = try BaifsRunProcess.contents(of: folder.appendingPathComponent("stopped/moons-mlp"))
        let refused = try BaifsRunProcess.run(["resume", "stopped/moons-mlp", "--quiet", "--memory-limit", "64K"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.standardError.split(separator: "\n").count == 1)
        #expect(refused.standardError.hasPrefix("stopped/moons-mlp/config.yaml:"))
        #expect(refused.standardError.contains(": error: training.batch_size: training needs about "))
        #expect(refused.standardError.contains(" more than the 64.0 KB of --memory-limit "))
        #expect(try BaifsRunProcess.contents(of: folder.appendingPathComponent("stopped/moons-mlp")) == interrupted)

        let resumed = try BaifsRunProcess.run(["resume", "stopped/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent("straight/moons-mlp"))
        let actual = try BaifsRunProcess.contents(of: folder.appendingPathComponent("stopped/moons-mlp"))
        #expect(actual.count >= 5)
        #expect(actual == expected)
        // Resuming a finished run changes nothing.
        let again = try BaifsRunProcess.run(["resume", "stopped/moons-mlp", "--quiet"], in: folder)
        #expect(again.status == 0)
        #expect(try BaifsRunProcess.contents(of: folder.appendingPathComponent("stopped/moons-mlp")) == actual)
    }

    @Test func badConfigExitsNonZeroWritesNothingAndPrintsNoStackTrace() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "optimizer.learning_rate=-1"], in: folder)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("--set:1:25: error: optimizer.learning_rate: "))
        #expect(!result.standardError.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    @Test func checkValidatesFilesWithoutTraining() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let broken = folder.appendingPathComponent("broken.yaml")
        try "name: x\nseed: 1\ndataset: {kind: two_moons}\nmodel:\n  kind: mlp\n  layers: [{type: linear, out: 1}]\noptimiser: {kind: sgd}\n"
            .write(to: broken, atomically: true, encoding: .utf8)
        let result = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "broken.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.standardOutput == "experiments/mlp.yaml: ok\n")
        #expect(result.standardError.contains("broken.yaml:7:1: error: optimiser: unknown key"))
        #expect(result.standardError.contains("did you mean 'optimizer'?"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    @Test func printConfigShowsTheResolvedConfigWithoutTraining() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["experiments/mlp.yaml", "--print-config", "--seed", "7"], in: folder)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("seed: 7\n"))
        #expect(result.standardOutput.contains("batch_size: 16"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    @Test func inferWritesOnePredictionPerInputRow() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(quickRun, in: folder)
        #expect(run.status == 0)
        try "x,y\n0.0,0.9\n1.0,-0.4\n2.0,0.3\n".write(to: folder.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        let result = try BaifsRunProcess.run(["infer", "\(run.lastLine)/checkpoints/best.json", "--input", "points.csv"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first == "predicted_class,output_0")
        #expect(lines.count == 4)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",")
            let output = try #require(Double(cells[1]))
            #expect(cells[0] == (output > 0 ? "1" : "0"))
        }
        let toFile = try BaifsRunProcess.run(["infer", "\(run.lastLine)/checkpoints/best.json", "--input", "points.csv", "--output", "predictions.csv"], in: folder)
        #expect(toFile.status == 0)
        #expect(try String(contentsOf: folder.appendingPathComponent("predictions.csv"), encoding: .utf8) == result.standardOutput)

        let bad = try BaifsRunProcess.run(["infer", "\(run.lastLine)/checkpoints/best.json", "--input", "experiments/data/iris.csv"], in: folder)
        #expect(bad.status == 1)
        #expect(bad.standardError == "experiments/data/iris.csv:1:1: error: the model takes 2 features per row; the input has 5 columns (sepal_length, sepal_width, petal_length, petal_width, species)\n")
    }

    @Test func inferNamesIrisSpeciesAfterTheRunMovedAndTheDataIsGone() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(["experiments/iris.yaml", "--set", "training.epochs=30", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        try FileManager.default.moveItem(at: folder.appendingPathComponent(run.lastLine), to: folder.appendingPathComponent("moved-run"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("experiments/data/iris.csv"))
        // Columns by name, in another order, with an extra one.
        try "id,petal_width,petal_length,sepal_width,sepal_length\n1,0.2,1.4,3.5,5.1\n2,2.3,5.4,3.0,6.2\n"
            .write(to: folder.appendingPathComponent("flowers.csv"), atomically: true, encoding: .utf8)
        let result = try BaifsRunProcess.run(["infer", "moved-run/checkpoints/best.json", "--input", "flowers.csv"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first == "predicted_class,output_0,output_1,output_2")
        #expect(lines.dropFirst().map { $0.split(separator: ",")[0] } == ["setosa", "virginica"])
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("moved-run/summary.json"))) as? [String: Any])
        #expect(summary["test"] is [String: Any])
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("moved-run/checkpoints/initial.json").path))
    }

    @Test func threadsChangeNothingButSpeed() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let arguments = ["experiments/resnet.yaml", "--set", "training.epochs=2", "--set", "dataset.samples=64", "--quiet"]
        let one = try BaifsRunProcess.run(arguments + ["--threads", "1", "--out", "one"], in: folder)
        let three = try BaifsRunProcess.run(arguments + ["--threads", "3", "--out", "three"], in: folder)
        #expect(one.status == 0 && three.status == 0, "\(one.standardError)\(three.standardError)")
        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent(one.lastLine))
        #expect(expected.count >= 5)
        #expect(try BaifsRunProcess.contents(of: folder.appendingPathComponent(three.lastLine)) == expected)
    }

    @Test func checkAlsoChecksMemoryAndGradients() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let gradients = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "--gradcheck"], in: folder)
        #expect(gradients.status == 0, "\(gradients.standardError)")
        #expect(gradients.standardOutput == "experiments/mlp.yaml: ok\n")
        let memory = try BaifsRunProcess.run(["check", "experiments/resnet.yaml", "--memory-limit", "1K"], in: folder)
        #expect(memory.status == 1)
        #expect(memory.standardOutput.isEmpty)
        #expect(memory.standardError.hasPrefix("experiments/resnet.yaml:26:15: error: training.batch_size: training needs about "))
    }

    @Test func aRunThatFailsSaysSoInItsSummaryAndStillPrintsItsDirectory() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "optimizer.learning_rate=1e6", "--set", "clipping=none",
                                              "--set", "optimizer.momentum=0", "--set", "training.epochs=3", "--quiet"], in: folder)
        #expect(result.status == 1)
        #expect(result.lastLine == "runs/moons-mlp")
        #expect(result.standardError.contains("training stopped. Lower the learning rate"))
        let summary = try String(contentsOf: folder.appendingPathComponent("runs/moons-mlp/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"status\": \"failed\""))
    }

    @Test func aDamagedCheckpointIsAnErrorNotACrash() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(quickRun, in: folder)
        #expect(run.status == 0)
        let last = folder.appendingPathComponent("runs/moons-mlp/checkpoints/last.json")
        let text = try String(contentsOf: last, encoding: .utf8)
        // Sealed with a fresh checksum, so that the check of the solver state is what refuses it.
        try CheckpointChecksum.resealed(text.replacingOccurrences(of: "\"batches_done_in_epoch\": 0", with: "\"batches_done_in_epoch\": -1"))
            .write(to: last, atomically: true, encoding: .utf8)
        let resumed = try BaifsRunProcess.run(["resume", "runs/moons-mlp", "--quiet"], in: folder)
        #expect(resumed.status == 1)
        #expect(resumed.standardError.contains("the solver state is inconsistent (negative counts); the checkpoint is damaged."))
        #expect(!resumed.standardError.contains("Fatal error"))
    }

    @Test func tooManySamplesAreRefusedBeforeAnythingIsGenerated() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "--set", "dataset.samples=100000000000"], in: folder)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("--set:1:17: error: dataset.samples: must be in [2, 1000000]; got 100000000000"))
    }

    @Test func aRunKilledBeforeItsFirstEpochEndsResumesFromItsStart() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let arguments = ["experiments/resnet.yaml", "--set", "training.epochs=1", "--set", "dataset.samples=600", "--quiet", "--threads", "1"]
        let straight = try BaifsRunProcess.run(arguments + ["--out", "straight"], in: folder)
        #expect(straight.status == 0, "\(straight.standardError)")

        let running = try BaifsRunProcess.start(arguments + ["--out", "killed"], in: folder)
        let run = folder.appendingPathComponent("killed/bars-resnet")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && !FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/last.json").path) {
            usleep(1_000)
        }
        kill(running.process.processIdentifier, SIGKILL)
        _ = try BaifsRunProcess.finish(running)
        let resumed = try BaifsRunProcess.run(["resume", "killed/bars-resnet", "--quiet"], in: folder)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let expected = try BaifsRunProcess.contents(of: folder.appendingPathComponent("straight/bars-resnet"))
        #expect(expected.count >= 5)
        #expect(try BaifsRunProcess.contents(of: run) == expected)
    }
}
