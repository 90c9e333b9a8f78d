import Autograd
import Baifs

/// One forward and backward pass of a few samples through a model, recorded so that each node of
/// the graph is known to belong to a part of the model: the input, each layer, the loss.
///
/// The layers of a `Network` run one after another, as `Sequential` runs them, and each part's
/// nodes are the tape positions it appended: a layer's parameters are bound as leaves when it runs,
/// so they fall in its part. Leaves that stand for something are named: `x[0, 1]` for inputs,
/// `layers.0.weight[3, 1]` for parameters.
public struct GraphTrace {
    /// A consecutive run of nodes appended by one part of the model.
    public struct Part: Sendable, Equatable {
        /// `input`, `layers.0`, … or `loss`.
        public var name: String
        /// What the part is: the input's shape, the layer's summary, the loss.
        public var summary: String
        /// The tape positions of its nodes.
        public var nodes: Range<Int>
    }

    /// The graph, after the backward pass from `root`.
    public let graph: Graph
    /// The parts, in tape order; together they cover every node.
    public let parts: [Part]
    /// The loss node the backward pass started from.
    public let root: Int
    /// Names of leaves that stand for inputs or parameters, by node.
    public let leafNames: [Int: String]

    /// Runs `samples` through `model`, computes `loss` against their targets and its gradients.
    ///
    /// - Parameters:
    ///   - model: A `Network` is traced layer by layer (parts `layers.0`, `layers.1`, …); any other
    ///     module as one part named `model`.
    ///   - loss: The training objective.
    ///   - samples: The samples, at least one.
    public init(model: any Module, loss: Loss, samples: Dataset) {
        precondition(samples.count > 0, "A graph trace needs at least one sample.")
        let graph = Graph()
        var parts: [Part] = []
        var leafNames: [Int: String] = [:]
        func record(_ name: String, _ summary: String, _ body: () -> Void) {
            let start = graph.nodeCount
            body()
            parts.append(Part(name: name, summary: summary, nodes: start..<graph.nodeCount))
        }

        let shape = [samples.count] + samples.sampleShape
        var output = tensor(shape: shape, values: samples.features, in: graph)
        parts.append(Part(name: "input", summary: "\(samples.count) sample\(samples.count == 1 ? "" : "s") of shape \(samples.sampleShape)",
                          nodes: 0..<graph.nodeCount))
        for (position, scalar) in output.scalars.enumerated() {
            leafNames[Int(scalar.index)] = "x" + GradientCheck.subscripted(position, shape: samples.count == 1 ? samples.sampleShape : shape)
        }
        for (name, layer) in Self.layers(of: model) {
            record(name, layer.summary) { output = layer(output) }
        }
        for (name, parameter) in model.namedParameters {
            guard let leaves = graph.boundTensor(for: parameter) else { continue }
            for (position, scalar) in leaves.scalars.enumerated() {
                leafNames[Int(scalar.index)] = name + GradientCheck.subscripted(position, shape: parameter.shape)
            }
        }
        var lossNode = ScalarGrad?.none
        record("loss", loss.rawValue) { lossNode = loss(outputs: output, targets: samples.targets) }
        guard let lossNode else { preconditionFailure("The loss was not computed.") }
        lossNode.backward()

        self.graph = graph
        self.parts = parts
        self.root = Int(lossNode.index)
        self.leafNames = leafNames
    }

    /// The part whose nodes include `node`.
    public func part(of node: Int) -> Part? {
        parts.first { $0.nodes.contains(node) }
    }

    /// The model's layers with their parameter-name prefixes: a `Network`'s layer list, or the
    /// module itself.
    static func layers(of model: any Module) -> [(name: String, module: any Module)] {
        guard let network = model as? Network else { return [("model", model)] }
        return network.layers.layers.enumerated().map { ("layers.\($0.offset)", $0.element) }
    }
}
