import Autograd
import Baifs
@testable import Configuration
import Foundation
@testable import Inspection
import TestSupport
import Testing

/// `ModelPlan` and `GraphCost`: the graph computed from shapes is the graph the engine records.
struct ModelPlanTests {
    /// Models with every layer type, strides, padding that leaves whole windows in the padding,
    /// both losses, with and without bias.
    static let extraConfigs = [
        """
        dataset: {kind: bars, samples: 12}
        model:
          kind: micro_resnet
          layers:
            - {type: conv2d, out: 2, kernel: 3, stride: 2, padding: 3}
            - sigmoid
            - {type: avg_pool, kernel: 2, stride: 1}
            - {type: conv2d, out: 3, kernel: 2, bias: false}
            - {type: residual, out: 3, stride: 2}
            - flatten
            - {type: linear, out: 4}
        loss: cross_entropy
        """,
        """
        dataset: {kind: spirals, samples: 30, classes: 4}
        model:
          kind: mlp
          layers: [{type: linear, out: 5, bias: false}, relu, {type: linear, out: 4}]
        loss: mse
        """,
    ]

    static var experiments: [Experiment] {
        let files = (Fixtures.examplePaths + Fixtures.validPaths).map { try! ExperimentLoader.load(contentsOf: $0) }
        return files + extraConfigs.map { try! ExperimentLoader.load(yaml: $0, path: "extra.yaml") }
    }

    @Test(arguments: [1, 3])
    func costsFromShapesEqualTheRecordedGraph(samples: Int) throws {
        for experiment in Self.experiments {
            let plan = ModelPlan(experiment: experiment)
            let trace = GraphTrace(model: experiment.makeInitialModel(), loss: experiment.config.loss,
                                   samples: experiment.training.subset(Array(0..<samples)))
            #expect(trace.parts.map(\.name) == plan.rows.map(\.name))
            for (part, row) in zip(trace.parts, plan.rows) {
                #expect(trace.graph.statistics(of: part.nodes) == row.cost.batch(samples), "\(experiment.config.name) \(row.name)")
            }
            #expect(trace.graph.statistics() == plan.total.batch(samples))
            #expect(trace.graph.nodeCount == plan.total.batch(samples).tapeNodes)
        }
    }

    @Test(arguments: [16, 13, 5])
    func batchMemoryIsThatOfTheSolversChunks(batchSize: Int) throws {
        for experiment in Self.experiments {
            var experiment = experiment
            experiment.config.training.batchSize = batchSize
            let plan = ModelPlan(experiment: experiment)
            let gradients = BatchGradients(model: experiment.makeInitialModel(), loss: experiment.config.loss, threads: 2)
            _ = gradients.compute(experiment.training.subset(Array(0..<plan.batchSize)), differentiate: true)
            #expect(gradients.lastNodeCounts.tape == plan.trainingBatch.tapeNodes, "\(experiment.config.name)")
            #expect(gradients.lastNodeCounts.scalar == plan.trainingBatch.scalarOperations, "\(experiment.config.name)")
        }
    }

    @Test func shapesAndParametersMatchTheBuiltModel() throws {
        for experiment in Self.experiments {
            let plan = ModelPlan(experiment: experiment)
            let model = experiment.makeInitialModel()
            #expect(plan.parameterCount == model.parameterCount)
            #expect(plan.rows.first?.outputShape == experiment.training.sampleShape)
            let output = try model.outputShape(for: experiment.training.sampleShape)
            #expect(plan.rows[plan.rows.count - 2].outputShape == output)
        }
    }

    @Test func moonsMLPPlan() throws {
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/mlp.yaml")
        let plan = ModelPlan(experiment: experiment)
        #expect(plan.rows.map(\.name) == ["input", "layers.0", "layers.1", "layers.2", "layers.3", "layers.4", "loss"])
        #expect(plan.parameterCount == 337)
        #expect(plan.batchSize == 16 && plan.stepsPerEpoch == 15)
        // Linear 2 → 16: 16 dot nodes of 2 pairs and a bias, i.e. 16·(2·2 − 1 + 1) scalar operations.
        let first = plan.rows[1].cost
        #expect(first.perSample == GraphStatistics(tapeNodes: 16, scalarOperations: 64, backwardTerms: 80, stridedDots: 16))
        #expect(first.perPass == GraphStatistics(tapeNodes: 48, scalarOperations: 48))
        // SGD with momentum keeps one buffer: values, gradients, momentum and the checkpointed copy of it.
        #expect(plan.parameterBytes == 337 * 8 * 4)
        #expect(plan.memoryBytes == ModelPlan.typicalProcessBytes + ModelPlan.runningOverheadBytes + plan.trainingBatch.bytes + plan.parameterBytes)
        // Two chunks of 8 samples, each graph with its own parameter leaves.
        #expect(plan.chunksPerBatch == 2)
        #expect(plan.trainingBatch == plan.total.perPass * 2 + plan.total.perSample * 16)
    }

    @Test func memoryLimitRefusesAConfigThatDoesNotFit() throws {
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.examplesFolder)/resnet.yaml")
        let plan = ModelPlan(experiment: experiment)
        #expect(throws: Never.self) { try plan.checkMemory(limit: UInt64(plan.memoryBytes), limitSource: "test") }
        let error = try #require(throws: MemoryLimitError.self) {
            try plan.checkMemory(limit: UInt64(plan.memoryBytes - 1), limitSource: "--memory-limit")
        }
        #expect(error.description.contains("more than the"))
        #expect(error.description.contains("of --memory-limit"))
        #expect(error.largestPart?.name == "layers.2")  // the residual block
        #expect(!error.description.contains("\n"))
    }

    @Test func hugeConfigsArePlannedWithoutBuildingAnything() throws {
        // 1 GB of parameters and a graph of a million nodes per sample: planned from shapes in no time.
        let yaml = """
            dataset: {kind: two_moons, samples: 10}
            model:
              kind: mlp
              layers: [{type: linear, out: 1000000}, relu, {type: linear, out: 120}, {type: linear, out: 1}]
            training: {batch_size: 4096}
            """
        let plan = ModelPlan(experiment: try ExperimentLoader.load(yaml: yaml, path: "huge.yaml"))
        #expect(plan.parameterCount == 3_000_000 + 120_000_000 + 120 + 121)
        #expect(plan.batchSize == 8)  // the training set is smaller than the batch
        #expect(throws: MemoryLimitError.self) { try plan.checkMemory(limit: 1 << 30, limitSource: "test") }
    }

    /// Layers built in code are not bounded as a config's are: counts that do not fit in `Int`
    /// saturate, and such a model is refused for memory, rather than trapping.
    @Test func countsTooLargeForIntSaturateInsteadOfTrapping() throws {
        var experiment = try ExperimentLoader.load(yaml: "dataset: {kind: bars}\nmodel: {kind: micro_resnet, layers: [{type: conv2d, out: 1, kernel: 1}, flatten, {type: linear, out: 4}]}\n",
                                                   path: "huge.yaml")
        let wide = 1 << 40
        experiment.config.model.layers = [
            .conv2d(inputChannels: 1, outputChannels: wide, kernelSize: 1, stride: 1, padding: 1 << 20, bias: true),
            .residual(inputChannels: wide, outputChannels: wide, stride: 1), .flatten,
            .linear(inputSize: .max, outputSize: wide, bias: true),
        ]
        let plan = ModelPlan(experiment: experiment)
        #expect(plan.parameterCount == .max)
        #expect(plan.memoryBytes == .max)
        #expect(plan.total.perSample.tapeNodes == .max)
        #expect(throws: MemoryLimitError.self) { try plan.checkMemory(limit: UInt64(Int.max) - 1, limitSource: "test") }
    }

    @Test func byteCountsParseWithBinaryUnits() {
        #expect(ModelPlan.parseByteCount("1000") == 1000)
        #expect(ModelPlan.parseByteCount("512M") == 512 << 20)
        #expect(ModelPlan.parseByteCount("2g") == 2 << 30)
        #expect(ModelPlan.parseByteCount("1.5GB") == 3 << 29)
        #expect(ModelPlan.parseByteCount("64KiB") == 64 << 10)
        #expect(ModelPlan.parseByteCount("lots") == nil)
        #expect(ModelPlan.parseByteCount("-1K") == nil)
        #expect(ModelPlan.formatBytes(512) == "512 B")
        #expect(ModelPlan.formatBytes(3 << 29) == "1.5 GB")
    }
}
