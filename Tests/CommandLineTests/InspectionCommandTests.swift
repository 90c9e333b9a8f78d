import Foundation
import Configuration
import Runs
import Testing

/// End-to-end tests of the commands that show what is trained: curves.svg and plot, graph, plan,
/// --gradcheck, schema, export and shell completion.
@Suite(.serialized)
struct InspectionCommandTests {
    /// A short MLP run: few samples and epochs, to keep debug builds quick.
    static let quickRun = ["experiments/mlp.yaml", "--set", "training.epochs=4", "--set", "dataset.samples=80", "--quiet"]

    @Test func everyRunWritesItsCurvesAndPlotOverlaysRuns() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let first = try BaifsRunProcess.run(Self.quickRun, in: folder)
        let second = try BaifsRunProcess.run(Self.quickRun + ["--set", "optimizer.learning_rate=0.02", "--name", "slow"], in: folder)
        #expect(first.status == 0 && second.status == 0, "\(first.standardError)\(second.standardError)")
        let curves = try String(contentsOf: folder.appendingPathComponent("\(first.lastLine)/curves.svg"), encoding: .utf8)
        #expect(curves.contains("<title>moons-mlp: learning curves</title>"))
        #expect(curves.contains("data-metric=\"val_accuracy\""))

        let plot = try BaifsRunProcess.run(["plot", first.lastLine, second.lastLine, "-o", "both.svg"], in: folder)
        #expect(plot.status == 0, "\(plot.standardError)")
        #expect(plot.standardOutput.isEmpty)
        let both = try String(contentsOf: folder.appendingPathComponent("both.svg"), encoding: .utf8)
        #expect(both.contains("data-run=\"moons-mlp\"") && both.contains("data-run=\"slow\""))
        // A folder of runs stands for every run in it; without -o the SVG goes to standard output.
        let all = try BaifsRunProcess.run(["plot", "runs"], in: folder)
        #expect(all.status == 0)
        #expect(all.standardOutput == both)

        let missing = try BaifsRunProcess.run(["plot", "runs/nothing-here"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.standardError == "error: runs/nothing-here: no such run directory\n")
    }

    @Test func graphExportsDOTOfOneSample() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let tiny = ["--set", "model.layers.0.out=2", "--set", "model.layers.2.out=2"]
        let result = try BaifsRunProcess.run(["graph", "experiments/mlp.yaml"] + tiny, in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        #expect(result.standardOutput.hasPrefix("digraph baifs {"))
        #expect(result.standardOutput.contains("{ x[0] | data "))
        #expect(result.standardOutput.contains("label=\"layers.0: Linear(in: 2, out: 2, bias: true)\""))

        let layer = try BaifsRunProcess.run(["graph", "experiments/mlp.yaml", "--layer", "layers.1", "-o", "tanh.dot"] + tiny, in: folder)
        #expect(layer.status == 0)
        let dot = try String(contentsOf: folder.appendingPathComponent("tanh.dot"), encoding: .utf8)
        #expect(dot.contains("label=\"tanh\"") && !dot.contains("layers.0.weight"))

        let collapsed = try BaifsRunProcess.run(["graph", "experiments/resnet.yaml"], in: folder)
        #expect(collapsed.status == 0)
        #expect(collapsed.standardError.contains("more than --max-nodes 500; drawing one box per layer"))
        #expect(collapsed.standardOutput.contains("part_0 -> part_1"))

        let unknown = try BaifsRunProcess.run(["graph", "experiments/mlp.yaml", "--layer", "7"], in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.standardError.hasPrefix("error: no layer '7' in this model; choose one of input, layers.0,"))
    }

    @Test func planShowsEveryLayerAndRefusesWhatDoesNotFit() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["plan", "experiments/resnet.yaml"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "experiments/resnet.yaml: MicroResNet, cross_entropy loss")
        for name in ["input", "layers.0", "layers.1", "layers.2", "layers.3", "layers.4", "loss", "total per sample", "once per graph", "batch of 16"] {
            #expect(lines.contains { $0.hasPrefix(name + " ") }, "\(name)")
        }
        #expect(lines.contains { $0.hasPrefix("layers.0 ") && $0.contains(" conv2d ") && $0.contains(" 1 → 4, 3×3, stride 1, padding 1 ")
                && $0.contains(" [4, 8, 8] ") })
        #expect(lines.contains { $0.hasPrefix("memory: ") })
        #expect(lines.contains { $0.hasPrefix("time: about ") && $0.contains(" per epoch (") })

        let refused = try BaifsRunProcess.run(["plan", "experiments/resnet.yaml", "--memory-limit", "64K", "--no-timing"], in: folder)
        #expect(refused.status == 1)
        let reason = refused.standardError.split(separator: "\n")
        #expect(reason.count == 1)
        // Located at the batch size, which with the model decides the memory.
        #expect(reason.first?.hasPrefix("experiments/resnet.yaml:26:15: error: training.batch_size: training needs about ") == true)
        #expect(reason.first?.contains("more than the 64.0 KB of --memory-limit (layers.2 alone takes") == true)

        // run refuses it too, before creating anything.
        let run = try BaifsRunProcess.run(["experiments/resnet.yaml", "--memory-limit", "64K"], in: folder)
        #expect(run.status == 1)
        #expect(run.standardError.hasPrefix("experiments/resnet.yaml:26:15: error: training.batch_size: training needs about "))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))

        let badLimit = try BaifsRunProcess.run(["plan", "experiments/resnet.yaml", "--memory-limit", "lots"], in: folder)
        #expect(badLimit.status == 64)
    }

    @Test func gradcheckReportsEveryLayerBeforeTraining() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["experiments/resnet.yaml", "--gradcheck", "--set", "training.epochs=1",
                                              "--set", "dataset.samples=40"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let table = result.standardError.split(separator: "\n").map(String.init)
        #expect(table.first?.hasPrefix("gradient check: 2 samples, central differences") == true)
        for (name, type) in [("layers.0", "conv2d"), ("layers.1", "relu"), ("layers.2", "residual"), ("layers.3", "flatten"),
                             ("layers.4", "linear"), ("loss", "cross_entropy")] {
            #expect(table.contains { $0.hasPrefix(name) && $0.contains(type) && $0.hasSuffix("ok") }, "\(name)")
        }
        #expect(result.lastLine == "runs/bars-resnet")
    }

    @Test func schemaPrintsTheCommittedSchema() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["schema"], in: folder)
        #expect(result.status == 0)
        let committed = try String(contentsOf: BaifsRunProcess.repository.appendingPathComponent("docs/experiment.schema.json"), encoding: .utf8)
        #expect(result.standardOutput == committed)
        let sweep = try BaifsRunProcess.run(["schema", "--sweep"], in: folder)
        #expect(sweep.status == 0)
        #expect(sweep.standardOutput.contains("\"title\": \"baifs sweep file\""))
    }

    @Test func exportWritesTheCheckpointAsSafetensors() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(Self.quickRun, in: folder)
        #expect(run.status == 0)
        let checkpointPath = "\(run.lastLine)/checkpoints/best.json"
        let result = try BaifsRunProcess.run(["export", checkpointPath, "--format", "safetensors"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "\(run.lastLine)/checkpoints/best.safetensors\n")
        let checkpointFile = folder.appendingPathComponent(checkpointPath).path
        let read = try Checkpoint.read(contentsOf: checkpointFile)
        let parameters = read.parametersInFileOrder(text: try String(contentsOfFile: checkpointFile, encoding: .utf8))
        // The state_dict order of the MLP.
        #expect(parameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"])
        let single = try SafetensorsFile(data: Data(contentsOf: folder.appendingPathComponent("\(run.lastLine)/checkpoints/best.safetensors")))
        #expect(single.dataType == .float32)
        #expect(single.tensors.map(\.name) == parameters.map(\.name))
        #expect(single.tensors.map(\.values) == parameters.map { $0.values.map { Double(Float($0)) } })
        #expect(single.metadata.contains { $0.key == "config_hash" && $0.value == read.configHash })

        let exact = try BaifsRunProcess.run(["export", checkpointPath, "--dtype", "f64", "-o", "exact.safetensors"], in: folder)
        #expect(exact.status == 0)
        let double = try SafetensorsFile(data: Data(contentsOf: folder.appendingPathComponent("exact.safetensors")))
        #expect(double.tensors.map(\.values) == parameters.map(\.values))
        #expect(double.tensors.map(\.shape) == parameters.map(\.shape))

        let unknownFormat = try BaifsRunProcess.run(["export", checkpointPath, "--format", "onnx"], in: folder)
        #expect(unknownFormat.status == 64)
        let missing = try BaifsRunProcess.run(["export", "nothing.json"], in: folder)
        #expect(missing.status == 1)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsKnowTheSubcommands(shell: String) throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run(["--generate-completion-script", shell], in: folder)
        #expect(result.status == 0)
        for command in ["plan", "graph", "plot", "export", "schema"] { #expect(result.standardOutput.contains(command), "\(shell): \(command)") }
    }
}
