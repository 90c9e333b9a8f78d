import Autograd
import Baifs

/// The largest mismatch between the gradients `backward()` gives and central finite differences,
/// for `L = Σᵢ cᵢ·yᵢ` with fixed random weights `cᵢ` over the module's output `y`: over every
/// parameter value and every input value. Returns the worst `|analytic − numeric|` relative to
/// `max(1, |numeric|)`.
func worstGradientError(of module: any Module, inputShape: [Int], input: [Double], seed: UInt64 = 5, step: Double = 1e-6) -> Double {
    var generator = RandomGenerator(seed: seed)
    let graph = Graph()
    func loss(_ values: [Double], weights: [Double]?) -> (value: Double, inputGradients: [Double], weights: [Double]) {
        graph.reset()
        let x = tensor(shape: inputShape, values: values, in: graph)
        let y = module(x).flattened()
        let coefficients = weights ?? (0..<y.count).map { _ in generator.uniform(-1, 1) }
        let total = dot(y, tensor(coefficients, in: graph))
        total.backward()
        module.zeroGradients()
        module.collectGradients(from: graph)
        return (total.value, x.gradients, coefficients)
    }
    let base = loss(input, weights: nil)
    let weights = base.weights
    var worst = 0.0
    func compare(_ analytic: Double, _ numeric: Double) {
        worst = max(worst, abs(analytic - numeric) / max(1, abs(numeric)))
    }
    // Parameters.
    let analyticParameterGradients = module.parameters.map(\.gradients)
    for (parameterIndex, parameter) in module.parameters.enumerated() {
        for index in parameter.values.indices {
            let original = parameter.values[index]
            parameter.values[index] = original + step
            let plus = loss(input, weights: weights).value
            parameter.values[index] = original - step
            let minus = loss(input, weights: weights).value
            parameter.values[index] = original
            compare(analyticParameterGradients[parameterIndex][index], (plus - minus) / (2 * step))
        }
    }
    // Inputs.
    for index in input.indices {
        var shifted = input
        shifted[index] = input[index] + step
        let plus = loss(shifted, weights: weights).value
        shifted[index] = input[index] - step
        let minus = loss(shifted, weights: weights).value
        compare(base.inputGradients[index], (plus - minus) / (2 * step))
    }
    return worst
}

/// `count` values uniform in `[-1, 1)` from `seed`.
func randomValues(_ count: Int, seed: UInt64) -> [Double] {
    var generator = RandomGenerator(seed: seed)
    return (0..<count).map { _ in generator.uniform(-1, 1) }
}
