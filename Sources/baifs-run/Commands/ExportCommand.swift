import ArgumentParser
import Foundation
import Configuration
import Runs

/// `baifs-run export CHECKPOINT --format safetensors`: a checkpoint's parameters for other frameworks.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint's parameters as safetensors, for PyTorch, JAX, MLX or NumPy.",
        discussion: """
        The tensors keep their state_dict names, order and PyTorch layouts; the metadata holds the config
        hash, epoch and step. In PyTorch: model.load_state_dict(safetensors.torch.load_file(FILE)).
        """
    )

    /// The formats `export` writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case safetensors
    }

    /// The element types `export` writes.
    enum DataType: String, ExpressibleByArgument, CaseIterable {
        case f32, f64
    }

    @Argument(help: "A checkpoint of a run, such as runs/mlp/checkpoints/best.json.")
    var checkpoint: String

    @Option(help: "The file format.")
    var format: Format = .safetensors

    @Option(help: "The element type: f32 (what frameworks expect) or f64 (exact).")
    var dtype: DataType = .f32

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("The file to write (default: the checkpoint's path with the extension .safetensors; - for standard output). A device or fifo is written into; a symbolic link, a folder and the checkpoint are refused.", valueName: "file"))
    var output: String?

    func run() throws {
        let saved: Checkpoint
        do {
            saved = try Checkpoint.read(contentsOf: checkpoint)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode.inputOrRunFailure
        }
        let text = (try? String(contentsOfFile: checkpoint, encoding: .utf8)) ?? ""
        let file = SafetensorsFile(
            tensors: saved.parametersInFileOrder(text: text).map { SafetensorsFile.Tensor(name: $0.name, shape: $0.shape, values: $0.values) },
            metadata: [("format", "pt"), ("config_hash", saved.configHash), ("epoch", String(saved.epoch)), ("step", String(saved.step))],
            dataType: dtype == .f32 ? .float32 : .float64)
        let path = output ?? (checkpoint.hasSuffix(".json") ? String(checkpoint.dropLast(5)) : checkpoint) + ".safetensors"
        let destination = try storeOrFail { () throws(RunStoreError) in
            let destination = try OutputFile(path, option: output == nil ? "the default output" : "--output", inputs: [checkpoint])
            try destination.write(file.data)
            return destination
        }
        // The path, for scripts; not when the tensors themselves went to standard output.
        if destination.destination != .standardOutput { print(path) }
    }
}
