import Configuration
import Foundation
import Testing

/// The built executable given hostile or unlucky input: every refusal exits 1 (64 for usage) with
/// one located, bounded line per problem, and nothing crashes or is written.
@Suite(.serialized)
struct HostileInputTests {
    /// Whether `text` shows a crash: a Swift runtime failure or a backtrace.
    static func crashed(_ result: BaifsRunProcess.Result) -> Bool {
        result.status > 128 || result.standardError.contains("Fatal error") || result.standardError.contains("Backtrac")
    }

    @Test(arguments: [
        ("experiments/mlp.yaml", "training.batch_size=9223372036854775807",
         "--set:1:21: error: training.batch_size: must be in [1, 1000000]; got 9223372036854775807"),
        ("experiments/mlp.yaml", "schedule.warmup_epochs=9223372036854775807",
         "--set:1:24: error: schedule.warmup_epochs: must be in [0, 1000000]; got 9223372036854775807"),
        ("experiments/mlp.yaml", "model.layers.0.out=4611686018427387904",
         "--set:1:20: error: model.layers.0.out: must be in [1, 1000000]; got 4611686018427387904"),
        ("experiments/resnet.yaml", "model.layers.2.out=2147483648",
         "--set:1:20: error: model.layers.2.out: must be in [1, 1000000]; got 2147483648"),
        ("experiments/resnet.yaml", "model.layers.0.padding=1000",
         "experiments/resnet.yaml:26:15: error: training.batch_size: training needs about "),
    ])
    func hugeIntegersAreLocatedErrorsInCheckRunAndPlan(file: String, override: String, expected: String) throws {
        let folder = try BaifsRunProcess.scratchFolder()
        for command in [["check"], ["run", "--quiet"], ["plan", "--no-timing"]] {
            let extra = override.contains("padding") ? ["--memory-limit", "1G"] : []
            let result = try BaifsRunProcess.run(command + [file, "--set", override] + extra, in: folder)
            #expect(result.status == 1, "\(command): \(result.standardError)")
            #expect(!Self.crashed(result))
            #expect(result.standardError.split(separator: "\n").first?.hasPrefix(expected) == true, "\(command): \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    @Test func aSweepRangeNearTheLargestIntegerIsExactOrRefused() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try "base: experiments/mlp.yaml\ngrid:\n  seed: {range: {start: 9223372036854775800, stop: 9223372036854775807, step: 5}}\n"
            .write(to: folder.appendingPathComponent("near.yaml"), atomically: true, encoding: .utf8)
        let near = try BaifsRunProcess.run(["sweep", "near.yaml", "--emit", "parallel", "--quiet"], in: folder)
        #expect(near.status == 0, "\(near.standardError)")
        let jobs = try String(contentsOf: folder.appendingPathComponent("runs/near/jobs.txt"), encoding: .utf8)
        #expect(jobs.contains("trial-0001") && jobs.contains("trial-0002") && !jobs.contains("trial-0003"))
        let sweep = try String(contentsOf: folder.appendingPathComponent("runs/near/manifest.jsonl"), encoding: .utf8)
        #expect(sweep.contains("seed=9223372036854775800") && sweep.contains("seed=9223372036854775805"))

        try "base: experiments/mlp.yaml\ngrid:\n  seed: {range: {start: -9223372036854775808, stop: 9223372036854775807, step: 1}}\n"
            .write(to: folder.appendingPathComponent("wide.yaml"), atomically: true, encoding: .utf8)
        let wide = try BaifsRunProcess.run(["check", "wide.yaml"], in: folder)
        #expect(wide.status == 1)
        #expect(wide.standardError.hasPrefix("wide.yaml:3:17: error: grid.seed.range: has more than 10000 values; at most 10000 are allowed\n"))
    }

    @Test func anAliasBombIsRefusedAtOnce() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        try (lines.joined(separator: "\n") + "\n? *a8\n: 1\n").write(to: folder.appendingPathComponent("bomb.yaml"), atomically: true, encoding: .utf8)
        let result = try BaifsRunProcess.run(["check", "bomb.yaml"], in: folder)
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("bomb.yaml:6:10: error: a5.0: aliases expand the document by more than 100000 nodes"))
    }

    @Test func pathsThatAreNotFilesAreNamedAsSuch() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        for (path, reason) in [("experiments", "it is a directory, not a file"), ("/dev/zero", "it is a character device, not a file")] {
            let result = try BaifsRunProcess.run(["check", path], in: folder)
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("\(path):1:1: error: cannot read the experiment file (\(reason))\n"))
        }
    }

    @Test func initFromErrorsAreLocatedInCheckAndRun() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        for (value, problem) in [(".", "it is a directory, not a file"), ("/dev/zero", "it is a character device, not a file"),
                                 ("missing.json", "no such file")] {
            for command in [["check"], ["run", "--quiet"]] {
                let result = try BaifsRunProcess.run(command + ["experiments/mlp.yaml", "--set", "init_from=\(value)"], in: folder)
                #expect(result.status == 1)
                let path = value.hasPrefix("/") ? value : "experiments/\(value)"
                #expect(result.standardError.hasPrefix("--set:1:11: error: init_from: cannot read \(path): \(problem)\n"),
                        "\(result.standardError)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
        // A checkpoint that does not fit the model is found by check too.
        let trained = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=1", "--quiet"], in: folder)
        #expect(trained.status == 0)
        let misfit = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "--set", "init_from=../runs/moons-mlp/checkpoints/last.json",
                                              "--set", "model.layers.0.out=8"], in: folder)
        #expect(misfit.status == 1)
        #expect(misfit.standardError.hasPrefix("--set:1:11: error: init_from: ../runs/moons-mlp/checkpoints/last.json does not fit the model: mis-shaped layers.0.weight is [16, 2] in the file but [8, 2] in the model; "))
        // A model far larger than the checkpoint is refused without being built.
        let huge = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "--set", "init_from=../runs/moons-mlp/checkpoints/last.json",
                                            "--set", "model.layers.0.out=1000000", "--set", "model.layers.2.out=1000000"], in: folder)
        #expect(huge.status == 1)
        #expect(huge.standardError.hasPrefix("--set:1:11: error: init_from: ../runs/moons-mlp/checkpoints/last.json holds 337 parameter values, fewer than the 1000005000001 of the model; it cannot initialise it\n"),
                "\(huge.standardError)")
        // A sweep whose trials would all fail on it is refused before anything is written.
        try "base: experiments/mlp.yaml\nset: {init_from: missing.json}\ngrid:\n  seed: [1, 2]\n"
            .write(to: folder.appendingPathComponent("sweep.yaml"), atomically: true, encoding: .utf8)
        let sweep = try BaifsRunProcess.run(["sweep", "sweep.yaml", "--out", "sweeps"], in: folder)
        #expect(sweep.status == 1)
        #expect(sweep.standardError.hasPrefix("sweep.yaml:2:18: error: init_from: cannot read experiments/missing.json: no such file"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("sweeps").path))
    }

    @Test func theCommandLineAnswersVersionUnknownOptionsAndAnEmptyOut() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let version = try BaifsRunProcess.run(["--version"], in: folder)
        #expect(version.status == 0)
        #expect(version.standardOutput == "0.1.0\n")
        let bogus = try BaifsRunProcess.run(["--bogus"], in: folder)
        #expect(bogus.status == 64)
        #expect(bogus.standardError.hasPrefix("Error: Unknown option '--bogus'"))
        let checkBogus = try BaifsRunProcess.run(["check", "--bogus"], in: folder)
        #expect(checkBogus.status == 64)
        #expect(checkBogus.standardError.hasPrefix("Error: Unknown option '--bogus'"))
        let missing = try BaifsRunProcess.run(["run"], in: folder)
        #expect(missing.status == 64)
        #expect(missing.standardError.hasPrefix("Error: Missing expected argument '<experiment>'"))
        let emptyOut = try BaifsRunProcess.run(["experiments/mlp.yaml", "--out", ""], in: folder)
        #expect(emptyOut.status == 64)
        #expect(emptyOut.standardError.hasPrefix("Error: --out needs a folder; got an empty path."))
    }

    @Test func threadAndJobCountsAreRangeChecked() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        // Both were accepted up to Int.max: --jobs went into sbatch's `--array=1-12%9223372036854775807`.
        for (arguments, message) in [(["run", "experiments/mlp.yaml", "--threads", "9223372036854775807"], "Error: --threads must be in [1, 1024]; got 9223372036854775807."),
                                     (["plan", "experiments/mlp.yaml", "--threads", "1025"], "Error: --threads must be in [1, 1024]; got 1025."),
                                     (["sweep", "experiments/sweep-mlp.yaml", "--emit", "slurm", "--jobs", "9223372036854775807"], "Error: --jobs must be in [1, 10000]; got 9223372036854775807.")] {
            let result = try BaifsRunProcess.run(arguments, in: folder)
            #expect(result.status == 64)
            #expect(result.standardError.hasPrefix(message + "\n"), "\(arguments): \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    @Test func namesAreTakenAsWrittenNotAsYAML() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        for name in ["*", "a #b", "true", "[x]", "'quoted'", "naïve\\"] {
            let result = try BaifsRunProcess.run(["experiments/mlp.yaml", "--name", name, "--print-config"], in: folder)
            #expect(result.status == 0, "\(name): \(result.standardError)")
            let printed = try ExperimentLoader.load(yaml: result.standardOutput, path: "config.yaml")
            #expect(printed.config.name == name)
        }
        let controls = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "--name", "a\nb"], in: folder)
        #expect(controls.status == 1)
        #expect(controls.standardError.hasPrefix("--set:1:6: error: name: a name cannot be empty or contain '/', line breaks or other control characters; got 'a\\nb'\n"))
        // A name too long for a folder was accepted by check, and run failed only at mkdir, without a location.
        let long = String(repeating: "x", count: 201)
        for command in [["check"], ["run", "--quiet"]] {
            let result = try BaifsRunProcess.run(command + ["experiments/mlp.yaml", "--name", long], in: folder)
            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("--set:1:6: error: name: a name has at most 200 characters, since it names a folder; got 201\n"),
                    "\(command): \(result.standardError)")
        }
        let longest = try BaifsRunProcess.run(["check", "experiments/mlp.yaml", "--name", String(repeating: "é", count: 200)], in: folder)
        #expect(longest.status == 0, "\(longest.standardError)")
    }

    @Test func unsignedLabelsPastIntAreALocatedErrorInCheckAndRun() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        // digits-targets.npy as '<u8' with the last label 2⁶⁴ − 1, which converted to Int trapped.
        let original = try Data(contentsOf: folder.appendingPathComponent("experiments/data/digits/digits-targets.npy"))
        let header = "{'descr': '<u8', 'fortran_order': False, 'shape': (1797,), }"
        let padded = header + String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        let labels = Data(original.suffix(1797).dropLast().flatMap { [$0] + [UInt8](repeating: 0, count: 7) } + [UInt8](repeating: 0xFF, count: 8))
        var npy = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(padded.utf8.count), 0]) + Data(padded.utf8)
        npy += labels
        try npy.write(to: folder.appendingPathComponent("experiments/data/digits/digits-targets.npy"))
        for command in [["check"], ["run", "--quiet"]] {
            let result = try BaifsRunProcess.run(command + ["experiments/digits-mlp.yaml"], in: folder)
            #expect(result.status == 1)
            #expect(!Self.crashed(result))
            #expect(result.standardError.hasPrefix("experiments/digits-mlp.yaml:9:12: error: dataset.targets: experiments/data/digits/digits-targets.npy: row 1796 holds 1.8446744073709552e+19, which is too large for a class label (at most 2^53 - 1)\n"),
                    "\(command): \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }
}
