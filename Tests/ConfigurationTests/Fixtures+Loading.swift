import Configuration
import TestSupport

extension Fixtures {
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
