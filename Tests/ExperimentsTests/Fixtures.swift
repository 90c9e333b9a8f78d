import Experiments
import Foundation
import Testing

/// Where the test fixtures and the shipped example experiments are.
enum Fixtures {
    /// `Tests/ExperimentsTests/Fixtures`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    /// `Fixtures/broken`, the corpus of experiment files with mistakes.
    static let brokenFolder = "\(folder)/broken"

    /// The package's `experiments/` folder.
    static let examplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("experiments").path

    /// The package's `docs/` folder.
    static let docsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs").path

    /// The example experiment files, by path (the sweep files, `sweep-*.yaml`, aside).
    static var examplePaths: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examplesFolder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("sweep") }.sorted().map { "\(examplesFolder)/\($0)" }
    }

    /// The example sweep files, `sweep-*.yaml`, by path.
    static var sweepPaths: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examplesFolder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && $0.hasPrefix("sweep") }.sorted().map { "\(examplesFolder)/\($0)" }
    }

    /// The diagnostic lines of loading `yaml` (as though from `path`) with `overrides`, or an
    /// empty list if it loads.
    static func diagnostics(yaml: String, path: String = "experiment.yaml", overrides: [String] = []) -> [String] {
        do {
            _ = try ExperimentLoader.load(yaml: yaml, path: path, overrides: overrides)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// A small valid experiment: two moons and a 2 → 8 → 1 tanh network, every other key default.
    static let minimalYAML = """
        dataset:
          kind: two_moons
        model:
          kind: mlp
          layers:
            - {type: linear, out: 8}
            - tanh
            - {type: linear, out: 1}

        """
}
