import Autograd
import Baifs
import Configuration
import Foundation
import Inspection
import Testing

/// `GraphTrace` and `GraphDrawing`: one sample's graph in DOT, node by node or per layer.
struct GraphDrawingTests {
    static let tinyYAML = """
        seed: 3
        dataset: {kind: two_moons, samples: 20}
        model:
          kind: mlp
          layers: [{type: linear, out: 3}, tanh, {type: linear, out: 1}]
        """

    func trace(_ yaml: String = tinyYAML) throws -> GraphTrace {
        let experiment = try ExperimentLoader.load(yaml: yaml, path: "tiny.yaml")
        return GraphTrace(model: experiment.makeInitialModel(), loss: experiment.config.loss, samples: experiment.training.subset([0]))
    }

    @Test func traceSplitsTheTapeIntoInputLayersAndLoss() throws {
        let trace = try trace()
        #expect(trace.parts.map(\.name) == ["input", "layers.0", "layers.1", "layers.2", "loss"])
        #expect(trace.parts.first?.nodes.lowerBound == 0)
        #expect(trace.parts.last?.nodes.upperBound == trace.graph.nodeCount)
        for (earlier, later) in zip(trace.parts, trace.parts.dropFirst()) { #expect(earlier.nodes.upperBound == later.nodes.lowerBound) }
        #expect(trace.parts[1].summary == "Linear(in: 2, out: 3, bias: true)")
        #expect(trace.leafNames[0] == "x[0]" && trace.leafNames[1] == "x[1]")
        #expect(trace.leafNames.values.contains("layers.0.weight[2, 1]"))
        #expect(trace.leafNames.values.contains("layers.2.bias[0]"))
        #expect(trace.graph.node(at: trace.root).gradient == 1)
    }

    @Test func smallGraphsDrawEveryNodeAsMicrogradDoes() throws {
        let trace = try trace()
        let drawing = try GraphDrawing(trace: trace)
        #expect(!drawing.isCollapsed)
        let dot = drawing.dot
        #expect(dot.hasPrefix("digraph baifs {\n"))
        #expect(dot.hasSuffix("}\n"))
        #expect(dot.contains("rankdir=LR"))
        for index in 0..<trace.parts.count { #expect(dot.contains("subgraph cluster_\(index) {")) }
        // Every node has a record with its value and gradient; every operation an oval and an edge to its result.
        for index in 0..<trace.graph.nodeCount {
            let node = trace.graph.node(at: index)
            #expect(dot.contains("n\(index) [label=\"{ "), "node \(index)")
            #expect(dot.contains("data \(String(format: "%.4f", node.value)) | grad \(String(format: "%.4f", node.gradient)) }"))
            if node.operation != .leaf {
                #expect(dot.contains("n\(index)_op -> n\(index);"))
                for input in Set(node.inputs) { #expect(dot.contains("n\(input) -> n\(index)_op;")) }
            }
        }
        #expect(dot.contains("label=\"dot (2 + bias)\""))
        #expect(dot.contains("label=\"tanh\""))
        #expect(dot.contains("{ layers.0.weight[0, 0] | data "))
        #expect(dot.contains("penwidth=2"))  // the loss
        // Braces are balanced, so the file parses.
        #expect(dot.filter { $0 == "{" }.count == dot.filter { $0 == "}" }.count)
    }

    @Test func largeGraphsCollapseIntoOneBoxPerLayer() throws {
        let trace = try trace()
        let drawing = try GraphDrawing(trace: trace, maximumNodes: 10)
        #expect(drawing.isCollapsed)
        let dot = drawing.dot
        #expect(!dot.contains("data "))
        #expect(dot.contains("part_1 [label=\"layers.0: Linear(in: 2, out: 3, bias: true)\\n12 nodes: 9 leaf, 3 dot\\n"))
        #expect(dot.contains("part_0 -> part_1 [label=\"6 edges\"];"))  // each of the 3 dot nodes uses both inputs
        #expect(dot.contains("part_1 -> part_2 [label=\"3 edges\"];"))
        #expect(dot.contains("\\nloss "))
    }

    @Test func oneLayerIsDrawnWithTheNodesItUses() throws {
        let trace = try trace()
        let byIndex = try GraphDrawing(trace: trace, partName: "1")
        let byName = try GraphDrawing(trace: trace, partName: "layers.1")
        #expect(byIndex.dot == byName.dot)
        let dot = byName.dot
        #expect(dot.contains("layers.1: Tanh()"))
        #expect(dot.components(separatedBy: "label=\"tanh\"").count - 1 == 3)
        #expect(dot.contains("from layers.0"))   // its three inputs, dashed
        #expect(!dot.contains("layers.0.weight"))
        #expect(byName.nodeCount == 6)
        #expect(throws: GraphDrawingError.self) { try GraphDrawing(trace: trace, partName: "layers.9") }
    }

    @Test func convolutionalModelsTraceEveryLayer() throws {
        let yaml = """
            dataset: {kind: bars, samples: 8}
            model:
              kind: micro_resnet
              layers: [{type: conv2d, out: 2, kernel: 3, padding: 1}, relu, {type: max_pool, kernel: 2}, flatten, {type: linear, out: 4}]
            loss: cross_entropy
            """
        let trace = try trace(yaml)
        let drawing = try GraphDrawing(trace: trace)
        #expect(drawing.isCollapsed)
        #expect(drawing.dot.contains("128 dot"))  // 2 channels × 8 × 8 convolution windows
        let layer = try GraphDrawing(trace: trace, partName: "2", maximumNodes: 10_000)
        #expect(layer.dot.contains("label=\"max (4)\""))
    }
}
