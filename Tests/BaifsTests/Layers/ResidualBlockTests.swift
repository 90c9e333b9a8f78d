import Autograd
import Baifs
import Foundation
import Testing

struct ResidualBlockTests {
    @Test func identitySkipAddsTheInput() {
        var generator = RandomGenerator(seed: 21)
        let block = ResidualBlock(inputChannels: 2, outputChannels: 2, generator: &generator)
        #expect(block.projection == nil)
        // With zero convolution weights and biases the residual is 0, so y = ReLU(x).
        for parameter in block.parameters { parameter.values = Array(repeating: 0, count: parameter.count) }
        let input = randomValues(2 * 3 * 3, seed: 22)
        let output = block(tensor(shape: [1, 2, 3, 3], values: input, in: Graph()))
        #expect(output.values == input.map { max(0, $0) })
    }

    @Test func identityBlockGradientsMatchFiniteDifferences() {
        var generator = RandomGenerator(seed: 23)
        let block = ResidualBlock(inputChannels: 2, outputChannels: 2, generator: &generator)
        #expect(worstGradientError(of: block, inputShape: [1, 2, 4, 4], input: randomValues(32, seed: 24)) < 1e-5)
    }

    @Test func projectionBlockGradientsMatchFiniteDifferences() throws {
        var generator = RandomGenerator(seed: 25)
        let block = ResidualBlock(inputChannels: 2, outputChannels: 3, stride: 2, generator: &generator)
        #expect(block.projection != nil)
        #expect(block.namedParameters.map(\.name) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "projection.weight", "projection.bias"])
        #expect(try block.outputShape(for: [2, 5, 5]) == [3, 3, 3])
        #expect(worstGradientError(of: block, inputShape: [1, 2, 5, 5], input: randomValues(50, seed: 26)) < 1e-5)
    }
}
