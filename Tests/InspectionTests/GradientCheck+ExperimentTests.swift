import Autograd
import Baifs
import Configuration
import Foundation
import Inspection
import TestSupport
import Testing

/// `GradientCheck`: every layer's gradients against finite differences.
struct GradientCheckTests {
    @Test(arguments: ["every-layer", "csv-regression"])
    func everyLayerPasses(name: String) throws {
        let experiment = try ExperimentLoader.load(contentsOf: "\(Fixtures.folder)/valid/\(name).yaml")
        let check = GradientCheck(experiment: experiment)
        #expect(check.results.map(\.name) == experiment.config.model.layers.indices.map { "layers.\($0)" } + ["loss"])
        #expect(check.failures.isEmpty, "\(check.results)")
        for result in check.results {
            #expect(result.checkedValues > 0, "\(result.name)")
            #expect(result.worstError < 1e-6, "\(result.name): \(result.worstError) at \(result.worstAt)")
        }
        #expect(check.sampleCount == 2)
    }

    @Test func examplesPass() throws {
        for path in Fixtures.examplePaths {
            let check = GradientCheck(experiment: try ExperimentLoader.load(contentsOf: path))
            #expect(check.failures.isEmpty, "\(path): \(check.results)")
        }
    }

    @Test func aLayerWhoseParametersBypassTheGraphFails() throws {
        let check = GradientCheck(layers: [("layers.0", "detached", DetachedScale())], loss: .meanSquaredError,
                                  samples: Dataset(sampleShape: [2], features: [0.5, -1, 2, 0.25],
                                                   targets: .values([1, 0, 0, 1], width: 2)))
        let failure = try #require(check.failures.first)
        #expect(failure.name == "layers.0")
        #expect(failure.worstError == 1)  // the analytic gradient is 0
        #expect(failure.worstAt.hasPrefix("layers.0.scale["))
        #expect(check.results.last?.name == "loss" && check.results.last?.worstError ?? 1 < 1e-6)
    }

    @Test func kinksAreSkippedNotCountedAsErrors() throws {
        // ReLU at exactly 0 has no derivative: the one-sided differences disagree.
        let check = GradientCheck(layers: [("layers.0", "relu", ReLU())], loss: .meanSquaredError,
                                  samples: Dataset(sampleShape: [2], features: [0, 1], targets: .values([1, 1], width: 2)))
        #expect(check.results[0].skippedValues == 1)
        #expect(check.results[0].checkedValues == 1)
        #expect(check.failures.isEmpty)
    }
}

/// `y = s ⊙ x` with the scale `s` read as constants, not bound to the graph: its gradients are lost.
final class DetachedScale: Module {
    let scale = Parameter(shape: [2], values: [1.5, -2])
    var summary: String { "DetachedScale()" }
    var ownParameters: [(name: String, parameter: Parameter)] { [("scale", scale)] }
    func callAsFunction(_ input: TensorGrad) -> TensorGrad {
        let rows = input.shape[0]
        let constants = tensor(shape: input.shape, values: (0..<rows).flatMap { _ in scale.values }, in: input.graph)
        return input * constants
    }
    func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int] { inputShape }
}
