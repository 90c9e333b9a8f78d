import Foundation
import Testing

/// End-to-end tests of `baifs-run diff`: its exit codes (0 equal, 1 different, 2 error) and what
/// it reports in each format.
@Suite(.serialized)
struct DiffCommandTests {
    /// A short MLP run, as in `RunCommandTests`.
    let quickRun = ["experiments/mlp.yaml", "--set", "training.epochs=6", "--set", "dataset.samples=120", "--quiet"]

    @Test func identicalRunsAreEqualAndExitZero() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let first = try BaifsRunProcess.run(quickRun, in: folder), second = try BaifsRunProcess.run(quickRun, in: folder)
        #expect([first.lastLine, second.lastLine] == ["runs/moons-mlp", "runs/moons-mlp-2"])
        let result = try BaifsRunProcess.run(["diff", first.lastLine, second.lastLine], in: folder)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("a: runs/moons-mlp (moons-mlp, completed)\nb: runs/moons-mlp-2 (moons-mlp, completed)\n\nconfig: identical (name aside)\n"))
        #expect(result.standardOutput.contains("\nfirst divergence: none: metrics.csv is identical\n"))
        #expect(result.standardOutput.hasSuffix("\nThe runs are equal.\n"))
        let json = try BaifsRunProcess.run(["diff", first.lastLine, second.lastLine, "--format", "json"], in: folder)
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["equal"] as? Bool == true)
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters.map { $0["name"] as? String } == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
                                                             "layers.4.weight", "layers.4.bias"])
        #expect(parameters.allSatisfy { $0["max_abs_difference"] as? Double == 0 && $0["l2_distance"] as? Double == 0 })
    }

    @Test func runsWithAnotherLearningRateDifferAndExitOne() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let a = try BaifsRunProcess.run(quickRun, in: folder)
        let b = try BaifsRunProcess.run(quickRun + ["--set", "optimizer.learning_rate=0.05", "--name", "slower"], in: folder)
        let result = try BaifsRunProcess.run(["diff", a.lastLine, b.lastLine], in: folder)
        #expect(result.status == 1, "\(result.standardError)")
        let text = result.standardOutput
        #expect(text.contains("\nconfig: 1 key differs\n  key                      a    b\n  optimizer.learning_rate  0.1  0.05\n"))
        #expect(text.contains("\nmetrics:\n  metric ") && text.contains("\n  final train_loss ") && text.contains("\n  best val_accuracy "))
        #expect(text.contains("\nfirst divergence: epoch 1 (train_loss, "))
        #expect(text.contains("\nparameters of checkpoints/last.json:\n  parameter        shape     max |a − b|  L2 ‖a − b‖\n  layers.0.weight  [16, 2]"))
        #expect(text.hasSuffix("\nThe runs differ.\n"))

        let json = try BaifsRunProcess.run(["diff", a.lastLine, b.lastLine, "--format", "json"], in: folder)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["equal"] as? Bool == false)
        let config = try #require(object["config"] as? [[String: Any]])
        #expect(config.count == 1)
        #expect(config.first?["key"] as? String == "optimizer.learning_rate")
        #expect(config.first?["a"] as? String == "0.1" && config.first?["b"] as? String == "0.05")
        // Numbers exactly (JSONDecoder reads them back bit for bit; JSONSerialization may not).
        struct Metrics: Decodable {
            struct Entry: Decodable { var row: String, metric: String, a: Double?, b: Double?, delta: Double? }
            var metrics: [Entry]
        }
        let metrics = try JSONDecoder().decode(Metrics.self, from: Data(json.standardOutput.utf8)).metrics
        let finalLoss = try #require(metrics.first { $0.row == "final" && $0.metric == "train_loss" })
        let (lossA, lossB) = (try #require(finalLoss.a), try #require(finalLoss.b))
        #expect(finalLoss.delta == lossB - lossA)
        #expect(lossA != lossB)
        let divergence = try #require(object["first_divergence"] as? [String: Any])
        #expect(divergence["epoch"] as? Int == 1)
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        #expect(parameters.count == 6)
        for parameter in parameters {
            let maximum = try #require(parameter["max_abs_difference"] as? Double), l2 = try #require(parameter["l2_distance"] as? Double)
            #expect(maximum > 0 && l2 >= maximum)
        }

        let markdown = try BaifsRunProcess.run(["diff", a.lastLine, b.lastLine, "--format", "markdown"], in: folder)
        #expect(markdown.status == 1)
        #expect(markdown.standardOutput.contains("| key | a | b |\n|---|---|---|\n| optimizer.learning_rate | 0.1 | 0.05 |\n"))
        #expect(markdown.standardOutput.hasSuffix("**The runs differ.**\n"))
    }

    @Test func aLongerRunDivergesAtTheFirstEpochTheOtherDoesNotHave() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let short = try BaifsRunProcess.run(quickRun + ["--set", "training.epochs=4", "--name", "short"], in: folder)
        let long = try BaifsRunProcess.run(quickRun + ["--name", "long"], in: folder)
        let result = try BaifsRunProcess.run(["diff", short.lastLine, long.lastLine], in: folder)
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("\n  training.epochs  4  6\n"))
        #expect(result.standardOutput.contains("\nfirst divergence: epoch 5 (step, train_loss, "))
    }

    @Test func aMissingRunIsAnErrorAndExitsTwo() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(quickRun, in: folder)
        let result = try BaifsRunProcess.run(["diff", run.lastLine, "runs/nope"], in: folder)
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError == "error: runs/nope is not a run directory: it has no config.yaml.\n")
    }
}
