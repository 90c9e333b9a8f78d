import ArgumentParser
import Baifs
import Foundation
import Runs

/// `baifs-run infer CHECKPOINT --input FILE.csv`: predictions of a trained model.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Predict with a checkpoint: one output row per input row, as CSV.",
        discussion: """
        The input CSV has a header. For a model trained on a CSV file, the training feature columns are
        read by name (other columns are ignored) and normalised as in training; otherwise every column is
        a feature. The output has `predicted_class` (classification) and `output_0`, `output_1`, … columns.
        """
    )

    @Argument(help: "A checkpoint of a run, such as runs/mlp/checkpoints/best.json.")
    var checkpoint: String

    @Option(help: "The CSV file of inputs.")
    var input: String

    @Option(help: "Write the predictions here instead of standard output.")
    var output: String?

    func run() throws {
        do {
            let text = try Predictor(checkpointPath: checkpoint).predictCSV(inputPath: input)
            if let output {
                try AtomicFile.write(text, to: output)
            } else {
                print(text, terminator: "")
            }
        } catch let error as CustomStringConvertible {
            printError("\(error)")
            throw ExitCode.inputOrRunFailure
        }
    }
}
