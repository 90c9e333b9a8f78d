import Autograd
import Baifs

/// One training step of a fully connected network with MSE loss and SGD, built on the engine:
/// reset the graph, bind parameters and data as leaves, forward, loss, backward, update.
/// `hiddenActivation` applies to every layer but the last.
struct EngineMLPStep {
    let sizes: [Int]
    let batch: Int
    let learningRate: Double
    let hiddenActivation: (TensorGrad) -> TensorGrad
    var weights: [[Double]]
    var biases: [[Double]]
    var weightGradients: [[Double]]
    var biasGradients: [[Double]]
    let inputs: [Double]
    let targets: [Double]
    let graph = Graph()

    init(sizes: [Int], batch: Int, learningRate: Double, seed: UInt64, hiddenActivation: @escaping (TensorGrad) -> TensorGrad) {
        self.sizes = sizes
        self.batch = batch
        self.learningRate = learningRate
        self.hiddenActivation = hiddenActivation
        var generator = RandomGenerator(seed: seed)
        var weights = [[Double]](), biases = [[Double]]()
        for layer in 0..<(sizes.count - 1) {
            let bound = 1 / Double(sizes[layer]).squareRoot()
            weights.append((0..<(sizes[layer] * sizes[layer + 1])).map { _ in generator.uniform(-bound, bound) })
            biases.append((0..<sizes[layer + 1]).map { _ in generator.uniform(-bound, bound) })
        }
        self.weights = weights
        self.biases = biases
        weightGradients = weights.map { Array(repeating: 0, count: $0.count) }
        biasGradients = biases.map { Array(repeating: 0, count: $0.count) }
        inputs = (0..<(batch * sizes[0])).map { _ in generator.uniform(-1, 1) }
        targets = (0..<(batch * sizes.last!)).map { _ in generator.uniform(-1, 1) }
    }

    /// Runs one step and returns the loss before the update.
    @discardableResult
    mutating func step() -> Double {
        graph.reset()
        var activation = tensor(shape: [batch, sizes[0]], values: inputs, in: graph)
        var weightTensors = [TensorGrad](), biasTensors = [TensorGrad]()
        for layer in 0..<weights.count {
            let weight = tensor(shape: [sizes[layer + 1], sizes[layer]], values: weights[layer], in: graph)
            let bias = tensor(shape: [sizes[layer + 1]], values: biases[layer], in: graph)
            weightTensors.append(weight)
            biasTensors.append(bias)
            activation = linear(activation, weight: weight, bias: bias)
            if layer < weights.count - 1 { activation = hiddenActivation(activation) }
        }
        let target = tensor(shape: [batch, sizes.last!], values: targets, in: graph)
        let difference = (activation - target).flattened()
        let loss = dot(difference, difference) * (1 / Double(difference.count))
        loss.backward()
        for layer in 0..<weights.count {
            for i in weightGradients[layer].indices { weightGradients[layer][i] = 0 }
            for i in biasGradients[layer].indices { biasGradients[layer][i] = 0 }
            weightTensors[layer].addGradients(to: &weightGradients[layer])
            biasTensors[layer].addGradients(to: &biasGradients[layer])
            for i in weights[layer].indices { weights[layer][i] -= learningRate * weightGradients[layer][i] }
            for i in biases[layer].indices { biases[layer][i] -= learningRate * biasGradients[layer][i] }
        }
        return loss.value
    }
}
