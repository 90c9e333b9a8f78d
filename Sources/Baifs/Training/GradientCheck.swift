import Autograd

/// Checks, layer by layer, the gradients that the backward pass computes against central finite
/// differences, on a few real samples.
///
/// For a layer `f` with input `x` (what flows into it from the samples) and parameters `p`, the
/// checked function is `L = Σⱼ cⱼ·f(x, p)ⱼ` with fixed random weights `cⱼ ∈ [−1, 1)`, so that every
/// output counts. For each checked value `v` (a parameter or an input value) the numeric derivative
/// is `(L(v + h) − L(v − h)) / 2h` and the error is
///
///     |analytic − numeric| / max(|analytic|, |numeric|, floor)
///
/// with `floor` keeping rounding noise on near-zero gradients from counting as large relative
/// errors. A value where the one-sided differences `(L(v + h) − L(v))/h` and `(L(v) − L(v − h))/h`
/// disagree lies at a kink (a ReLU at 0, a tie in a max pool), where no derivative exists: it is
/// skipped. The loss is checked the same way, as a function of the model's outputs.
public struct GradientCheck {
    /// The outcome for one layer (or the loss).
    public struct Result: Sendable, Equatable {
        /// `layers.0`, …, or `loss`.
        public var name: String
        /// The layer type or the loss: `linear`, `mse`.
        public var type: String
        /// The values whose derivatives were compared.
        public var checkedValues: Int
        /// Values skipped because they lie at a kink.
        public var skippedValues: Int
        /// The largest error found.
        public var worstError: Double
        /// Where it was found: `layers.0.weight[3, 1]`, `input[0, 1]`, `output[1, 0]`.
        public var worstAt: String
    }

    /// The step `h` of the central differences.
    public static let step = 1e-6
    /// The error above which a gradient counts as wrong.
    public static let threshold = 1e-4
    /// The smallest denominator of the relative error.
    public static let floor = 1e-3
    /// The relative disagreement of the one-sided differences that marks a kink.
    static let kinkTolerance = 1e-2

    /// The results, one per layer, then the loss.
    public let results: [Result]
    /// The samples the layers were checked on.
    public let sampleCount: Int

    /// Checks `layers`, applied one after another to `samples`, and `loss` on their output.
    public init(layers: [(name: String, type: String, module: any Module)], loss: Loss, samples: Dataset,
                valuesPerTensor: Int = 32, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        let graph = Graph()
        var results: [Result] = []
        var shape = [samples.count] + samples.sampleShape
        var input = samples.features
        for layer in layers {
            let outcome = Self.check(layer.module, input: input, shape: shape, graph: graph, valuesPerTensor: valuesPerTensor,
                                     generator: &generator, parameterPrefix: layer.name)
            results.append(Result(name: layer.name, type: layer.type, checkedValues: outcome.checked, skippedValues: outcome.skipped,
                                   worstError: outcome.worst, worstAt: outcome.worstAt))
            graph.reset()
            let output = layer.module(tensor(shape: shape, values: input, in: graph))
            shape = output.shape
            input = output.values
        }
        // The loss, as a function of the model's outputs.
        let outputShape = shape
        let lossOutcome = Self.compare(values: input, shape: outputShape, name: "output", valuesPerTensor: valuesPerTensor,
                                       generator: &generator) { values in
            graph.reset()
            let outputs = tensor(shape: outputShape, values: values, in: graph)
            let value = loss(outputs: outputs, targets: samples.targets)
            value.backward()
            return (value.value, outputs.gradients)
        }
        results.append(Result(name: "loss", type: loss.rawValue, checkedValues: lossOutcome.checked, skippedValues: lossOutcome.skipped,
                              worstError: lossOutcome.worst, worstAt: lossOutcome.worstAt))
        self.results = results
        sampleCount = samples.count
    }

    /// The results whose error exceeds `threshold`.
    public var failures: [Result] { results.filter { !($0.worstError <= Self.threshold) } }

    private struct Outcome {
        var checked = 0
        var skipped = 0
        var worst = 0.0
        var worstAt = "-"

        mutating func merge(_ other: Outcome) {
            checked += other.checked
            skipped += other.skipped
            if other.worst > worst || other.worst.isNaN {
                worst = other.worst
                worstAt = other.worstAt
            }
        }
    }

    /// Checks one module's parameters and input.
    private static func check(_ module: any Module, input: [Double], shape: [Int], graph: Graph, valuesPerTensor: Int,
                              generator: inout RandomGenerator, parameterPrefix: String) -> Outcome {
        // The fixed weights of L = Σ cⱼ·yⱼ.
        graph.reset()
        let outputCount = module(tensor(shape: shape, values: input, in: graph)).count
        let weights = (0..<outputCount).map { _ in generator.uniform(-1, 1) }
        /// L and its gradients with respect to the input, with the module's parameter gradients collected.
        func evaluate(_ values: [Double]) -> (value: Double, gradients: [Double]) {
            graph.reset()
            let x = tensor(shape: shape, values: values, in: graph)
            let total = dot(module(x).flattened(), tensor(weights, in: graph))
            total.backward()
            module.zeroGradients()
            module.collectGradients(from: graph)
            return (total.value, x.gradients)
        }

        var outcome = Outcome()
        for (name, parameter) in module.namedParameters {
            _ = evaluate(input)
            let analytic = parameter.gradients
            let parameterOutcome = compare(values: parameter.values, shape: parameter.shape, name: "\(parameterPrefix).\(name)",
                                           valuesPerTensor: valuesPerTensor, generator: &generator, analytic: analytic) { values in
                let saved = parameter.values
                parameter.values = values
                defer { parameter.values = saved }
                return (evaluate(input).value, [])
            }
            outcome.merge(parameterOutcome)
        }
        outcome.merge(compare(values: input, shape: shape, name: "input", valuesPerTensor: valuesPerTensor, generator: &generator,
                              function: evaluate))
        return outcome
    }

    /// Compares the derivatives of `function` at `values` with central differences, for at most
    /// `valuesPerTensor` of them. `function` returns the value and its gradients (used unless
    /// `analytic` gives them).
    private static func compare(values: [Double], shape: [Int], name: String, valuesPerTensor: Int,
                                generator: inout RandomGenerator, analytic: [Double]? = nil,
                                function: ([Double]) -> (value: Double, gradients: [Double])) -> Outcome {
        let base = function(values)
        let gradients = analytic ?? base.gradients
        let chosen = values.count <= valuesPerTensor
            ? Array(values.indices)
            : Array(generator.permutation(values.count).prefix(valuesPerTensor)).sorted()
        var outcome = Outcome()
        for index in chosen {
            var shifted = values
            shifted[index] = values[index] + step
            let plus = function(shifted).value
            shifted[index] = values[index] - step
            let minus = function(shifted).value
            let forward = (plus - base.value) / step, backward = (base.value - minus) / step
            if abs(forward - backward) > kinkTolerance * max(abs(forward), abs(backward), floor) {
                outcome.skipped += 1
                continue
            }
            let numeric = (plus - minus) / (2 * step)
            let error = abs(gradients[index] - numeric) / max(abs(gradients[index]), abs(numeric), floor)
            outcome.checked += 1
            if error > outcome.worst || error.isNaN {
                outcome.worst = error
                outcome.worstAt = name + Self.subscripted(index, shape: shape)
            }
        }
        return outcome
    }

    /// Position `position` of a row-major tensor of shape `shape` as a subscript: `[3, 1]`.
    public static func subscripted(_ position: Int, shape: [Int]) -> String {
        var indices: [Int] = []
        var remainder = position
        for size in shape.reversed() {
            indices.append(remainder % max(size, 1))
            remainder /= max(size, 1)
        }
        return "[" + indices.reversed().map(String.init).joined(separator: ", ") + "]"
    }
}
