import ArgumentParser
import Configuration
import Foundation

/// Options that change an experiment file's values before it is validated.
struct ExperimentOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a value: key.path=value (repeatable), validated like the file.", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: "The run's name (same as --set name=NAME).")
    var name: String?

    @Option(help: "The seed of every random draw (same as --set seed=SEED).")
    var seed: UInt64?

    /// Every override, `--name` and `--seed` last so that they win. The name is taken as it is
    /// written, not read as YAML (`*`, `a #b` and `true` are names).
    var allOverrides: [String] {
        overrides + (name.map { [ExperimentLoader.stringOverride("name", $0)] } ?? []) + (seed.map { ["seed=\($0)"] } ?? [])
    }
}
