import Baifs
import Configuration
import Foundation
@testable import Runs
import TestSupport
import Testing

/// The shipped examples on real data train to their stated accuracy, and the MNIST examples,
/// whose files the repository does not ship, run on small synthetic IDX files written here.
struct ExampleDataRunTests {
    static func train(_ path: String, overrides: [String] = [], in folder: URL) throws -> (RunResult, [String: Any]) {
        let experiment = try ExperimentLoader.load(contentsOf: path, overrides: overrides)
        let result = try Runner.start(experiment, experimentPath: path, outDirectory: folder.path, threads: 2,
                                      observer: nil, shouldStop: { false })
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result.directory.summaryPath))) as? [String: Any])
        return (result, summary)
    }

    static func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("example-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The 8×8 digits as `.npy` arrays train an MLP (cross-entropy, Adam), and as IDX images a
    /// MicroResNet, each to at least 97% validation accuracy; both report their test set.
    @Test(arguments: ["digits-mlp.yaml", "digits-resnet.yaml"])
    func digitsReach97PercentValidationAccuracy(name: String) throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, summary) = try Self.train("\(Fixtures.examplesFolder)/\(name)", in: folder)
        #expect(result.status == .completed)
        let accuracy = try #require(result.best?.validationAccuracy)
        #expect(accuracy >= 0.97)
        let test = try #require(summary["test"] as? [String: Any])
        let final = try #require(test["final"] as? [String: Double])
        #expect(try #require(final["accuracy"]) >= 0.9)
    }

    @Test func irisTrainsOnFishersTableWithSpeciesNames() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, _) = try Self.train("\(Fixtures.examplesFolder)/iris.yaml", in: folder)
        #expect(try #require(result.best?.validationAccuracy) >= 0.9)
        let checkpoint = try Checkpoint.read(contentsOf: result.directory.checkpointPath("best"))
        #expect(checkpoint.input?.classes == .names(["setosa", "versicolor", "virginica"]))
        #expect(checkpoint.input?.featureColumns == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
    }

    /// An IDX file of unsigned bytes, gzip-compressed when `gzip` (a stored DEFLATE block).
    static func writeIDX(shape: [Int], values: [UInt8], to url: URL) throws {
        var bytes: [UInt8] = [0, 0, 8, UInt8(shape.count)]
        for dimension in shape { bytes += (0..<4).map { UInt8((dimension >> (8 * (3 - $0))) & 0xFF) } }
        bytes += values
        var gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var start = 0
        repeat {
            let length = min(65535, bytes.count - start)
            gzip += [start + length == bytes.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8),
                     UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)] + bytes[start..<(start + length)]
            start += length
        } while start < bytes.count
        for value in [CRC32.checksum(of: bytes), UInt32(bytes.count)] { gzip += (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        try Data(gzip).write(to: url)
    }

    @Test(arguments: ["mnist-mlp.yaml", "mnist-resnet.yaml"])
    func mnistExamplesRunOnSyntheticIDXFiles(name: String) throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 30 training and 10 test "digits": image i is all (i % 10) · 25, its label i % 10.
        var files: [String: URL] = [:]
        for (set, count) in [("train", 30), ("t10k", 10)] {
            let images = folder.appendingPathComponent("\(set)-images-idx3-ubyte.gz")
            let labels = folder.appendingPathComponent("\(set)-labels-idx1-ubyte.gz")
            try Self.writeIDX(shape: [count, 28, 28], values: (0..<count).flatMap { Array(repeating: UInt8(($0 % 10) * 25), count: 784) }, to: images)
            try Self.writeIDX(shape: [count], values: (0..<count).map { UInt8($0 % 10) }, to: labels)
            files[set] = images
            files[set + "-labels"] = labels
        }
        let overrides = ["dataset.images=\(files["train"]!.path)", "dataset.labels=\(files["train-labels"]!.path)",
                         "dataset.test_images=\(files["t10k"]!.path)", "dataset.test_labels=\(files["t10k-labels"]!.path)",
                         "dataset.validation_fraction=0.2", "training.epochs=1", "training.batch_size=10"]
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/\(name)", overrides: overrides)
        #expect(experiment.training.sampleShape == [1, 28, 28])
        #expect((experiment.training.count, experiment.validation.count, experiment.test?.count) == (24, 6, 10))
        #expect(experiment.classes == .indices(count: 10))
        #expect(experiment.training.features.allSatisfy { $0 >= 0 && $0 <= 1 })
        let (result, summary) = try Self.train("\(Fixtures.examplesFolder)/\(name)", overrides: overrides, in: folder)
        #expect(result.status == .completed)
        #expect(summary["test"] is [String: Any])
    }
}
