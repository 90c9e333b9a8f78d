import ArgumentParser
import Configuration
import Runs
import Sweeps

/// `baifs-run check FILE...`: validate experiment files without training.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate experiment files (and their data), and sweep files (every trial), without training.",
        discussion: """
        Prints `FILE: ok` on standard output for each valid file and compiler-style errors on standard error.
        Experiment files are also checked to fit in memory and to fit the checkpoint their init_from names,
        and with --gradcheck every layer's gradients are checked against finite differences. Exits 1 if
        any file is invalid.
        """
    )

    // Empty to the parser, so that an unknown option is reported as such rather than as missing
    // files; `run()` requires at least one.
    @Argument(help: ArgumentHelp("The experiment and sweep files.", valueName: "files"))
    var files: [String] = []

    @OptionGroup var options: ExperimentOptions

    @OptionGroup var preflight: PreflightOptions

    func run() throws {
        guard !files.isEmpty else {
            throw ValidationError("Missing expected argument '<files> ...', the experiment or sweep files to check.")
        }
        var failures = 0
        for file in files {
            do {
                if SweepLoader.isSweepFile(file) {
                    _ = try SweepLoader.load(contentsOf: file)
                } else {
                    let experiment = try ExperimentLoader.load(contentsOf: file, overrides: options.allOverrides)
                    do {
                        try preflight.check(experiment, quiet: true, file: file)
                    } catch {
                        failures += 1
                        continue
                    }
                }
                print("\(file): ok")
            } catch {
                printError(error.description)
                failures += 1
            }
        }
        if failures > 0 {
            printError("baifs-run: \(failures) of \(files.count) file\(files.count == 1 ? " is" : "s are") not valid.")
            throw ExitCode.inputOrRunFailure
        }
    }
}
