import Foundation

/// A shell command run in a scratch folder, for the tests that drive `baifs-run` through shell
/// scripts, GNU parallel and Slurm.
enum ShellCommand {
    /// Runs `command` with `bash -c` in `folder`, with `environment` added to this process's, and
    /// waits for it.
    static func run(_ command: String, in folder: URL, environment: [String: String] = [:]) throws -> BaifsRunProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return try BaifsRunProcess.finish(BaifsRunProcess.RunningProcess(process: process, output: output, error: error))
    }

    /// Whether `tool` is an executable on `PATH`.
    static func isAvailable(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }
}

/// Reading a sweep directory's files in tests.
enum SweepFiles {
    /// The JSON objects of `manifest.jsonl`.
    static func manifest(_ sweep: URL) throws -> [[String: Any]] {
        try String(contentsOf: sweep.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The statuses of the manifest's trials, in order.
    static func statuses(_ sweep: URL) throws -> [String] {
        try manifest(sweep).map { $0["status"] as? String ?? "" }
    }

    /// The lines of `summary.csv`, each split at commas.
    static func summary(_ sweep: URL) throws -> [[String]] {
        try String(contentsOf: sweep.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// A four-trial sweep over `experiments/mlp.yaml`, small enough for a debug build: two
    /// learning rates × two batch sizes, three epochs on 80 samples.
    static let quickSweep = """
        name: quick
        base: experiments/mlp.yaml
        set: {training.epochs: 3, dataset.samples: 80}
        grid:
          optimizer.learning_rate: [0.05, 0.1]
          training.batch_size: [8, 16]

        """

    /// Writes `text` to `name` in `folder`.
    static func write(_ text: String, to name: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}
