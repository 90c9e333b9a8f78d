import ArgumentParser
import Configuration

/// Loads an experiment file, printing its errors compiler-style and exiting 1 if it is not valid.
func loadExperiment(_ path: String, overrides: [String]) throws -> Experiment {
    do {
        return try ExperimentLoader.load(contentsOf: path, overrides: overrides)
    } catch {
        printError(error.description)
        printError("baifs-run: \(error.summary(file: path)).")
        throw ExitCode.inputOrRunFailure
    }
}
