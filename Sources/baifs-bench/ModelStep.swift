import Autograd
import Baifs

/// One training step of a framework model, as the solver takes it: the batch forward and backward
/// in fixed chunks (`BatchGradients`, on `threads` threads), MSE loss, clipping, SGD update.
final class ModelStep {
    let parameters: [Parameter]
    let batch: Dataset
    let clipping: GradientClipping
    var optimizer: SGD
    let gradients: BatchGradients

    init(model: any Module, batch: Int, sampleShape: [Int], outputs: Int, learningRate: Double,
         clipping: GradientClipping = .none, threads: Int, generator: inout RandomGenerator) {
        self.parameters = model.parameters
        let inputs = (0..<(batch * sampleShape.reduce(1, *))).map { _ in generator.uniform(-1, 1) }
        let targets = (0..<(batch * outputs)).map { _ in generator.uniform(-1, 1) }
        self.batch = Dataset(sampleShape: sampleShape, features: inputs, targets: .values(targets, width: outputs))
        self.clipping = clipping
        self.optimizer = SGD(learningRate: learningRate)
        self.gradients = BatchGradients(model: model, loss: .meanSquaredError, threads: threads)
    }

    /// Runs one step and returns the loss before the update.
    @discardableResult
    func step() -> Double {
        let result = gradients.compute(batch, differentiate: true)
        clipping.apply(to: parameters, blocks: gradients.elementBlocks)
        optimizer.update(parameters, blocks: gradients.elementBlocks)
        return result.loss
    }

    /// The graph nodes of the last step, over all chunks: tape entries and micrograd-equivalent nodes.
    var nodeCounts: (tape: Int, scalar: Int) { gradients.lastNodeCounts }
}
