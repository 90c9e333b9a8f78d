import Autograd
import Baifs
import TestSupport
import Testing

/// The code of the article "From micrograd to baifs" (Sources/Baifs/Documentation.docc), run as
/// written, with the values the article states.
struct FromMicrogradToBaifsTests {
    @Test func scalarByHandGivesMicrogradsValues() {
        let graph = Graph()
        let x = scalar(-4, in: graph)
        let z = 2 * x + 2 + x
        let q = z.relu() + z * x
        let h = (z * z).relu()
        let y = h + q + q * x
        y.backward()
        #expect(y.value == -20)
        #expect(x.grad == 46)
    }

    @Test func tensorsLinearLayerAndLoopTrain() throws {
        let inputs = tensor([[1, 2], [3, 4]], in: Graph())
        let weights = tensor([[0.5, -1], [2, 0.25]], in: inputs.graph)
        let outputs = matmul(inputs, weights.transposed()).tanh()
        let loss = (outputs - 1).pow(2).mean()
        loss.backward()
        #expect(weights.gradients.count == 4 && weights.gradients.contains { $0 != 0 })

        var generator = RandomGenerator(seed: 1)
        let layer = Linear(inputSize: 2, outputSize: 1, generator: &generator)
        Graph.current.reset()
        let prediction = layer(tensor([[0.5, -1.5]]))
        let layerLoss = mseLoss(predictions: prediction, targets: tensor([[1.0]]))
        layerLoss.backward()
        layer.collectGradients(from: Graph.current)
        // ∂(y − 1)²/∂W = 2(y − 1)·x.
        let residual = 2 * (prediction.values[0] - 1)
        expectApproximatelyEqual(layer.weight.gradients, [residual * 0.5, residual * -1.5], relative: 1e-12, absolute: 1e-15)

        generator = RandomGenerator(seed: 42)
        let data = Dataset.twoMoons(count: 100, noise: 0.1, generator: &generator)
        let model = MLP(sizes: [2, 16, 16, 1], activation: .tanh, generator: &generator)
        var optimizer = SGD(learningRate: 0.05, momentum: 0.9)
        var losses: [Double] = []
        for _ in 0..<100 {
            let graph = Graph.current
            graph.reset()
            let x = tensor(shape: [data.count] + data.sampleShape, values: data.features, in: graph)
            let loss = Loss.meanSquaredError(outputs: model(x), targets: data.targets)
            loss.backward()
            model.zeroGradients()
            model.collectGradients(from: graph)
            optimizer.update(model.parameters)
            losses.append(loss.value)
        }
        #expect(losses.last! < losses.first! / 2)
    }
}
