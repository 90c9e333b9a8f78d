import Foundation
import Testing

/// End-to-end tests of `baifs-run compare`: one table of many runs or a sweep's trials.
@Suite(.serialized)
struct CompareCommandTests {
    @Test func aSweepBecomesOneTableOfItsVaryingKeysAndMetrics() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        #expect(try BaifsRunProcess.run(["sweep", "quick.yaml", "--jobs", "2", "--quiet"], in: folder).status == 0)

        let result = try BaifsRunProcess.run(["compare", "runs/quick", "--sort", "val_loss"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 5)
        let header = lines[0].split(separator: " ").map(String.init)
        #expect(header == ["run", "optimizer.learning_rate", "training.batch_size", "final.train_loss", "final.train_accuracy",
                           "final.val_loss", "final.val_accuracy", "best.epoch", "best.train_loss", "best.train_accuracy",
                           "best.val_loss", "best.val_accuracy"])
        let rows = lines.dropFirst().map { $0.split(separator: " ").map(String.init) }
        #expect(Set(rows.map(\.[0])) == Set((1...4).map { "runs/quick/trials/trial-000\($0)" }))
        let losses = rows.compactMap { Double($0[10]) }
        #expect(losses.count == 4 && losses == losses.sorted())

        let json = try BaifsRunProcess.run(["compare", "runs/quick", "--format", "json"], in: folder)
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(runs.map { $0["run"] as? String } == (1...4).map { "runs/quick/trials/trial-000\($0)" })
        #expect(runs.allSatisfy { Set(($0["config"] as? [String: Any] ?? [:]).keys) == ["optimizer.learning_rate", "training.batch_size"] })
        #expect((runs[0]["config"] as? [String: Any])?["training.batch_size"] as? String == "8")

        let markdown = try BaifsRunProcess.run(["compare", "runs/quick/trials/trial-0001", "runs/quick/trials/trial-0004", "--format", "markdown"], in: folder)
        #expect(markdown.standardOutput.hasPrefix("| run | optimizer.learning_rate | training.batch_size | final.train_loss |"))
        #expect(markdown.standardOutput.split(separator: "\n").count == 4)
    }

    @Test func unknownColumnsAndRunsAreErrors() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=2", "--set", "dataset.samples=60", "--quiet"], in: folder)
        let unknownColumn = try BaifsRunProcess.run(["compare", run.lastLine, "--sort", "val_acuracy"], in: folder)
        #expect(unknownColumn.status == 1)
        #expect(unknownColumn.standardError.hasPrefix("error: no column 'val_acuracy' to sort by; did you mean 'val_accuracy'? (columns: "))
        let unknownRun = try BaifsRunProcess.run(["compare", run.lastLine, "experiments"], in: folder)
        #expect(unknownRun.status == 1)
        #expect(unknownRun.standardError == "error: experiments is neither a run directory (with config.yaml) nor a sweep directory (with sweep.json and manifest.jsonl).\n")
    }
}
