import Foundation

/// Where the test fixtures and the shipped example experiments are, for every test target.
public enum Fixtures {
    /// `Tests/Fixtures`: the broken and valid experiment files and small data files.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// `Fixtures/broken`, the corpus of experiment files with mistakes.
    public static let brokenFolder = "\(folder)/broken"

    /// The package's `experiments/` folder.
    public static let examplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("experiments").path

    /// The valid experiment files among the fixtures, by path.
    public static let validPaths = ["csv-regression", "every-layer", "no-validation"].map { "\(folder)/valid/\($0).yaml" }

    /// The package's `docs/` folder.
    public static let docsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs").path

    /// The example experiment files, by path (the sweep files, `sweep-*.yaml`, and the examples
    /// whose data the user downloads, `mnist-*.yaml`, aside).
    public static var examplePaths: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examplesFolder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("sweep") && !$0.hasPrefix("mnist") }.sorted()
            .map { "\(examplesFolder)/\($0)" }
    }

    /// The examples for MNIST, whose files the repository does not ship.
    public static var mnistExamplePaths: [String] {
        ["mnist-mlp.yaml", "mnist-resnet.yaml"].map { "\(examplesFolder)/\($0)" }
    }

    /// The example sweep files, `sweep-*.yaml`, by path.
    public static var sweepPaths: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examplesFolder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && $0.hasPrefix("sweep") }.sorted().map { "\(examplesFolder)/\($0)" }
    }
}
