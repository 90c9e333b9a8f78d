import Baifs
import Foundation

/// The same training step as `EngineMLPStep`, written by hand over flat buffers with no graph:
/// the practical speed limit for this computation in Swift.
struct ReferenceMLPStep {
    enum Activation { case relu, tanh }

    let sizes: [Int]
    let batch: Int
    let learningRate: Double
    let activation: Activation
    /// Per layer, PyTorch layout: weight `[out, in]`, bias `[out]`, and their gradients.
    var weights: [UnsafeMutableBufferPointer<Double>] = []
    var biases: [UnsafeMutableBufferPointer<Double>] = []
    var weightGradients: [UnsafeMutableBufferPointer<Double>] = []
    var biasGradients: [UnsafeMutableBufferPointer<Double>] = []
    /// Per layer boundary: the activations `[batch, size]` and their gradients.
    var activations: [UnsafeMutableBufferPointer<Double>] = []
    var activationGradients: [UnsafeMutableBufferPointer<Double>] = []
    let targets: UnsafeMutableBufferPointer<Double>

    init(sizes: [Int], batch: Int, learningRate: Double, seed: UInt64, activation: Activation) {
        self.sizes = sizes
        self.batch = batch
        self.learningRate = learningRate
        self.activation = activation
        // The same draws in the same order as EngineMLPStep, so both start from the same point.
        var generator = RandomGenerator(seed: seed)
        func buffer(_ count: Int, _ value: () -> Double = { 0 }) -> UnsafeMutableBufferPointer<Double> {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            for i in 0..<count { buffer[i] = value() }
            return buffer
        }
        for layer in 0..<(sizes.count - 1) {
            let bound = 1 / Double(sizes[layer]).squareRoot()
            weights.append(buffer(sizes[layer] * sizes[layer + 1]) { generator.uniform(-bound, bound) })
            biases.append(buffer(sizes[layer + 1]) { generator.uniform(-bound, bound) })
            weightGradients.append(buffer(sizes[layer] * sizes[layer + 1]))
            biasGradients.append(buffer(sizes[layer + 1]))
        }
        for size in sizes {
            activations.append(buffer(batch * size))
            activationGradients.append(buffer(batch * size))
        }
        for i in 0..<(batch * sizes[0]) { activations[0][i] = generator.uniform(-1, 1) }
        targets = buffer(batch * sizes.last!) { generator.uniform(-1, 1) }
    }

    /// Runs one step and returns the loss before the update.
    @discardableResult
    func step() -> Double {
        let layers = weights.count
        // Forward: a = act(W·x + b), no activation on the last layer.
        for layer in 0..<layers {
            let (fanIn, fanOut) = (sizes[layer], sizes[layer + 1])
            let (input, output) = (activations[layer], activations[layer + 1])
            let (weight, bias) = (weights[layer], biases[layer])
            for sample in 0..<batch {
                for unit in 0..<fanOut {
                    var sum = bias[unit]
                    for i in 0..<fanIn { sum += input[sample * fanIn + i] * weight[unit * fanIn + i] }
                    if layer < layers - 1 {
                        switch activation {
                        case .relu: sum = sum > 0 ? sum : 0
                        case .tanh: sum = Foundation.tanh(sum)
                        }
                    }
                    output[sample * fanOut + unit] = sum
                }
            }
        }
        // Loss: mean of squared differences; its gradient is 2(out − y)/n.
        let outputs = activations[layers], outputGradients = activationGradients[layers]
        let scale = 1 / Double(outputs.count)
        var loss = 0.0
        for i in 0..<outputs.count {
            let difference = outputs[i] - targets[i]
            loss += difference * difference
            outputGradients[i] = 2 * difference * scale
        }
        // Backward and SGD update, last layer first.
        for layer in stride(from: layers - 1, through: 0, by: -1) {
            let (fanIn, fanOut) = (sizes[layer], sizes[layer + 1])
            let (input, output) = (activations[layer], activations[layer + 1])
            let (inputGradient, outputGradient) = (activationGradients[layer], activationGradients[layer + 1])
            let (weight, bias) = (weights[layer], biases[layer])
            let (weightGradient, biasGradient) = (weightGradients[layer], biasGradients[layer])
            inputGradient.update(repeating: 0)
            weightGradient.update(repeating: 0)
            biasGradient.update(repeating: 0)
            for sample in 0..<batch {
                for unit in 0..<fanOut {
                    var gradient = outputGradient[sample * fanOut + unit]
                    if layer < layers - 1 {
                        let value = output[sample * fanOut + unit]
                        switch activation {
                        case .relu: gradient = value > 0 ? gradient : 0
                        case .tanh: gradient *= 1 - value * value
                        }
                    }
                    biasGradient[unit] += gradient
                    for i in 0..<fanIn {
                        weightGradient[unit * fanIn + i] += gradient * input[sample * fanIn + i]
                        inputGradient[sample * fanIn + i] += gradient * weight[unit * fanIn + i]
                    }
                }
            }
            for i in 0..<weight.count { weight[i] -= learningRate * weightGradient[i] }
            for i in 0..<bias.count { bias[i] -= learningRate * biasGradient[i] }
        }
        return loss * scale
    }
}
