import Baifs
import Foundation
@testable import Inspection
@testable import Runs
import TestSupport
import RunTestSupport
import Testing

/// `RunDiff`: the config keys that differ, the final and best metrics side by side, the first
/// epoch at which `metrics.csv` differs, and per parameter max |a − b| and ‖a − b‖₂, on tiny runs
/// trained in-process. Expected values are computed here from the runs' own files.
struct RunDiffTests {
    /// The runs' scratch folder, removed by `cleanUp`.
    let folder: String

    init() throws {
        folder = try TinyRun.scratchFolder()
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A summary row, as `summary.json` holds it, read back exactly.
    struct SummaryFile: Decodable {
        var final: [String: Double?]
        var best: [String: Double?]
    }

    func summary(_ run: String) throws -> SummaryFile {
        try JSONDecoder().decode(SummaryFile.self, from: Data(contentsOf: URL(fileURLWithPath: "\(run)/summary.json")))
    }

    /// The lines of `metrics.csv`, split into cells.
    func metricsRows(_ run: String) throws -> [[String]] {
        try String(contentsOfFile: "\(run)/metrics.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    }

    /// Replaces the parameters of `run`'s last checkpoint.
    func setParameters(of run: String, _ parameters: [Checkpoint.NamedParameter]) throws {
        let path = "\(run)/checkpoints/last.json"
        var checkpoint = try Checkpoint.read(contentsOf: path)
        checkpoint.parameters = parameters
        try checkpoint.write(to: path)
    }

    // MARK: - Equal runs

    @Test func theSameConfigTrainedTwiceIsEqual() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path, b = try TinyRun.train(in: folder).directory.path
        #expect(b == "\(folder)/tiny-2")
        let diff = try RunDiff(a, b)
        #expect(diff.isEqual)
        #expect(diff.config.isEmpty && diff.divergence == nil && diff.notes.isEmpty)
        #expect(diff.metrics.allSatisfy { $0.isEqual && $0.delta == 0 })
        #expect(diff.metrics.map { "\($0.row) \($0.metric)" } == ["final", "best"].flatMap { row in
            ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate", "grad_norm"].map { "\(row) \($0)" }
        })
        #expect(diff.parameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
        #expect(diff.parameters.allSatisfy { $0.maximumAbsoluteDifference == 0 && $0.l2Distance == 0 && $0.shapeA == $0.shapeB })
        let text = diff.report(.text)
        #expect(text.hasPrefix("a: \(a) (tiny, completed)\nb: \(b) (tiny, completed)\n\nconfig: identical (name aside)\n\nmetrics:\n"))
        #expect(text.hasSuffix("""

            first divergence: none: metrics.csv is identical

            parameters of checkpoints/last.json:
              parameter        shape   max |a − b|  L2 ‖a − b‖
              layers.0.weight  [4, 2]            0           0
              layers.0.bias    [4]               0           0
              layers.2.weight  [1, 4]            0           0
              layers.2.bias    [1]               0           0

            The runs are equal.

            """))
    }

    /// `name` is the one key allowed to differ.
    @Test func aDifferentNameAloneKeepsRunsEqual() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path
        let b = try TinyRun.train(overrides: ["name=other"], in: folder).directory.path
        let diff = try RunDiff(a, b)
        #expect(diff.b.name == "other")
        #expect(diff.config.isEmpty && diff.isEqual)
    }

    // MARK: - Runs that differ

    @Test func anotherLearningRateDiffersInConfigMetricsAndParameters() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path
        let b = try TinyRun.train(overrides: ["optimizer.learning_rate=0.05"], in: folder).directory.path
        let diff = try RunDiff(a, b)
        #expect(!diff.isEqual)
        #expect(diff.config == [.init(keyPath: "optimizer.learning_rate", a: "0.1", b: "0.05")])

        // Metrics: every value of the two summaries, exactly, and b − a.
        let (summaryA, summaryB) = (try summary(a), try summary(b))
        for comparison in diff.metrics {
            let (rowA, rowB) = comparison.row == "final" ? (summaryA.final, summaryB.final) : (summaryA.best, summaryB.best)
            #expect(comparison.a?.bitPattern == rowA[comparison.metric]??.bitPattern, "\(comparison.row) \(comparison.metric)")
            #expect(comparison.b?.bitPattern == rowB[comparison.metric]??.bitPattern, "\(comparison.row) \(comparison.metric)")
            #expect(comparison.delta?.bitPattern == comparison.b.flatMap { b in comparison.a.map { b - $0 } }?.bitPattern)
        }
        #expect(diff.metrics.count == 14)
        let rate = try #require(diff.metrics.first { $0.row == "final" && $0.metric == "learning_rate" })
        #expect(rate.a == 0.1 && rate.b == 0.05 && rate.delta == 0.05 - 0.1 && !rate.isEqual)

        // The first rows differ already: in the columns whose cells differ.
        let (rowsA, rowsB) = (try metricsRows(a), try metricsRows(b))
        let differing = rowsA[0].indices.filter { rowsA[1][$0] != rowsB[1][$0] }.map { rowsA[0][$0] }
        #expect(differing.contains("learning_rate") && differing.contains("train_loss") && !differing.contains("epoch"))
        #expect(diff.divergence == RunDiff.Divergence(epoch: 1, columns: differing))

        // Parameters: max |a − b| and √Σ(a − b)², from the checkpoints.
        let (lastA, lastB) = (try Checkpoint.read(contentsOf: "\(a)/checkpoints/last.json"), try Checkpoint.read(contentsOf: "\(b)/checkpoints/last.json"))
        for distance in diff.parameters {
            let x = try #require(lastA.parameters.first { $0.name == distance.name }?.values)
            let y = try #require(lastB.parameters.first { $0.name == distance.name }?.values)
            let differences = zip(x, y).map { abs($0 - $1) }
            #expect(distance.maximumAbsoluteDifference == differences.max())
            #expect(distance.l2Distance == differences.reduce(0) { $0 + $1 * $1 }.squareRoot())
            #expect(distance.maximumAbsoluteDifference! > 0)
        }
        #expect(diff.report(.text).contains("\nconfig: 1 key differs\n  key                      a    b\n  optimizer.learning_rate  0.1  0.05\n\n"))
        #expect(diff.report(.text).contains("\nfirst divergence: epoch 1 (\(differing.joined(separator: ", ")))\n"))
        #expect(diff.report(.text).hasSuffix("\nThe runs differ.\n"))
    }

    /// Keys one optimizer has and the other does not are shown with the absent side as `nil`
    /// (`—` in the report), A's keys first, then B's.
    @Test func keysOnlyOneRunHasAreListedWithTheOtherSideAbsent() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path
        let adam = TinyRun.yaml.replacingOccurrences(of: "optimizer: {kind: sgd, learning_rate: 0.1, momentum: 0.9}",
                                                      with: "optimizer: {kind: adam, learning_rate: 0.01}")
        let b = try TinyRun.train(adam, in: folder).directory.path
        let diff = try RunDiff(a, b)
        #expect(diff.config == [
            .init(keyPath: "optimizer.kind", a: "sgd", b: "adam"),
            .init(keyPath: "optimizer.learning_rate", a: "0.1", b: "0.01"),
            .init(keyPath: "optimizer.momentum", a: "0.9", b: nil),
            .init(keyPath: "optimizer.nesterov", a: "false", b: nil),
            .init(keyPath: "optimizer.beta1", a: nil, b: "0.9"),
            .init(keyPath: "optimizer.beta2", a: nil, b: "0.999"),
            .init(keyPath: "optimizer.epsilon", a: nil, b: "1e-08"),
        ])
        #expect(diff.report(.text).contains("""

            config: 7 keys differ
              key                      a      b
              optimizer.kind           sgd    adam
              optimizer.learning_rate  0.1    0.01
              optimizer.momentum       0.9    —
              optimizer.nesterov       false  —
              optimizer.beta1          —      0.9
              optimizer.beta2          —      0.999
              optimizer.epsilon        —      1e-08

            """))
    }

    /// A longer run diverges at the first epoch the shorter one does not have, in every column but
    /// `epoch`; the rows before are the same (a constant learning rate does not depend on the
    /// number of epochs).
    @Test func aLongerRunDivergesAtTheFirstEpochTheOtherLacks() throws {
        defer { cleanUp() }
        let short = try TinyRun.train(overrides: ["training.epochs=2"], in: folder).directory.path
        let long = try TinyRun.train(in: folder).directory.path
        let diff = try RunDiff(short, long)
        #expect(diff.config == [.init(keyPath: "training.epochs", a: "2", b: "3")])
        #expect(diff.divergence == RunDiff.Divergence(epoch: 3, columns: ["step", "train_loss", "train_accuracy", "val_loss",
                                                                          "val_accuracy", "learning_rate", "grad_norm"]))
        #expect(try RunDiff(long, short).divergence?.epoch == 3)
        let final = try #require(diff.metrics.first { $0.row == "final" && $0.metric == "epoch" })
        #expect(final.a == 2 && final.b == 3 && final.delta == 1)
    }

    /// Known parameters give known distances: a difference of (3, −4) is max 4 and L2 5; shapes
    /// that differ and parameters only one run has get no distance.
    @Test func parameterDistancesAreMaximumAndEuclideanPerParameter() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path
        let b = "\(folder)/copy"
        try FileManager.default.copyItem(atPath: a, toPath: b)
        #expect(try RunDiff(a, b).isEqual)

        try setParameters(of: a, [
            .init(name: "layers.0.weight", shape: [4, 2], values: [0, 0, 0, 0, 0, 0, 0, 0]),
            .init(name: "layers.0.bias", shape: [4], values: [1, 1, 1, 1]),
            .init(name: "layers.2.weight", shape: [1, 4], values: [0.5, -0.5, 0.25, 1e-300]),
            .init(name: "layers.2.bias", shape: [1], values: [2]),
        ])
        try setParameters(of: b, [
            .init(name: "extra.weight", shape: [1], values: [7]),
            .init(name: "layers.0.weight", shape: [4, 2], values: [0, 0, 3, 0, 0, 0, -4, 0]),
            .init(name: "layers.0.bias", shape: [2, 2], values: [1, 1, 1, 1]),
            .init(name: "layers.2.weight", shape: [1, 4], values: [0.5, -0.5, 0.25, 1e-300]),
        ])
        let diff = try RunDiff(a, b)
        #expect(diff.parameters == [
            .init(name: "layers.0.weight", shapeA: [4, 2], shapeB: [4, 2], maximumAbsoluteDifference: 4, l2Distance: 5),
            .init(name: "layers.0.bias", shapeA: [4], shapeB: [2, 2], maximumAbsoluteDifference: nil, l2Distance: nil),
            .init(name: "layers.2.weight", shapeA: [1, 4], shapeB: [1, 4], maximumAbsoluteDifference: 0, l2Distance: 0),
            .init(name: "layers.2.bias", shapeA: [1], shapeB: nil, maximumAbsoluteDifference: nil, l2Distance: nil),
            .init(name: "extra.weight", shapeA: nil, shapeB: [1], maximumAbsoluteDifference: nil, l2Distance: nil),
        ])
        #expect(diff.config.isEmpty && diff.divergence == nil && diff.metrics.allSatisfy(\.isEqual))
        #expect(!diff.isEqual)
        #expect(diff.report(.text).hasSuffix("""

            parameters of checkpoints/last.json:
              parameter        shape           max |a − b|  L2 ‖a − b‖
              layers.0.weight  [4, 2]                    4           5
              layers.0.bias    [4] vs [2, 2]             —           —
              layers.2.weight  [1, 4]                    0           0
              layers.2.bias    [1], only in a            —           —
              extra.weight     [1], only in b            —           —

            The runs differ.

            """))
        #expect(diff.report(.markdown).hasSuffix("""
            ### Parameters (`checkpoints/last.json`)

            | parameter | shape | max \\|a − b\\| | L2 ‖a − b‖ |
            |---|---|---:|---:|
            | layers.0.weight | [4, 2] | 4 | 5 |
            | layers.0.bias | [4] vs [2, 2] | — | — |
            | layers.2.weight | [1, 4] | 0 | 0 |
            | layers.2.bias | [1], only in a | — | — |
            | extra.weight | [1], only in b | — | — |

            **The runs differ.**

            """))
        #expect(diff.json.compactText().contains(#""parameters":[{"name":"layers.0.weight","shape_a":[4,2],"shape_b":[4,2],"max_abs_difference":4.0,"l2_distance":5.0},{"name":"layers.0.bias","shape_a":[4],"shape_b":[2,2],"max_abs_difference":null,"l2_distance":null},"#))
    }

    // MARK: - Missing files

    @Test func runsWithoutACheckpointOrSummaryAreNotedAndNotEqual() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path
        let b = "\(folder)/copy"
        try FileManager.default.copyItem(atPath: a, toPath: b)
        try FileManager.default.removeItem(atPath: "\(b)/checkpoints/last.json")
        let withoutCheckpoint = try RunDiff(a, b)
        #expect(withoutCheckpoint.notes == ["B (\(b)) has no checkpoints/last.json."])
        #expect(withoutCheckpoint.parameters.map(\.shapeB) == [nil, nil, nil, nil])
        #expect(!withoutCheckpoint.isEqual)

        try FileManager.default.removeItem(atPath: "\(b)/summary.json")
        let withoutSummary = try RunDiff(b, a)
        #expect(withoutSummary.notes == ["A (\(b)) has no summary.json.", "A (\(b)) has no checkpoints/last.json."])
        #expect(withoutSummary.metrics.filter { $0.metric == "epoch" }.map(\.a) == [nil, nil])
        #expect(withoutSummary.report(.text).contains("a: \(b) (tiny, no summary)\n"))
        #expect(withoutSummary.report(.text).hasSuffix("\nnote: A (\(b)) has no summary.json.\nnote: A (\(b)) has no checkpoints/last.json.\nThe runs differ.\n"))
    }

    @Test func aFolderThatIsNotARunIsAnError() throws {
        defer { cleanUp() }
        let a = try TinyRun.train(in: folder).directory.path
        #expect(throws: RunStoreError("\(folder)/nothing is not a run directory: it has no config.yaml.")) {
            try RunDiff(a, "\(folder)/nothing")
        }
    }
}
