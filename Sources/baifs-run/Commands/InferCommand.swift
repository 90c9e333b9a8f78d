import ArgumentParser
import Baifs
import Foundation
import Runs

/// `baifs-run infer CHECKPOINT --input FILE`: predictions of a trained model, for a CSV or `.npy` file.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Predict with a checkpoint: one output row per input row, as CSV.",
        discussion: """
        The input is a CSV file with a header, or a NumPy .npy array of shape [N, …] whose rows are samples.
        For a model trained on a CSV file, the training feature columns are read by name (in any order;
        other columns are ignored); otherwise every column is a feature. Inputs are scaled and normalised
        as in training. The output has `predicted_class` (classification: the class name, or its index)
        and `output_0`, `output_1`, … columns. The checkpoint holds what inference needs besides the
        run's config.yaml, so the training data need not be there.
        """
    )

    @Argument(help: "A checkpoint of a run, such as runs/mlp/checkpoints/best.json.")
    var checkpoint: String

    @Option(help: "The inputs: a CSV file with a header, or an .npy array.")
    var input: String

    @Option(help: ArgumentHelp("Write the predictions to this file (- or none: standard output). A device or fifo is written into; a symbolic link, a folder and the files infer reads are refused.",
                               valueName: "file.csv"))
    var output: String?

    func run() throws {
        do {
            let predictor = try Predictor(checkpointPath: checkpoint)
            let destination = try OutputFile(output ?? "-", option: "--output", inputs: predictor.inputPaths + [input])
            try destination.write(try predictor.predict(inputPath: input))
        } catch let error as RunStoreError {
            printError("error: \(error.message)")
            throw ExitCode.inputOrRunFailure
        } catch let error as CustomStringConvertible {
            printError("\(error)")
            throw ExitCode.inputOrRunFailure
        }
    }
}
