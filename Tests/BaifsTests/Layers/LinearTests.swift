import Autograd
import Baifs
import Foundation
import Testing

struct LinearTests {
    @Test func computesAffineMapWithPyTorchLayout() {
        var generator = RandomGenerator(seed: 1)
        let layer = Linear(inputSize: 3, outputSize: 2, generator: &generator)
        layer.weight.values = [1, 2, 3, 4, 5, 6]
        layer.bias!.values = [0.5, -1]
        let output = layer(tensor([[1, 0, -1], [2, 1, 0]], in: Graph()))
        // Row 0: [1·1 + 2·0 + 3·(−1) + 0.5, 4·1 + 5·0 + 6·(−1) − 1] = [−1.5, −3]
        // Row 1: [1·2 + 2·1 + 0 + 0.5, 4·2 + 5·1 + 0 − 1] = [4.5, 12]
        #expect(output.shape == [2, 2])
        #expect(output.values == [-1.5, -3, 4.5, 12])
    }

    @Test func initialisesUniformlyWithinOneOverSquareRootOfFanIn() {
        var generator = RandomGenerator(seed: 2)
        let layer = Linear(inputSize: 16, outputSize: 64, generator: &generator)
        let bound = 1 / 4.0
        #expect(layer.weight.values.allSatisfy { abs($0) <= bound })
        #expect(layer.bias!.values.allSatisfy { abs($0) <= bound })
        #expect(layer.weight.values.map(abs).max()! > 0.9 * bound)
    }

    @Test func gradientsMatchFiniteDifferences() {
        var generator = RandomGenerator(seed: 3)
        let layer = Linear(inputSize: 4, outputSize: 3, generator: &generator)
        #expect(worstGradientError(of: layer, inputShape: [2, 4], input: randomValues(8, seed: 4)) < 1e-6)
    }

    @Test func layerWithoutBiasHasOnlyAWeight() {
        var generator = RandomGenerator(seed: 3)
        let layer = Linear(inputSize: 4, outputSize: 3, bias: false, generator: &generator)
        #expect(layer.namedParameters.map(\.name) == ["weight"])
        #expect(worstGradientError(of: layer, inputShape: [2, 4], input: randomValues(8, seed: 4)) < 1e-6)
    }

    @Test func rejectsAMismatchedInputSizeWithAHint() throws {
        var generator = RandomGenerator(seed: 3)
        let layer = Linear(inputSize: 4, outputSize: 3, generator: &generator)
        #expect(try layer.outputShape(for: [4]) == [3])
        #expect(throws: ShapeError("a linear layer with input size 4 gets 5 features; set its input size to 5.")) {
            try layer.outputShape(for: [5])
        }
        #expect(throws: ShapeError("a linear layer with input size 4 gets shape [1, 2, 2]; add a flatten layer before it (it would give 4).")) {
            try layer.outputShape(for: [1, 2, 2])
        }
    }
}
