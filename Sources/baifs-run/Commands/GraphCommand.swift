import ArgumentParser
import Baifs
import Configuration
import Foundation
import Inspection
import Runs

/// `baifs-run graph CONFIG`: the computation graph of one sample, as Graphviz DOT.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Export the computation graph of one sample through the model as Graphviz DOT.",
        discussion: """
        The first training sample goes through the model (initialised as a run would be, or from
        --checkpoint), the loss is computed and differentiated, and every node is drawn as micrograd's
        draw_dot draws it: a record { data … | grad … } per value, an oval per operation, one cluster
        per layer. Graphs of more than --max-nodes nodes collapse into one box per layer with its node
        counts. Render with: dot -Tsvg graph.dot -o graph.svg
        """
    )

    @Argument(help: "The experiment file, such as experiments/mlp.yaml.")
    var experiment: String

    @OptionGroup var options: ExperimentOptions

    @Option(help: ArgumentHelp("Only this layer's subgraph: its index or name (layers.2), or input or loss.", valueName: "layer"))
    var layer: String?

    @Option(help: "Draw at most this many nodes one by one; larger graphs collapse into per-layer boxes.")
    var maxNodes = GraphDrawing.defaultMaximumNodes

    @Option(help: "The training sample to trace, by index.")
    var sample = 0

    @Option(help: ArgumentHelp("Take the parameters from this checkpoint instead of the initial ones.", valueName: "checkpoint.json"))
    var checkpoint: String?

    @OptionGroup var memory: MemoryLimitOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The DOT file to write (default or -: standard output). A device or fifo is written into; a symbolic link, a folder and the files graph reads are refused.", valueName: "file.dot"))
    var output: String?

    func validate() throws {
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1; got \(maxNodes).") }
        guard sample >= 0 else { throw ValidationError("--sample must be ≥ 0; got \(sample).") }
    }

    func run() throws {
        let loaded = try loadExperiment(experiment, overrides: options.allOverrides)
        guard sample < loaded.training.count else {
            printError("error: --sample \(sample) is out of range: the training set has \(loaded.training.count) samples")
            throw ExitCode.inputOrRunFailure
        }
        let plan = ModelPlan.measured(loaded, experimentPath: experiment)
        try memory.check(plan, of: loaded, file: experiment, needed: plan.graphTraceBytes)
        let model = loaded.makeInitialModel()
        if let checkpoint {
            do {
                try Checkpoint.read(contentsOf: checkpoint).load(into: model)
            } catch {
                printError("error: \(error.message)")
                throw ExitCode.inputOrRunFailure
            }
        }
        let trace = GraphTrace(model: model, loss: loaded.config.loss, samples: loaded.training.subset([sample]))
        let drawing: GraphDrawing
        do {
            drawing = try GraphDrawing(trace: trace, partName: layer, maximumNodes: maxNodes)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode.inputOrRunFailure
        }
        if drawing.isCollapsed {
            printError("baifs-run: \(drawing.nodeCount) nodes are more than --max-nodes \(maxNodes); drawing one box per layer (raise --max-nodes, or pick one with --layer, to see every node).")
        }
        let inputs = [experiment, checkpoint].compactMap { $0 }
            + [loaded.config.dataset.path, loaded.config.initFrom].compactMap { $0 }.map { ExperimentLoader.resolve(dataPath: $0, relativeTo: experiment) }
        try storeOrFail { () throws(RunStoreError) in
            try OutputFile(output ?? "-", option: "--output", inputs: inputs).write(drawing.dot)
        }
    }
}
