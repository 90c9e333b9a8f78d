import Autograd
import Foundation
import TestSupport
import Testing

// MARK: - Cases

/// A binary arithmetic operator, with its plain-Double meaning and its partial derivatives worked out by hand.
enum BinaryOperator: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    var testDescription: String { rawValue }

    func callAsFunction(_ a: ScalarGrad, _ b: ScalarGrad) -> ScalarGrad {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }

    func callAsFunction(_ a: ScalarGrad, _ b: Double) -> ScalarGrad {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }

    func callAsFunction(_ a: Double, _ b: ScalarGrad) -> ScalarGrad {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }

    func callAsFunction(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }

    /// `a op= b` on a variable holding `a`.
    func assign(_ a: inout ScalarGrad, _ b: ScalarGrad) {
        switch self {
        case .add: a += b
        case .subtract: a -= b
        case .multiply: a *= b
        case .divide: a /= b
        }
    }

    func assign(_ a: inout ScalarGrad, _ b: Double) {
        switch self {
        case .add: a += b
        case .subtract: a -= b
        case .multiply: a *= b
        case .divide: a /= b
        }
    }

    /// `(∂(a op b)/∂a, ∂(a op b)/∂b)`.
    func partials(_ a: Double, _ b: Double) -> (Double, Double) {
        switch self {
        case .add: (1, 1)
        case .subtract: (1, -1)
        case .multiply: (b, a)
        case .divide: (1 / b, -a / (b * b))
        }
    }
}

/// A pair of operands.
struct OperandPair: Sendable, CustomTestStringConvertible {
    var a: Double
    var b: Double
    var testDescription: String { "(\(a), \(b))" }

    /// Mixed signs and magnitudes, zero on either side (never as a divisor), tiny and equal operands.
    static let all: [OperandPair] = [
        .init(a: 2, b: -3), .init(a: -0.5, b: 0.25), .init(a: 1e-3, b: 7), .init(a: 0, b: 1.5),
        .init(a: -4, b: -1e-2), .init(a: 3.5, b: 3.5), .init(a: 1e4, b: -2e-3),
    ]
}

/// A scalar function of one `ScalarGrad`, with its Foundation value and its derivative worked out by hand.
enum UnaryFunction: Sendable, CustomTestStringConvertible {
    case negate, power(Double), exp, log, tanh, relu, sigmoid

    var testDescription: String {
        switch self {
        case .negate: "-x"
        case .power(let p): "x^\(p)"
        case .exp: "exp"
        case .log: "log"
        case .tanh: "tanh"
        case .relu: "relu"
        case .sigmoid: "sigmoid"
        }
    }

    /// The method form: `x.exp()`, `x.pow(p)`, …
    func method(_ x: ScalarGrad) -> ScalarGrad {
        switch self {
        case .negate: -x
        case .power(let p): x.pow(p)
        case .exp: x.exp()
        case .log: x.log()
        case .tanh: x.tanh()
        case .relu: x.relu()
        case .sigmoid: x.sigmoid()
        }
    }

    /// The free-function form: `exp(x)`, `pow(x, p)`, …
    func freeFunction(_ x: ScalarGrad) -> ScalarGrad {
        switch self {
        case .negate: -x
        case .power(let p): Autograd.pow(x, p)
        case .exp: Autograd.exp(x)
        case .log: Autograd.log(x)
        case .tanh: Autograd.tanh(x)
        case .relu: Autograd.relu(x)
        case .sigmoid: Autograd.sigmoid(x)
        }
    }

    func value(_ x: Double) -> Double {
        switch self {
        case .negate: -x
        case .power(let p): Foundation.pow(x, p)
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .tanh: Foundation.tanh(x)
        case .relu: Swift.max(0, x)
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        }
    }

    /// The derivative, written differently from the engine's rules where there is a choice.
    func derivative(_ x: Double) -> Double {
        switch self {
        case .negate: -1
        case .power(let p): p == 0 ? 0 : p * Foundation.pow(x, p - 1)
        case .exp: Foundation.exp(x)
        case .log: 1 / x
        case .tanh: 1 / (Foundation.cosh(x) * Foundation.cosh(x))
        case .relu: x > 0 ? 1 : 0
        case .sigmoid: Foundation.exp(-x) / ((1 + Foundation.exp(-x)) * (1 + Foundation.exp(-x)))
        }
    }

    /// The finite-difference step: relative for log, whose points go down to 1e-6, else the default.
    func step(at x: Double) -> Double {
        if case .log = self { return 1e-3 * abs(x) }
        return defaultStep(at: x)
    }
}

/// A function and a point of its domain.
struct UnaryCase: Sendable, CustomTestStringConvertible {
    var function: UnaryFunction
    var x: Double
    var testDescription: String { "\(function.testDescription) at \(x)" }

    static func points(_ function: UnaryFunction, _ xs: [Double]) -> [UnaryCase] {
        xs.map { UnaryCase(function: function, x: $0) }
    }

    static let all: [UnaryCase] =
        points(.negate, [-3, 0, 2.5])
        + points(.power(2), [-3, -0.5, 0, 1.7])
        + points(.power(3), [-2, 0.3])
        + points(.power(1), [-2, 5])
        + points(.power(0), [-2, 3])
        + points(.power(-1), [-3, 0.25, 2])
        + points(.power(-2.5), [0.2, 1, 3.7])
        + points(.power(0.5), [0.01, 1, 4])
        + points(.power(1.5), [1e-2, 2])
        + points(.exp, [-20, -1, 0, 2.5, 10])
        + points(.log, [1e-6, 1e-3, 0.5, 1, 50])
        + points(.tanh, [-20, -3, -0.5, 0, 0.7, 20])
        // relu away from its kink; the kink itself is checked exactly below.
        + points(.relu, [-2, -1e-3, 1e-3, 3])
        + points(.sigmoid, [-30, -2, 0, 1.5, 30])
}

// MARK: - Operations

@Suite("ScalarGrad operations")
struct ScalarGradOperationTests {
    @Test("Binary operators between ScalarGrads: value, analytic partials, finite differences",
          arguments: BinaryOperator.allCases, OperandPair.all)
    func binaryOperatorBetweenScalarGrads(operation: BinaryOperator, pair: OperandPair) {
        let (value, gradient) = engineGradient(at: [pair.a, pair.b]) { operation($0[0], $0[1]) }
        let (da, db) = operation.partials(pair.a, pair.b)
        #expect(isApproximatelyEqual(value, operation(pair.a, pair.b), relative: 1e-15))
        #expect(isApproximatelyEqual(gradient[0], da, relative: 1e-12))
        #expect(isApproximatelyEqual(gradient[1], db, relative: 1e-12))
        expectGradientsMatchFiniteDifferences(at: [pair.a, pair.b]) { operation($0[0], $0[1]) }
    }

    @Test("Binary operators with a Double on the right: value and gradient",
          arguments: BinaryOperator.allCases, OperandPair.all)
    func binaryOperatorWithDoubleOnTheRight(operation: BinaryOperator, pair: OperandPair) {
        let (value, gradient) = engineGradient(at: [pair.a]) { operation($0[0], pair.b) }
        #expect(isApproximatelyEqual(value, operation(pair.a, pair.b), relative: 1e-15))
        #expect(isApproximatelyEqual(gradient[0], operation.partials(pair.a, pair.b).0, relative: 1e-12))
        expectGradientsMatchFiniteDifferences(at: [pair.a]) { operation($0[0], pair.b) }
    }

    @Test("Binary operators with a Double on the left: value and gradient",
          arguments: BinaryOperator.allCases, OperandPair.all)
    func binaryOperatorWithDoubleOnTheLeft(operation: BinaryOperator, pair: OperandPair) {
        let (value, gradient) = engineGradient(at: [pair.b]) { operation(pair.a, $0[0]) }
        #expect(isApproximatelyEqual(value, operation(pair.a, pair.b), relative: 1e-15))
        #expect(isApproximatelyEqual(gradient[0], operation.partials(pair.a, pair.b).1, relative: 1e-12))
        expectGradientsMatchFiniteDifferences(at: [pair.b]) { operation(pair.a, $0[0]) }
    }

    @Test("Compound assignments behave as the binary operators", arguments: BinaryOperator.allCases)
    func compoundAssignment(operation: BinaryOperator) {
        let (a, b) = (1.75, -0.625)
        let withScalar = engineGradient(at: [a, b]) { leaves in
            var result = leaves[0]
            operation.assign(&result, leaves[1])
            return result
        }
        let (da, db) = operation.partials(a, b)
        #expect(isApproximatelyEqual(withScalar.value, operation(a, b), relative: 1e-15))
        #expect(isApproximatelyEqual(withScalar.gradient[0], da, relative: 1e-12))
        #expect(isApproximatelyEqual(withScalar.gradient[1], db, relative: 1e-12))

        let withDouble = engineGradient(at: [a]) { leaves in
            var result = leaves[0]
            operation.assign(&result, b)
            return result
        }
        #expect(isApproximatelyEqual(withDouble.value, operation(a, b), relative: 1e-15))
        #expect(isApproximatelyEqual(withDouble.gradient[0], da, relative: 1e-12))
    }

    @Test("Scalar functions: value, hand-derived derivative, finite differences", arguments: UnaryCase.all)
    func scalarFunction(testCase: UnaryCase) {
        let function = testCase.function, x = testCase.x
        let expectedValue = function.value(x)
        let expectedDerivative = function.derivative(x)
        for form in [function.method, function.freeFunction] {
            let (value, gradient) = engineGradient(at: [x]) { form($0[0]) }
            #expect(isApproximatelyEqual(value, expectedValue, relative: 1e-14, absolute: 1e-300))
            // The absolute part allows for 1 − tanh² x and σ(1 − σ) losing their last digits where the
            // function saturates (tanh 20 rounds to 1): an error of about 1e-16 on a derivative near 0.
            #expect(isApproximatelyEqual(gradient[0], expectedDerivative, relative: 1e-12, absolute: 1e-15),
                    "engine \(gradient[0]), by hand \(expectedDerivative)")
            expectGradientsMatchFiniteDifferences(at: [x], step: function.step) { form($0[0]) }
        }
    }

    @Test("relu at exactly 0 has value 0 and derivative 0")
    func reluAtZero() {
        for form in [UnaryFunction.relu.method, UnaryFunction.relu.freeFunction] {
            let (value, gradient) = engineGradient(at: [0]) { form($0[0]) }
            #expect(value == 0)
            #expect(gradient[0] == 0)
        }
        // Also when the 0 is computed, and when the relu feeds further operations.
        let (value, gradient) = engineGradient(at: [2]) { (v: [ScalarGrad]) -> ScalarGrad in ((v[0] - 2).relu() + 1) * v[0] }
        #expect(value == 2)
        #expect(gradient[0] == 1)  // d/dx [(relu(x − 2) + 1)·x] at x = 2 with relu'(0) = 0: 0·x + 1
    }

    @Test("The derivative at the root is 1 and a leaf's own gradient is 1")
    func rootGradientIsOne() {
        let graph = Graph()
        let x = scalar(3, in: graph)
        x.backward()
        #expect(x.grad == 1)
        let y = x.tanh() * 2
        y.backward()
        #expect(y.grad == 1)
    }
}

// MARK: - Sums and dot products of lists

@Suite("sum and dot of ScalarGrad lists")
struct ScalarGradReductionTests {
    static let points: [[Double]] = [[1.5, -2, 0.25], [0, 0, 0], [-1e3, 2e-3, 7], [4.25]]

    @Test("sum of a list: value and gradient 1 for every term", arguments: points)
    func sumOfList(point: [Double]) {
        let (value, gradient) = engineGradient(at: point) { sum($0) }
        #expect(isApproximatelyEqual(value, point.reduce(0, +), relative: 1e-15))
        #expect(gradient == Array(repeating: 1, count: point.count))
        expectGradientsMatchFiniteDifferences(at: point) { sum($0).tanh() }
    }

    @Test("dot of two lists: ∂/∂aᵢ = bᵢ and ∂/∂bᵢ = aᵢ",
          arguments: [([1.5, -2, 0.25], [3, 0.5, -4]), ([0.0], [2.5]), ([-1, 2, -3, 4], [1e-3, 1e3, 0, -7])])
    func dotOfLists(a: [Double], b: [Double]) {
        let n = a.count
        let (value, gradient) = engineGradient(at: a + b) { dot(Array($0[..<n]), Array($0[n...])) }
        #expect(isApproximatelyEqual(value, zip(a, b).map(*).reduce(0, +), relative: 1e-14))
        #expect(gradient == b + a)
        expectGradientsMatchFiniteDifferences(at: a + b) { dot(Array($0[..<n]), Array($0[n...])).sigmoid() }
    }

    @Test("sum and dot accumulate over repeated terms")
    func repeatedTerms() {
        // sum([x, x, y]) = 2x + y.
        let summed = engineGradient(at: [1.25, -3]) { sum([$0[0], $0[0], $0[1]]) }
        #expect(summed.value == 2 * 1.25 - 3)
        #expect(summed.gradient == [2, 1])
        // dot([x, y], [x, x]) = x² + xy: ∂/∂x = 2x + y, ∂/∂y = x.
        let (x, y) = (1.5, -0.75)
        let dotted = engineGradient(at: [x, y]) { dot([$0[0], $0[1]], [$0[0], $0[0]]) }
        #expect(isApproximatelyEqual(dotted.value, x * x + x * y))
        #expect(isApproximatelyEqual(dotted.gradient[0], 2 * x + y))
        #expect(isApproximatelyEqual(dotted.gradient[1], x))
    }
}

// MARK: - Accumulation and backward semantics

@Suite("Gradient accumulation and backward")
struct ScalarGradAccumulationTests {
    @Test("x·x has gradient 2x", arguments: [-3.0, -0.5, 0, 1.25, 40])
    func squareBySelfMultiplication(x: Double) {
        let (value, gradient) = engineGradient(at: [x]) { $0[0] * $0[0] }
        #expect(value == x * x)
        #expect(gradient[0] == 2 * x)
    }

    @Test("x + x has gradient 2, x − x has gradient 0, x / x has gradient 0")
    func selfAdditionSubtractionDivision() {
        #expect(engineGradient(at: [0.7]) { $0[0] + $0[0] }.gradient == [2])
        #expect(engineGradient(at: [0.7]) { $0[0] - $0[0] }.gradient == [0])
        let quotient = engineGradient(at: [0.7]) { $0[0] / $0[0] }
        #expect(isApproximatelyEqual(quotient.value, 1, relative: 1e-15))
        #expect(isApproximatelyEqual(quotient.gradient[0], 0, absolute: 1e-15))
    }

    @Test("A node reused in several branches receives the sum of their contributions")
    func reuseAcrossBranches() {
        let (x, y) = (0.6, -1.3)
        // f = x·y + tanh(x) + eˣ·y + x/y
        let (value, gradient) = engineGradient(at: [x, y]) { v in
            let x = v[0], y = v[1]
            return x * y + x.tanh() + x.exp() * y + x / y
        }
        let cosh = Foundation.cosh(x)
        #expect(isApproximatelyEqual(value, x * y + Foundation.tanh(x) + Foundation.exp(x) * y + x / y, relative: 1e-14))
        #expect(isApproximatelyEqual(gradient[0], y + 1 / (cosh * cosh) + Foundation.exp(x) * y + 1 / y, relative: 1e-12))
        #expect(isApproximatelyEqual(gradient[1], x + Foundation.exp(x) - x / (y * y), relative: 1e-12))
    }

    @Test("A diamond: an intermediate node used twice passes on both contributions")
    func diamond() {
        // a = 3x, b = a², c = a + b·a = 3x + 27x³: dc/dx = 3 + 81x².
        let x = -0.4
        let (value, gradient) = engineGradient(at: [x]) { v in
            let a = v[0] * 3
            let b = a * a
            return a + b * a
        }
        #expect(isApproximatelyEqual(value, 3 * x + 27 * x * x * x, relative: 1e-14))
        #expect(isApproximatelyEqual(gradient[0], 3 + 81 * x * x, relative: 1e-14))
    }

    @Test("A second backward replaces the gradients rather than adding to them")
    func backwardTwiceReplaces() {
        let graph = Graph()
        let x = scalar(1.5, in: graph), y = scalar(-2, in: graph)
        let f = x * y + x
        f.backward()
        let first = (x.grad, y.grad)
        f.backward()
        #expect(x.grad == first.0 && y.grad == first.1)
        #expect(x.grad == -2 + 1 && y.grad == 1.5)
    }

    @Test("backward from an inner node gives zero to the nodes made after it")
    func backwardFromInnerNode() {
        let graph = Graph()
        let x = scalar(2, in: graph), y = scalar(5, in: graph)
        let product = x * y
        let later = product + x
        later.backward()
        #expect(x.grad == 6)
        product.backward()
        #expect(x.grad == 5 && y.grad == 2 && product.grad == 1)
        #expect(later.grad == 0)
    }

    @Test("zeroGradients clears every gradient")
    func zeroGradients() {
        let graph = Graph()
        let x = scalar(2, in: graph)
        let f = x * x + 3
        f.backward()
        #expect(x.grad == 4)
        graph.zeroGradients()
        #expect(x.grad == 0 && f.grad == 0)
    }

    @Test("A leaf's value and gradient can be set, as an optimizer step does")
    func settingLeafValueAndGradient() {
        let graph = Graph()
        let w = scalar(1, in: graph)
        let loss = (w - 3) * (w - 3)
        loss.backward()
        #expect(w.grad == -4)
        w.value -= 0.25 * w.grad
        #expect(w.value == 2)
        w.grad = 7
        #expect(w.grad == 7)
        #expect(loss.value == 4)  // Setting a leaf does not recompute the nodes that use it.
    }

    @Test("Nodes record their operation")
    func nodesRecordTheirOperation() {
        let graph = Graph()
        let x = scalar(2, in: graph), y = scalar(3, in: graph)
        #expect(x.operation == .leaf)
        #expect((x + y).operation == .add)
        #expect((x * y).operation == .multiply)
        #expect(x.pow(2).operation == .power)
        #expect(x.exp().operation == .exp)
        #expect(x.log().operation == .log)
        #expect(x.tanh().operation == .tanh)
        #expect(x.relu().operation == .relu)
        #expect(x.sigmoid().operation == .sigmoid)
        #expect(sum([x, y]).operation == .sum)
        #expect((x * y).graph === graph)
        #expect("\(x)".contains("2.0"))
    }

    @Test("scalar(_:) without a graph uses the current thread's graph")
    func defaultGraphIsCurrent() {
        let x = scalar(1)
        #expect(x.graph === Graph.current)
        #expect(Graph.current === Graph.current)
    }
}

// MARK: - Failures

@Suite("ScalarGrad misuse stops the process")
struct ScalarGradFailureTests {
    @Test("Combining scalars of two graphs stops with a message")
    func mixingGraphs() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let first = Graph(), second = Graph()
            _ = scalar(1, in: first) + scalar(2, in: second)
        }
        expectMessage(result, contains: "same graph")
    }

    @Test("sum and dot over scalars of two graphs stop")
    func mixingGraphsInLists() async {
        await #expect(processExitsWith: .failure) {
            let first = Graph(), second = Graph()
            _ = sum([scalar(1, in: first), scalar(2, in: second)])
        }
        await #expect(processExitsWith: .failure) {
            let first = Graph(), second = Graph()
            let a = scalar(1, in: first)
            _ = dot([a, a], [a, scalar(2, in: second)])
        }
    }

    @Test("Using a scalar after its graph was reset stops with a message")
    func staleScalar() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            let x = scalar(1, in: graph)
            graph.reset()
            _ = x.value
        }
        expectMessage(result, contains: "earlier pass")
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let x = scalar(1, in: graph)
            graph.reset()
            let y = scalar(2, in: graph)
            _ = y * x
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let x = scalar(1, in: graph).tanh()
            graph.reset()
            x.backward()
        }
    }

    @Test("dot of lists of different lengths and sum of no terms stop")
    func badListLengths() async {
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let a = scalar(1, in: graph)
            _ = dot([a, a], [a])
        }
        await #expect(processExitsWith: .failure) {
            _ = sum([ScalarGrad]())
        }
    }

    @Test("Setting the value of a node that is not a leaf stops")
    func settingValueOfInnerNode() async {
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let x = scalar(1, in: graph)
            (x + x).value = 3
        }
    }
}

/// Checks that a failed process explained itself on standard error. Release builds drop
/// precondition messages, so the message is checked in debug builds only.
func expectMessage(_ result: ExitTest.Result?, contains text: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #if DEBUG
    guard let result else { return }  // The exit expectation has already failed.
    let standardError = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(standardError.contains(text), "standard error: \(standardError)", sourceLocation: sourceLocation)
    #endif
}
