import Autograd
import Baifs
import Foundation
import Testing

struct ModuleTests {
    @Test func parametersAreNamedAsPyTorchStateDict() throws {
        var generator = RandomGenerator(seed: 1)
        let mlp = MLP(sizes: [2, 16, 16, 1], activation: .tanh, generator: &generator)
        #expect(mlp.namedParameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"])
        #expect(mlp.parameterCount == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1)
        let resnet = MicroResNet(inputShape: [1, 8, 8], stemChannels: 4, blockChannels: [4, 8], blockStrides: [1, 2], outputs: 3, generator: &generator)
        #expect(resnet.namedParameters.map(\.name) == [
            "layers.0.weight", "layers.0.bias",
            "layers.2.conv1.weight", "layers.2.conv1.bias", "layers.2.conv2.weight", "layers.2.conv2.bias",
            "layers.3.conv1.weight", "layers.3.conv1.bias", "layers.3.conv2.weight", "layers.3.conv2.bias",
            "layers.3.projection.weight", "layers.3.projection.bias",
            "layers.5.weight", "layers.5.bias",
        ])
        #expect(try resnet.outputShape(for: [1, 8, 8]) == [3])
    }

    @Test func describesTheModuleTree() {
        var generator = RandomGenerator(seed: 1)
        let mlp = MLP(sizes: [2, 3, 1], activation: .relu, generator: &generator)
        #expect(mlp.description == """
        MLP(
          (layers): Sequential(
            (0): Linear(in: 2, out: 3, bias: true)
            (1): ReLU()
            (2): Linear(in: 3, out: 1, bias: true)
          )
        )
        """)
    }

    @Test func shapeErrorsNameTheModule() {
        var generator = RandomGenerator(seed: 1)
        let model = Network(name: "MLP", layers: [Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3, generator: &generator),
                                 Linear(inputSize: 10, outputSize: 2, generator: &generator)])
        #expect(throws: ShapeError("a linear layer with input size 10 gets shape [2, 6, 6]; add a flatten layer before it (it would give 72).", modulePath: "layers.1")) {
            try model.outputShape(for: [1, 8, 8])
        }
    }

    @Test func zeroGradientsClearsEveryParameter() {
        var generator = RandomGenerator(seed: 1)
        let mlp = MLP(sizes: [2, 3, 1], generator: &generator)
        let graph = Graph()
        mlp(tensor([[1, 2]], in: graph)).sum().backward()
        mlp.collectGradients(from: graph)
        #expect(mlp.parameters.contains { $0.gradients.contains { $0 != 0 } })
        mlp.zeroGradients()
        #expect(mlp.parameters.allSatisfy { $0.gradients.allSatisfy { $0 == 0 } })
    }

    @Test func microResNetGradientsMatchFiniteDifferences() {
        var generator = RandomGenerator(seed: 41)
        let model = MicroResNet(inputShape: [1, 4, 4], stemChannels: 2, blockChannels: [2], reduction: .average, outputs: 2, generator: &generator)
        #expect(worstGradientError(of: model, inputShape: [1, 1, 4, 4], input: randomValues(16, seed: 42)) < 1e-5)
    }
}
