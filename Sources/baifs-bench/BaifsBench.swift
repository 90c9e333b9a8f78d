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

    @Option(help: "Instead of the workloads, time loading this data file (.csv, .npy or IDX) and print one JSON object.")
    var load: String?

    @Option(help: "With --load of a CSV file: the class column.")
    var target = "label"

    @Option(help: "With --load of an .npy or IDX file: the labels file.")
    var labels: String?

    func run() throws {
        if let load {
            let result = try DataLoading(path: load, target: target, labels: labels).measure()
            let decoded = Double(result.samples * result.featureCount * MemoryLayout<Double>.size) / 1_048_576
            print("{\"seconds\": \(rounded(result.seconds)), \"samples\": \(result.samples), \"features\": \(result.featureCount), "
                  + "\"decoded_mb\": \(rounded(decoded)), \"peak_rss_mb\": \(rounded(peakResidentMegabytes()))}")
            return
        }
        let workloads = Workload.all.filter { workload == nil || $0.name == workload }
        guard !workloads.isEmpty else {
            throw ValidationError("Unknown workload '\(workload ?? "")'; choose one of: \(Workload.all.map(\.name).joined(separator: ", ")).")
        }
        var results: [(String, WorkloadResult)] = []
        for item in workloads {
            if !json { FileHandle.standardError.write(Data("timing \(item.name)…\n".utf8)) }
            results.append((item.name, item.measure(threads)))
        }
        let peak = peakResidentMegabytes()
        if json {
            let fields = results.map { name, result in
                "\"\(name)\": {\"us_per_step\": \(rounded(result.microsecondsPerStep)), \"ns_per_node\": \(rounded(result.nanosecondsPerNode)), "
                    + "\"nodes_per_step\": \(result.nodesPerStep), \"tape_nodes_per_step\": \(result.tapeNodesPerStep), "
                    + (result.referenceMicrosecondsPerStep.map { "\"reference_us_per_step\": \(rounded($0)), " } ?? "")
                    + "\"peak_rss_mb\": \(rounded(peak))}"
            }
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("workload        µs/step   ns/node   nodes/step   reference µs/step   ratio")
            for (name, result) in results {
                let reference = result.referenceMicrosecondsPerStep
                print(name.padding(toLength: 14, withPad: " ", startingAt: 0),
                      format(result.microsecondsPerStep, width: 9), format(result.nanosecondsPerNode, width: 9),
                      String(result.nodesPerStep).leftPadded(12),
                      reference.map { format($0, width: 19) } ?? "-".leftPadded(19),
                      reference.map { format(result.microsecondsPerStep / $0, width: 7) } ?? "-".leftPadded(7))
            }
            print("threads: \(threads); peak resident memory: \(format(peak, width: 0)) MB")
        }
    }
}

private func rounded(_ value: Double) -> String { String(format: "%.3f", value) }
private func format(_ value: Double, width: Int) -> String { String(format: "%.2f", value).leftPadded(width) }

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
