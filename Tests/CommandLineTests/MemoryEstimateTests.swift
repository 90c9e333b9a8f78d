import Foundation
import Testing

/// The memory `plan` estimates (and `run` refuses by) against the peak resident memory of a real
/// run of the built executable (its `VmHWM`, read from /proc while it runs: the high-water mark
/// only grows, so the last reading holds the peak): within 30% for the examples and for configs
/// whose tapes, parameters or `init_from` checkpoint dominate. A memory measurement, not a timing one.
///
/// (`ru_maxrss` from wait4(2) would not do: posix_spawn's child shares the test process's memory
/// until it execs, and the kernel counts that memory as the child's peak.)
@Suite(.serialized)
struct MemoryEstimateTests {
    /// Runs `baifs-run arguments` in `folder` with its output discarded; returns its exit status
    /// and its peak resident bytes.
    static func peakResidentBytes(_ arguments: [String], in folder: URL) throws -> (status: Int32, bytes: Int) {
        let quoted = ([BaifsRunProcess.executable.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "cd '\(folder.path)' && exec \(quoted.joined(separator: " ")) > /dev/null 2>&1"
        var pid = pid_t()
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in word.withCString { strdup($0) } } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        try #require(spawned == 0)
        var status: Int32 = 0
        var peak = 0
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited < 0 && errno != EINTR) { break }
            // Once the shell has become baifs-run: before, the process still shares this one's memory.
            if (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("baifs-run") == true,
               let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) {
                peak = max(peak, kilobytes * 1024)
            }
            usleep(2_000)
        }
        return ((status >> 8) & 0xFF, peak)
    }

    /// The bytes of "memory: 12.3 MB at the peak" in `plan`'s output.
    static func estimate(_ arguments: [String], in folder: URL) throws -> Double {
        let plan = try BaifsRunProcess.run(["plan"] + arguments + ["--no-timing"], in: folder)
        #expect(plan.status == 0, "\(plan.standardError)")
        let line = try #require(plan.standardOutput.split(separator: "\n").first { $0.hasPrefix("memory: ") })
        let words = line.split(separator: " ")
        let number = try #require(Double(words[1]))
        let unit: Double = switch words[2] {
        case "GB": 0x1p30
        case "MB": 0x1p20
        case "KB": 0x1p10
        default: 1
        }
        return number * unit
    }

    static func expectWithin30Percent(_ arguments: [String], in folder: URL, _ label: String) throws {
        let estimated = try estimate(arguments, in: folder)
        let measured = try peakResidentBytes(arguments + ["--quiet", "--threads", "1"], in: folder)
        #expect(measured.status == 0, "\(label): exit status \(measured.status)")
        let ratio = estimated / Double(measured.bytes)
        #expect(ratio > 0.7 && ratio < 1.3,
                "\(label): estimated \(Int(estimated) >> 20) MB, measured \(measured.bytes >> 20) MB (ratio \(ratio))")
    }

    /// Every example whose data is in the repository (the MNIST ones download theirs).
    @Test(arguments: ["mlp", "resnet", "spirals-adam", "iris", "digits-mlp", "digits-resnet"])
    func theEstimateOfEachExampleIsWithin30PercentOfItsPeak(example: String) throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try Self.expectWithin30Percent(["experiments/\(example).yaml", "--set", "training.epochs=3"], in: folder, example)
    }

    @Test func graphChecksMemoryLikeRun() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let refused = try BaifsRunProcess.run(["graph", "experiments/mlp.yaml", "--memory-limit", "1M"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.standardError.hasPrefix("experiments/mlp.yaml:29:15: error: training.batch_size: training needs about "), "\(refused.standardError)")
        #expect(refused.standardOutput.isEmpty)
    }

    @Test func theEstimateOfLargeConfigsIsWithin30PercentOfTheirPeak() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        // Tapes: 64 chunk graphs of a 2 → 256 → 256 → 1 network.
        try Self.expectWithin30Percent(["experiments/mlp.yaml", "--set", "model.layers.0.out=256", "--set", "model.layers.2.out=256",
                                        "--set", "training.batch_size=512", "--set", "dataset.samples=700", "--set", "training.epochs=2",
                                        "--name", "tapes"], in: folder, "tapes")
        // Parameters and Adam's moments: 2 → 400 → 400 → 1 over several epochs, with checkpoints.
        let wide = ["experiments/mlp.yaml", "--set", "model.layers.0.out=400", "--set", "model.layers.2.out=400",
                    "--set", "optimizer={kind: adam, learning_rate: 0.001}", "--set", "dataset.samples=48", "--set", "training.epochs=3"]
        try Self.expectWithin30Percent(wide + ["--name", "wide"], in: folder, "parameters")
        // Convolutions: the micro ResNet on batches of 128 images.
        try Self.expectWithin30Percent(["experiments/resnet.yaml", "--set", "training.batch_size=128", "--set", "training.epochs=1",
                                        "--name", "convolutions"], in: folder, "convolutions")
        // Reading a checkpoint for init_from: the parameters and Adam's moments of the run above, into
        // SGD, which keeps no buffers, so that reading is the peak.
        try Self.expectWithin30Percent(wide + ["--set", "init_from=../runs/wide/checkpoints/last.json", "--set", "training.epochs=1",
                                               "--set", "optimizer={kind: sgd, learning_rate: 0.01}", "--name", "warm"], in: folder, "init_from")
    }
}
