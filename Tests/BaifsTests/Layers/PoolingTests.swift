import Autograd
import Baifs
import Foundation
import Testing

struct PoolingTests {
    @Test func maxPoolingPicksTheLargestOfEachWindow() {
        let input = tensor(shape: [1, 1, 4, 4], values: (0..<16).map { Double(($0 * 7) % 16) }, in: Graph())
        // Values row by row: 0 7 14 5 / 12 3 10 1 / 8 15 6 13 / 4 11 2 9.
        let output = MaxPool2D(kernelSize: 2)(input)
        #expect(output.shape == [1, 1, 2, 2])
        #expect(output.values == [12, 14, 15, 13])
    }

    @Test func averagePoolingAveragesEachWindow() {
        let input = tensor(shape: [1, 1, 4, 4], values: (0..<16).map { Double(($0 * 7) % 16) }, in: Graph())
        let output = AvgPool2D(kernelSize: 2)(input)
        #expect(output.values == [5.5, 7.5, 9.5, 7.5])
    }

    @Test func poolingGradientsMatchFiniteDifferences() {
        let input = randomValues(2 * 2 * 4 * 4, seed: 31)
        #expect(worstGradientError(of: MaxPool2D(kernelSize: 2), inputShape: [2, 2, 4, 4], input: input) < 1e-6)
        #expect(worstGradientError(of: AvgPool2D(kernelSize: 2, stride: 1), inputShape: [2, 2, 4, 4], input: input) < 1e-6)
        #expect(worstGradientError(of: GlobalAvgPool2D(), inputShape: [2, 2, 4, 4], input: input) < 1e-6)
    }

    @Test func maxPoolingSendsTheGradientToTheMaximumOnly() {
        let graph = Graph()
        let input = tensor(shape: [1, 1, 2, 2], values: [1, 4, 2, 3], in: graph)
        MaxPool2D(kernelSize: 2)(input).sum().backward()
        #expect(input.gradients == [0, 1, 0, 0])
    }
}
