import Autograd
import ArgumentParser
import Baifs
import Foundation

@main
struct BaifsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baifs-bench",
        abstract: "Time baifs training steps against a hand-written implementation of the same step.",
        discussion: """
        A step is: forward over the batch, MSE loss, backward, (clipping), SGD update, on fresh graphs in
        reused memory. Workloads other than mlp-64 take the solver's path: chunks of 8 samples on up to
        --threads threads. mlp-64 is one graph on one thread, beside a hand-written flat-array step.
        Graph nodes are counted as micrograd would build them (see Graph.scalarOperationCount).
        """
    )

    @Flag(help: "Print one JSON object keyed by workload name instead of a table.")
    var json = false

    @Option(help: "Run only the named workload.")
    var workload: String?

    @Option(help: "Threads for the data-parallel workloads (results are identical for any number).")
    var threads = 1

    @Option(help: "One core's peak float64 GFLOP/s to divide by, instead of the one derived from the processor.")
    var peakGflops: Double?

    @Flag(help: "Time whole trainings per epoch (train/… workloads: shuffling, batches, SGD, validation) instead of steps.")
    var training = false

    @Option(help: "Instead of the workloads, time loading this data file (.csv, .npy or IDX) and print one JSON object.")
    var load: String?

    @Option(help: "With --load of a CSV file: the class column.")
    var target = "label"

    @Option(help: "With --load of an .npy or IDX file: the labels file.")
    var labels: String?

    @Option(help: "With --load: the factor every feature is multiplied by, such as 0.00392156862745098 (1/255) as the MNIST experiments do.")
    var scale = 1.0

    func run() throws {
        if let load {
            let result = try DataLoading(path: load, target: target, labels: labels, scale: scale).measure()
            let decoded = Double(result.samples * result.featureCount * MemoryLayout<Double>.size) / 1_048_576
            print("{\"seconds\": \(rounded(result.seconds)), \"samples\": \(result.samples), \"features\": \(result.featureCount), "
                  + "\"decoded_mb\": \(rounded(decoded)), \"peak_rss_mb\": \(rounded(peakResidentMegabytes()))}")
            return
        }
        if training { return try runTrainings() }
        let workloads = Workload.all.filter { workload == nil || $0.name == workload }
        guard !workloads.isEmpty else {
            throw ValidationError("Unknown workload '\(workload ?? "")'; choose one of: \(Workload.all.map(\.name).joined(separator: ", ")).")
        }
        var results: [(name: String, result: WorkloadResult, peakMegabytes: Double)] = []
        for item in workloads {
            if !json { FileHandle.standardError.write(Data("timing \(item.name)…\n".utf8)) }
            resetPeakResident()
            var result = item.measure(threads)
            result.flopsPerStep = item.flopsPerStep
            results.append((item.name, result, peakResidentMegabytes()))
        }
        let peak = CorePeak.measured(override: peakGflops)
        let processPeak = results.map(\.peakMegabytes).max() ?? 0
        if json {
            let fields = results.map { name, result, megabytes in
                "\"\(name)\": {\"us_per_step\": \(rounded(result.microsecondsPerStep)), \"ns_per_node\": \(rounded(result.nanosecondsPerNode)), "
                    + "\"nodes_per_step\": \(result.nodesPerStep), \"tape_nodes_per_step\": \(result.tapeNodesPerStep), "
                    + "\"flops_per_step\": \(Int(result.flopsPerStep)), \"gflops\": \(rounded(result.gigaflops)), "
                    + "\"fraction_of_peak\": \(String(format: "%.5f", result.gigaflops / peak.gigaflops)), "
                    + (result.referenceMicrosecondsPerStep.map { "\"reference_us_per_step\": \(rounded($0)), " } ?? "")
                    + "\"workload_peak_rss_mb\": \(rounded(megabytes)), \"peak_rss_mb\": \(rounded(processPeak))}"
            }
            let meta = "\"_meta\": {\"threads\": \(threads), \"kernels\": \"\(FusedKernels.instructionSet)\", "
                + "\"peak_gflops\": \(rounded(peak.gigaflops)), \"peak_derivation\": \"\(peak.derivation)\"}"
            print("{" + (fields + [meta]).joined(separator: ", ") + "}")
        } else {
            print("workload           µs/step   ns/node   nodes/step  GFLOP/s  % peak  peak RSS MB  reference µs/step   ratio")
            for (name, result, megabytes) in results {
                let reference = result.referenceMicrosecondsPerStep
                print(name.padding(toLength: 16, withPad: " ", startingAt: 0),
                      format(result.microsecondsPerStep, width: 10), format(result.nanosecondsPerNode, width: 9),
                      String(result.nodesPerStep).leftPadded(12), format(result.gigaflops, width: 8),
                      format(100 * result.gigaflops / peak.gigaflops, width: 7), format(megabytes, width: 12),
                      reference.map { format($0, width: 18) } ?? "-".leftPadded(18),
                      reference.map { format(result.microsecondsPerStep / $0, width: 7) } ?? "-".leftPadded(7))
            }
            print("threads: \(threads); kernels: \(FusedKernels.instructionSet); peak: \(format(peak.gigaflops, width: 0)) GFLOP/s = \(peak.derivation)")
            print("GFLOP/s counts a dense step: 2 per multiply-add, forward + weight gradients + input gradients (none for the data).")
            print("peak RSS MB: the process's peak resident memory while the workload ran (reset before each).")
        }
    }
}

extension BaifsBench {
    func runTrainings() throws {
        let workloads = TrainingWorkload.all.filter { workload == nil || $0.name == workload }
        guard !workloads.isEmpty else {
            throw ValidationError("Unknown training workload '\(workload ?? "")'; choose one of: \(TrainingWorkload.all.map(\.name).joined(separator: ", ")).")
        }
        var fields: [String] = []
        if !json { print("workload                ms/epoch   epochs (ms)   peak RSS MB") }
        for item in workloads {
            if !json { FileHandle.standardError.write(Data("training \(item.name)…\n".utf8)) }
            resetPeakResident()
            let result = try item.measure(threads: threads)
            let megabytes = peakResidentMegabytes()
            if json {
                fields.append("\"\(item.name)\": {\"ms_per_epoch\": \(rounded(result.millisecondsPerEpoch)), "
                              + "\"epochs_ms\": [\(result.epochs.map(rounded).joined(separator: ", "))], \"workload_peak_rss_mb\": \(rounded(megabytes))}")
            } else {
                print(item.name.padding(toLength: 22, withPad: " ", startingAt: 0), format(result.millisecondsPerEpoch, width: 10),
                      "  " + result.epochs.map { String(format: "%.0f", $0) }.joined(separator: " "), format(megabytes, width: 10))
            }
        }
        if json {
            print("{" + (fields + ["\"_meta\": {\"threads\": \(threads), \"epochs\": \(TrainingWorkload.epochs)}"]).joined(separator: ", ") + "}")
        } else {
            print("threads: \(threads); ms/epoch: median of epochs 2–\(TrainingWorkload.epochs) (the first warms up)")
        }
    }
}

private func rounded(_ value: Double) -> String { String(format: "%.3f", value) }
private func format(_ value: Double, width: Int) -> String { String(format: "%.2f", value).leftPadded(width) }

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
