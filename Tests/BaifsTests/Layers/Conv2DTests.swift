import Autograd
import Baifs
import Foundation
import TestSupport
import Testing

struct Conv2DTests {
    /// A direct, loop-by-loop convolution written independently of the engine.
    func referenceConvolution(input: [Double], channels: Int, height: Int, width: Int, weight: [Double], bias: [Double],
                              outputs: Int, kernel: Int, stride: Int, padding: Int) -> [Double] {
        let outputHeight = (height + 2 * padding - kernel) / stride + 1
        let outputWidth = (width + 2 * padding - kernel) / stride + 1
        var result = [Double]()
        for o in 0..<outputs {
            for i in 0..<outputHeight {
                for j in 0..<outputWidth {
                    var sum = bias[o]
                    for c in 0..<channels {
                        for u in 0..<kernel {
                            for v in 0..<kernel {
                                let y = i * stride + u - padding, x = j * stride + v - padding
                                if y < 0 || y >= height || x < 0 || x >= width { continue }
                                sum += weight[((o * channels + c) * kernel + u) * kernel + v] * input[(c * height + y) * width + x]
                            }
                        }
                    }
                    result.append(sum)
                }
            }
        }
        return result
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 1), (2, 0), (3, 2)])
    func matchesADirectConvolution(stride: Int, padding: Int) {
        var generator = RandomGenerator(seed: 11)
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: stride, padding: padding, generator: &generator)
        let input = randomValues(2 * 5 * 6, seed: 12)
        let output = layer(tensor(shape: [1, 2, 5, 6], values: input, in: Graph()))
        let expected = referenceConvolution(input: input, channels: 2, height: 5, width: 6, weight: layer.weight.values,
                                            bias: layer.bias!.values, outputs: 3, kernel: 3, stride: stride, padding: padding)
        let outputHeight = (5 + 2 * padding - 3) / stride + 1, outputWidth = (6 + 2 * padding - 3) / stride + 1
        #expect(output.shape == [1, 3, outputHeight, outputWidth])
        #expect(zip(output.values, expected).allSatisfy { isApproximatelyEqual($0, $1, relative: 1e-12) })
    }

    @Test(arguments: [(1, 0), (1, 1), (2, 1)])
    func gradientsMatchFiniteDifferences(stride: Int, padding: Int) {
        var generator = RandomGenerator(seed: 13)
        let layer = Conv2D(inputChannels: 2, outputChannels: 2, kernelSize: 3, stride: stride, padding: padding, generator: &generator)
        #expect(worstGradientError(of: layer, inputShape: [2, 2, 4, 5], input: randomValues(2 * 2 * 4 * 5, seed: 14)) < 1e-6)
    }

    @Test func weightLayoutIsOutInKernelHeightKernelWidth() {
        var generator = RandomGenerator(seed: 1)
        let layer = Conv2D(inputChannels: 3, outputChannels: 5, kernelSize: 2, generator: &generator)
        #expect(layer.weight.shape == [5, 3, 2, 2])
        #expect(layer.bias!.shape == [5])
    }

    @Test func rejectsWrongChannelsAndOversizedKernels() {
        var generator = RandomGenerator(seed: 1)
        let layer = Conv2D(inputChannels: 3, outputChannels: 5, kernelSize: 5, padding: 1, generator: &generator)
        #expect(throws: ShapeError("a convolution with 3 input channels gets 1 channels (input shape [1, 8, 8]); set its input channels to 1.")) {
            try layer.outputShape(for: [1, 8, 8])
        }
        #expect(throws: ShapeError("a 5×5 kernel is larger than its padded input 4×4.")) {
            try layer.outputShape(for: [3, 2, 2])
        }
    }

    @Test func windowNodesAndGatheredNodesAgree() {
        // A padded input is a gathered tensor, so conv2d takes its operand-list path; with padding 0
        // on it, the result must equal padding 1 on the plain (consecutive) input.
        var generator = RandomGenerator(seed: 15)
        let layer = Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 1, padding: 1, generator: &generator)
        let graph = Graph()
        let input = tensor(shape: [2, 2, 4, 5], values: randomValues(80, seed: 16), in: graph)
        let weight = layer.weight.tensor(in: graph), bias = layer.bias!.tensor(in: graph)
        let windows = conv2d(input, weight: weight, bias: bias, stride: 1, padding: 1)
        let gathered = conv2d(input.zeroPadded(1), weight: weight, bias: bias, stride: 1, padding: 0)
        #expect(windows.shape == gathered.shape)
        #expect(zip(windows.values, gathered.values).allSatisfy { isApproximatelyEqual($0, $1, relative: 1e-12, absolute: 1e-15) })
        // Both count the same micrograd-equivalent nodes but for the padding's products.
        (windows.sum() + gathered.sum()).backward()
        #expect(input.gradients.allSatisfy { $0.isFinite })
    }
}
