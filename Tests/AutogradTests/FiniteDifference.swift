import Autograd
import Foundation
import TestSupport
import Testing

// Shared helpers: central finite differences, and gradient checks that run
// the engine on fresh graphs and compare its gradients with finite differences.

/// The bit patterns of some doubles, for checks of bit-identical results.
func bitPatterns(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

// MARK: - Finite differences

/// The default step of a central difference at `x`: small against `|x|`, and never below 1e-6.
func defaultStep(at x: Double) -> Double { 1e-4 * max(abs(x), 1e-2) }

/// `∂f/∂xᵢ` at `point` for every `i`, by central differences refined with one Richardson step:
/// `D(h) = (f(x + h) − f(x − h)) / 2h` has error `O(h²)`, and `(4·D(h/2) − D(h)) / 3` has error `O(h⁴)`.
func finiteDifferenceGradient(at point: [Double], step: (Double) -> Double = defaultStep,
                              of f: ([Double]) -> Double) -> [Double] {
    point.indices.map { i in
        func central(_ h: Double) -> Double {
            var plus = point, minus = point
            plus[i] += h
            minus[i] -= h
            // Divide by the step actually taken once x ± h is rounded.
            return (f(plus) - f(minus)) / (plus[i] - minus[i])
        }
        let h = step(point[i])
        return (4 * central(h / 2) - central(h)) / 3
    }
}

/// `df/dx` at `x` by central differences with one Richardson step.
func finiteDifferenceDerivative(at x: Double, step: (Double) -> Double = defaultStep,
                                of f: (Double) -> Double) -> Double {
    finiteDifferenceGradient(at: [x], step: step) { f($0[0]) }[0]
}

// MARK: - Running the engine

/// Builds `build` on one leaf per coordinate of `point` in a fresh graph, runs `backward()` from its
/// result, and returns the result's value and the gradient of every leaf.
func engineGradient(at point: [Double], _ build: ([ScalarGrad]) -> ScalarGrad) -> (value: Double, gradient: [Double]) {
    let graph = Graph()
    let leaves = point.map { scalar($0, in: graph) }
    let root = build(leaves)
    root.backward()
    return (root.value, leaves.map(\.grad))
}

/// The value of `build` at `point`, by a forward pass on `graph` after a reset.
func engineValue(at point: [Double], in graph: Graph, _ build: ([ScalarGrad]) -> ScalarGrad) -> Double {
    graph.reset()
    return build(point.map { scalar($0, in: graph) }).value
}

/// Checks the engine's gradient of `build` at `point` against central finite differences of the
/// engine's own forward pass (whose values the operation tests check against Foundation).
func expectGradientsMatchFiniteDifferences(at point: [Double], relative: Double = 1e-6, absolute: Double = 1e-8,
                                           step: (Double) -> Double = defaultStep,
                                           sourceLocation: SourceLocation = #_sourceLocation,
                                           _ build: ([ScalarGrad]) -> ScalarGrad) {
    let (_, gradient) = engineGradient(at: point, build)
    let graph = Graph()
    let numeric = finiteDifferenceGradient(at: point, step: step) { engineValue(at: $0, in: graph, build) }
    for i in point.indices {
        #expect(isApproximatelyEqual(gradient[i], numeric[i], relative: relative, absolute: absolute),
                "∂/∂x\(i) at \(point): engine \(gradient[i]), finite differences \(numeric[i])",
                sourceLocation: sourceLocation)
    }
}

// MARK: - Tensors

/// A tensor input of a gradient check: a shape and its row-major values.
struct TensorInput: Sendable {
    var shape: [Int]
    var values: [Double]

    init(_ shape: [Int], _ values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "Test input \(shape) needs \(shape.reduce(1, *)) values.")
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` with distinct, irregular values in about [-1.5, 1.5] (away from 0 when `positive`).
    init(_ shape: [Int], seed: Int, positive: Bool = false) {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { position -> Double in
            let angle = Double(position * 7 + seed * 13 + 1)
            let value = 1.5 * Foundation.sin(angle * 1.3) * Foundation.cos(angle * 0.7 + 0.3)
            return positive ? 0.25 + abs(value) : value
        }
        self.init(shape, values)
    }
}

/// Builds the inputs as tensors of leaves (consecutive nodes) in `graph`.
func makeTensors(_ inputs: [TensorInput], values flat: [Double], in graph: Graph) -> [TensorGrad] {
    var offset = 0
    return inputs.map { input in
        defer { offset += input.values.count }
        return tensor(shape: input.shape, values: Array(flat[offset..<(offset + input.values.count)]), in: graph)
    }
}

/// Checks the engine's gradient of `build` with respect to every element of every input against
/// central finite differences of the engine's forward pass.
func expectTensorGradientsMatchFiniteDifferences(_ inputs: [TensorInput], relative: Double = 1e-6, absolute: Double = 1e-8,
                                                 sourceLocation: SourceLocation = #_sourceLocation,
                                                 _ build: ([TensorGrad]) -> ScalarGrad) {
    let point = inputs.flatMap(\.values)
    let graph = Graph()
    let tensors = makeTensors(inputs, values: point, in: graph)
    build(tensors).backward()
    let gradient = tensors.flatMap(\.gradients)

    let scratch = Graph()
    let numeric = finiteDifferenceGradient(at: point) { values in
        scratch.reset()
        return build(makeTensors(inputs, values: values, in: scratch)).value
    }
    #expect(gradient.count == point.count, sourceLocation: sourceLocation)
    for i in point.indices {
        #expect(isApproximatelyEqual(gradient[i], numeric[i], relative: relative, absolute: absolute),
                "∂/∂(input element \(i)): engine \(gradient[i]), finite differences \(numeric[i])",
                sourceLocation: sourceLocation)
    }
}

/// The fixed weight of element `position` in `weightedSum`: distinct, irregular and nonzero, so that
/// a gradient sent to the wrong element is caught.
func probeWeight(_ position: Int) -> Double { 0.5 + Double((position * 5 + 3) % 11) / 7 }

/// `Σᵢ wᵢ · tᵢ` with `wᵢ = probeWeight(i)`: a scalar loss that tells every element of `t` apart.
func weightedSum(_ t: TensorGrad) -> ScalarGrad {
    sum(t.scalars.enumerated().map { position, element in element * probeWeight(position) })
}
