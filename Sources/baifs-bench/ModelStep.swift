import Autograd
import Baifs

/// One training step of a framework model, as the solver takes it: reset the graph, forward over
/// the batch, MSE loss, backward, collect the gradients, clip, SGD update.
final class ModelStep {
    let model: any Module
    let parameters: [Parameter]
    let inputShape: [Int]
    let inputs: [Double]
    let targets: [Double]
    let clipping: GradientClipping
    var optimizer: SGD
    let graph = Graph()

    init(model: any Module, batch: Int, sampleShape: [Int], outputs: Int, learningRate: Double,
         clipping: GradientClipping = .none, generator: inout RandomGenerator) {
        self.model = model
        self.parameters = model.parameters
        self.inputShape = [batch] + sampleShape
        self.inputs = (0..<(batch * sampleShape.reduce(1, *))).map { _ in generator.uniform(-1, 1) }
        self.targets = (0..<(batch * outputs)).map { _ in generator.uniform(-1, 1) }
        self.clipping = clipping
        self.optimizer = SGD(learningRate: learningRate)
    }

    /// Runs one step and returns the loss before the update.
    @discardableResult
    func step() -> Double {
        graph.reset()
        let output = model(tensor(shape: inputShape, values: inputs, in: graph))
        let loss = mseLoss(predictions: output, targets: tensor(shape: output.shape, values: targets, in: graph))
        loss.backward()
        for parameter in parameters {
            parameter.zeroGradients()
            parameter.collectGradients(from: graph)
        }
        clipping.apply(to: parameters)
        optimizer.update(parameters)
        return loss.value
    }
}
