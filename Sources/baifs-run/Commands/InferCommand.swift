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

    @Option(help: ArgumentHelp("Write the predictions to this file (- or none: standard output). A device or fifo is written into; a symbolic link, a folder and the files infer reads are refused.",
                               valueName: "file.csv"))
    var output: String?

    func run() throws {
        do {
            let predictor = try Predictor(checkpointPath: checkpoint)
            let destination = try OutputFile(output ?? "-", option: "--output", inputs: predictor.inputPaths + [input])
            try destination.write(try predictor.predictCSV(inputPath: input))
        } catch let error as RunStoreError {
            printError("error: \(error.message)")
            throw ExitCode.inputOrRunFailure
        } catch let error as CustomStringConvertible {
            printError("\(error)")
            throw ExitCode.inputOrRunFailure
        }
    }
}
