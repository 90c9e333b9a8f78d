import Autograd
import Foundation
import TestSupport
import Testing

// MARK: - Construction and shapes

@Suite("TensorGrad construction")
struct TensorGradConstructionTests {
    @Test("A matrix from nested arrays has shape [rows, columns] and row-major values")
    func matrixFromNestedArrays() {
        let graph = Graph()
        let square = tensor([[1, 2], [3, 4]], in: graph)
        #expect(square.shape == [2, 2])
        #expect(square.values == [1, 2, 3, 4])
        let wide = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        #expect(wide.shape == [2, 3])
        #expect(wide.rank == 2)
        #expect(wide.count == 6)
        #expect(wide.values == [1, 2, 3, 4, 5, 6])
        #expect(wide[1, 0].value == 4)
        #expect(wide[0, 2].value == 3)
    }

    @Test("A vector from an array has shape [count]")
    func vectorFromArray() {
        let v = tensor([3, -1, 0.5], in: Graph())
        #expect(v.shape == [3])
        #expect(v.rank == 1)
        #expect(v.values == [3, -1, 0.5])
    }

    @Test("A rank-3 tensor from nested arrays has shape [planes, rows, columns]")
    func rank3FromNestedArrays() {
        var planes: [[[Double]]] = []
        for i in 0..<2 {
            var plane: [[Double]] = []
            for j in 0..<3 { plane.append((0..<4).map { k in Double(100 * i + 10 * j + k) }) }
            planes.append(plane)
        }
        let t = tensor(planes, in: Graph())
        #expect(t.shape == [2, 3, 4])
        #expect(t.rank == 3)
        #expect(t.count == 24)
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    #expect(t[i, j, k].value == Double(100 * i + 10 * j + k))
                    #expect(t.element([i, j, k]).value == Double(100 * i + 10 * j + k))
                }
            }
        }
    }

    @Test("A rank-4 tensor from nested arrays has shape [batch, channels, rows, columns]")
    func rank4FromNestedArrays() {
        var blocks: [[[[Double]]]] = []
        for a in 0..<2 {
            var block: [[[Double]]] = []
            for b in 0..<3 {
                var plane: [[Double]] = []
                for c in 0..<2 { plane.append((0..<5).map { d in Double(1000 * a + 100 * b + 10 * c + d) }) }
                block.append(plane)
            }
            blocks.append(block)
        }
        let t = tensor(blocks, in: Graph())
        #expect(t.shape == [2, 3, 2, 5])
        #expect(t.rank == 4)
        #expect(t.count == 60)
        var expected: [Double] = []
        for a in 0..<2 { for b in 0..<3 { for c in 0..<2 { for d in 0..<5 { expected.append(Double(1000 * a + 100 * b + 10 * c + d)) } } } }
        #expect(t.values == expected)
        #expect(t[1, 2, 0, 3].value == 1203)
    }

    @Test("tensor(shape:values:), tensor(repeating:shape:) and a rank-0 tensor")
    func explicitShapes() {
        let graph = Graph()
        let t = tensor(shape: [3, 1, 2], values: [1, 2, 3, 4, 5, 6], in: graph)
        #expect(t.shape == [3, 1, 2])
        #expect(t[2, 0, 1].value == 6)
        let filled = tensor(repeating: 0.5, shape: [2, 3], in: graph)
        #expect(filled.values == Array(repeating: 0.5, count: 6))
        let single = tensor(shape: [], values: [7], in: graph)
        #expect(single.rank == 0 && single.count == 1)
        #expect(single.scalar.value == 7)
        #expect(single.element([]).value == 7)
        let empty = tensor(shape: [0, 3], values: [], in: graph)
        #expect(empty.count == 0 && empty.values.isEmpty)
    }

    @Test("Every element of a new tensor is a leaf of its graph, one node each")
    func elementsAreLeaves() {
        let graph = Graph()
        let before = graph.nodeCount
        let t = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        #expect(graph.nodeCount == before + 6)
        #expect(t.scalars.allSatisfy { $0.operation == .leaf && $0.graph === graph })
        #expect(t.scalars.map(\.value) == [1, 2, 3, 4, 5, 6])
        #expect(t.graph === graph)
        #expect("\(t)".contains("[2, 3]"))
    }

    @Test("A tensor of existing scalars records no node and passes gradients back to them")
    func tensorOfScalars() {
        let graph = Graph()
        let a = scalar(2, in: graph), b = scalar(-1, in: graph), c = scalar(0.5, in: graph)
        let before = graph.nodeCount
        let t = tensor([a, b, c, a], shape: [2, 2])
        #expect(graph.nodeCount == before)
        #expect(t.shape == [2, 2])
        #expect(t.values == [2, -1, 0.5, 2])
        #expect(tensor([a, b]).shape == [2])
        weightedSum(t).backward()
        #expect(a.grad == probeWeight(0) + probeWeight(3))
        #expect(b.grad == probeWeight(1))
        #expect(c.grad == probeWeight(2))
    }

    @Test("tensor(_:) without a graph uses the current thread's graph")
    func defaultGraphIsCurrent() {
        #expect(tensor([1, 2]).graph === Graph.current)
        #expect(tensor([[1], [2]]).graph === Graph.current)
    }
}

// MARK: - Elementwise operations and broadcasting

/// How a scalar operand is broadcast against a tensor.
enum BroadcastForm: String, CaseIterable, Sendable {
    case tensorOpScalarGrad = "t op s", scalarGradOpTensor = "s op t", tensorOpDouble = "t op c", doubleOpTensor = "c op t"
}

@Suite("TensorGrad elementwise operations")
struct TensorGradElementwiseTests {
    static let left = TensorInput([2, 3], seed: 1)
    static let right = TensorInput([2, 3], seed: 2, positive: true)  // positive, so that it can divide

    @Test("Elementwise operators between tensors: values and gradients", arguments: BinaryOperator.allCases)
    func tensorWithTensor(operation: BinaryOperator) {
        let graph = Graph()
        let a = tensor(shape: Self.left.shape, values: Self.left.values, in: graph)
        let b = tensor(shape: Self.right.shape, values: Self.right.values, in: graph)
        let result = Self.apply(operation, a, b)
        #expect(result.shape == [2, 3])
        expectApproximatelyEqual(result.values, zip(Self.left.values, Self.right.values).map { operation($0, $1) },
                                 relative: 1e-15, "values")
        expectTensorGradientsMatchFiniteDifferences([Self.left, Self.right]) { t in
            weightedSum(Self.apply(operation, t[0], t[1]))
        }
    }

    static func apply(_ operation: BinaryOperator, _ a: TensorGrad, _ b: TensorGrad) -> TensorGrad {
        switch operation {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        }
    }

    @Test("A tensor combined with itself accumulates both gradients")
    func tensorWithItself() {
        let graph = Graph()
        let t = tensor([1.5, -2, 0.25], in: graph)
        weightedSum(t * t + t).backward()
        // ∂/∂tᵢ of wᵢ·(tᵢ² + tᵢ) is wᵢ·(2tᵢ + 1).
        expectApproximatelyEqual(t.gradients, [1.5, -2, 0.25].enumerated().map { probeWeight($0) * (2 * $1 + 1) },
                                 relative: 1e-15, "gradients")
    }

    @Test("Broadcasting a ScalarGrad or a Double on either side: values and gradients",
          arguments: BinaryOperator.allCases, BroadcastForm.allCases)
    func broadcasting(operation: BinaryOperator, form: BroadcastForm) {
        let t = operation == .divide && (form == .scalarGradOpTensor || form == .doubleOpTensor)
            ? TensorInput([2, 3], seed: 3, positive: true) : TensorInput([2, 3], seed: 3)
        let s = TensorInput([], [-1.75])
        let constant = -1.75
        func build(_ inputs: [TensorGrad]) -> TensorGrad {
            let (x, y) = (inputs[0], inputs[1].scalar)
            switch (form, operation) {
            case (.tensorOpScalarGrad, .add): return x + y
            case (.tensorOpScalarGrad, .subtract): return x - y
            case (.tensorOpScalarGrad, .multiply): return x * y
            case (.tensorOpScalarGrad, .divide): return x / y
            case (.scalarGradOpTensor, .add): return y + x
            case (.scalarGradOpTensor, .subtract): return y - x
            case (.scalarGradOpTensor, .multiply): return y * x
            case (.scalarGradOpTensor, .divide): return y / x
            case (.tensorOpDouble, .add): return x + constant
            case (.tensorOpDouble, .subtract): return x - constant
            case (.tensorOpDouble, .multiply): return x * constant
            case (.tensorOpDouble, .divide): return x / constant
            case (.doubleOpTensor, .add): return constant + x
            case (.doubleOpTensor, .subtract): return constant - x
            case (.doubleOpTensor, .multiply): return constant * x
            case (.doubleOpTensor, .divide): return constant / x
            }
        }
        let graph = Graph()
        let result = build(makeTensors([t, s], values: t.values + s.values, in: graph))
        #expect(result.shape == [2, 3])
        let expected = t.values.map { element in
            form == .tensorOpScalarGrad || form == .tensorOpDouble ? operation(element, constant) : operation(constant, element)
        }
        expectApproximatelyEqual(result.values, expected, relative: 1e-15, "values")
        // The scalar's gradient is the sum over every element it was broadcast to.
        expectTensorGradientsMatchFiniteDifferences([t, s]) { weightedSum(build($0)) }
    }

    /// An elementwise function of a tensor.
    static let unaryCases: [(UnaryFunction, TensorInput)] = [
        (.negate, TensorInput([2, 3], seed: 4)),
        (.power(2), TensorInput([2, 3], seed: 5)),
        (.power(3), TensorInput([2, 3], seed: 6)),
        (.power(-1.5), TensorInput([2, 3], seed: 7, positive: true)),
        (.power(0.5), TensorInput([2, 3], seed: 8, positive: true)),
        (.exp, TensorInput([2, 3], seed: 9)),
        (.log, TensorInput([2, 3], seed: 10, positive: true)),
        (.tanh, TensorInput([2, 3], seed: 11)),
        (.relu, TensorInput([2, 3], seed: 12)),
        (.sigmoid, TensorInput([2, 3], seed: 13)),
    ]

    @Test("Elementwise functions: values, hand-derived derivatives and finite differences", arguments: unaryCases)
    func unaryFunction(function: UnaryFunction, input: TensorInput) {
        func apply(_ t: TensorGrad) -> TensorGrad {
            switch function {
            case .negate: -t
            case .power(let p): t.pow(p)
            case .exp: t.exp()
            case .log: t.log()
            case .tanh: t.tanh()
            case .relu: t.relu()
            case .sigmoid: t.sigmoid()
            }
        }
        let graph = Graph()
        let t = tensor(shape: input.shape, values: input.values, in: graph)
        let result = apply(t)
        #expect(result.shape == input.shape)
        expectApproximatelyEqual(result.values, input.values.map(function.value), relative: 1e-14, "values")
        weightedSum(result).backward()
        expectApproximatelyEqual(t.gradients, input.values.enumerated().map { probeWeight($0) * function.derivative($1) },
                                 relative: 1e-12, "gradients")
        expectTensorGradientsMatchFiniteDifferences([input]) { weightedSum(apply($0[0])) }
    }

    @Test("Elementwise relu gives gradient 0 at exactly 0")
    func reluAtZero() {
        let graph = Graph()
        let t = tensor([-1, 0, 2], in: graph)
        let r = t.relu()
        #expect(r.values == [0, 0, 2])
        r.sum().backward()
        #expect(t.gradients == [0, 0, 1])
    }
}

// MARK: - Linear algebra

/// `a·b` for row-major matrices, written out.
func naiveMatmul(_ a: [Double], rows: Int, inner: Int, _ b: [Double], columns: Int) -> [Double] {
    var result = [Double](repeating: 0, count: rows * columns)
    for i in 0..<rows {
        for j in 0..<columns {
            for k in 0..<inner { result[i * columns + j] += a[i * inner + k] * b[k * columns + j] }
        }
    }
    return result
}

/// The transpose of a row-major `[rows, columns]` matrix.
func transpose(_ a: [Double], rows: Int, columns: Int) -> [Double] {
    (0..<(rows * columns)).map { position in a[(position % rows) * columns + position / rows] }
}

/// A matrix product to check: the shapes of its operands, and which of them are transposed views.
struct MatmulCase: Sendable, CustomTestStringConvertible {
    var a: [Int]
    var b: [Int]
    var transposeA = false
    var transposeB = false
    var testDescription: String {
        "\(transposeA ? "(\(a.reversed()))ᵀ" : "\(a)") · \(transposeB ? "(\(b.reversed()))ᵀ" : "\(b)")"
    }

    static let all: [MatmulCase] = [
        MatmulCase(a: [2, 3], b: [3, 4]),
        MatmulCase(a: [3], b: [3, 4]),
        MatmulCase(a: [2, 3], b: [3]),
        MatmulCase(a: [1, 1], b: [1, 1]),
        // Transposed operands are gathered, not consecutive: the gathered dot path.
        MatmulCase(a: [3, 2], b: [3, 4], transposeA: true),
        MatmulCase(a: [2, 3], b: [4, 3], transposeB: true),
        MatmulCase(a: [3, 2], b: [2, 3], transposeA: true, transposeB: true),
        MatmulCase(a: [3], b: [2, 3], transposeB: true),
        MatmulCase(a: [3, 4], b: [3], transposeA: true),
    ]
}

@Suite("TensorGrad linear algebra")
struct TensorGradLinearAlgebraTests {
    @Test("dot of two vectors: value, gradients by hand and by finite differences")
    func dotOfVectors() {
        let a = TensorInput([4], [1.5, -2, 0.25, 3]), b = TensorInput([4], [0.5, 4, -1, 2])
        let graph = Graph()
        let (x, y) = (tensor(a.values, in: graph), tensor(b.values, in: graph))
        let d = dot(x, y)
        #expect(d.operation == .stridedDot)
        #expect(d.value == 1.5 * 0.5 - 2 * 4 - 0.25 + 6)
        d.backward()
        #expect(x.gradients == b.values && y.gradients == a.values)
        expectTensorGradientsMatchFiniteDifferences([a, b]) { dot($0[0], $0[1]).tanh() }
    }

    @Test("dot of a vector with itself has gradient 2x, on consecutive and on gathered nodes")
    func dotWithItself() {
        let graph = Graph()
        let x = tensor([1.5, -2, 0.25], in: graph)
        dot(x, x).backward()
        #expect(x.gradients == [3, -4, 0.5])
        // The same vector as a column of a matrix: its elements are gathered, not consecutive.
        let m = tensor([[1.5, 9], [-2, 9], [0.25, 9]], in: graph)
        let column = m.transposed()[0]
        let square = dot(column, column)
        #expect(square.operation == .gatheredDot)
        square.backward()
        #expect(m.gradients == [3, 0, -4, 0, 0.5, 0])
    }

    @Test("matmul: shape, values against a hand product, gradients against finite differences",
          arguments: MatmulCase.all)
    func matmulCase(testCase: MatmulCase) {
        let a = TensorInput(testCase.a, seed: 20), b = TensorInput(testCase.b, seed: 21)
        func operand(_ t: TensorGrad, transposed: Bool) -> TensorGrad { transposed ? t.transposed() : t }
        // The operands as the product sees them, as row-major matrices ([k] as [1, k] or [k, 1]).
        let left = testCase.transposeA ? transpose(a.values, rows: a.shape[0], columns: a.shape[1]) : a.values
        let right = testCase.transposeB ? transpose(b.values, rows: b.shape[0], columns: b.shape[1]) : b.values
        let leftShape = testCase.transposeA ? Array(a.shape.reversed()) : a.shape
        let rightShape = testCase.transposeB ? Array(b.shape.reversed()) : b.shape
        let rows = leftShape.count == 2 ? leftShape[0] : 1
        let inner = leftShape.last!
        let columns = rightShape.count == 2 ? rightShape[1] : 1
        var expectedShape: [Int] = []
        if leftShape.count == 2 { expectedShape.append(rows) }
        if rightShape.count == 2 { expectedShape.append(columns) }

        let graph = Graph()
        let x = operand(tensor(shape: a.shape, values: a.values, in: graph), transposed: testCase.transposeA)
        let y = operand(tensor(shape: b.shape, values: b.values, in: graph), transposed: testCase.transposeB)
        let product = matmul(x, y)
        #expect(product.shape == expectedShape)
        let expected = naiveMatmul(left, rows: rows, inner: inner, right, columns: columns)
        expectApproximatelyEqual(product.values, expected, relative: 1e-14, absolute: 1e-15, "values")
        #expect(x.matmul(y).values == product.values)
        // Consecutive operands take the strided dot path, a transposed (gathered) one the gathered path.
        let path: Autograd.Operation = testCase.transposeA || testCase.transposeB ? .gatheredDot : .stridedDot
        #expect(product.scalars.allSatisfy { $0.operation == path })

        expectTensorGradientsMatchFiniteDifferences([a, b]) { t in
            weightedSum(matmul(operand(t[0], transposed: testCase.transposeA),
                               operand(t[1], transposed: testCase.transposeB)).tanh())
        }
    }

    @Test("matmul gradients by hand: ∂Σ(A·B)/∂A = 1·Bᵀ and ∂Σ(A·B)/∂B = Aᵀ·1")
    func matmulGradientsByHand() {
        let graph = Graph()
        let a = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        let b = tensor([[1, -1], [0, 2], [3, 0.5]], in: graph)
        let product = matmul(a, b)
        let expectedProduct: [Double] = [1 + 0 + 9, -1 + 4 + 1.5, 4 + 0 + 18, -4 + 10 + 3]
        #expect(product.values == expectedProduct)
        product.sum().backward()
        // ∂/∂A[i, k] = Σⱼ B[k, j]; ∂/∂B[k, j] = Σᵢ A[i, k].
        #expect(a.gradients == [0, 2, 3.5, 0, 2, 3.5])
        #expect(b.gradients == [5, 5, 7, 7, 9, 9])
    }

    @Test("linear on a batch against a hand computation: y = x·Wᵀ + b")
    func linearByHand() {
        let graph = Graph()
        let x = tensor([[1, 2], [-1, 0.5]], in: graph)
        let w = tensor([[1, 0], [0, 1], [1, 1]], in: graph)
        let b = tensor([0.5, -1, 0], in: graph)
        let y = linear(x, weight: w, bias: b)
        #expect(y.shape == [2, 3])
        #expect(y.values == [1.5, 1, 3, -0.5, -0.5, -0.5])
        y.sum().backward()
        // ∂Σy/∂W[o, i] = Σₙ x[n, i]; ∂Σy/∂b[o] = batch; ∂Σy/∂x[n, i] = Σₒ W[o, i].
        #expect(w.gradients == [0, 2.5, 0, 2.5, 0, 2.5])
        #expect(b.gradients == [2, 2, 2])
        #expect(x.gradients == [2, 2, 2, 2])

        let withoutBias = linear(x, weight: w)
        #expect(withoutBias.values == [1, 2, 3, -1, 0.5, -0.5])
        let single = linear(tensor([3, -2], in: graph), weight: w, bias: b)
        #expect(single.shape == [3])
        #expect(single.values == [3.5, -3, 1])
    }

    @Test("linear gradients against finite differences, with and without bias, on a batch and on a vector",
          arguments: [[2, 3], [3]], [true, false])
    func linearFiniteDifferences(inputShape: [Int], hasBias: Bool) {
        let x = TensorInput(inputShape, seed: 30)
        let w = TensorInput([4, 3], seed: 31)
        let b = TensorInput([4], seed: 32)
        let inputs = hasBias ? [x, w, b] : [x, w]
        // The hand formula for the values.
        let batch = inputShape.count == 2 ? inputShape[0] : 1
        let expected = (0..<(batch * 4)).map { position -> Double in
            let (n, o) = (position / 4, position % 4)
            var total = hasBias ? b.values[o] : 0
            for i in 0..<3 { total += x.values[n * 3 + i] * w.values[o * 3 + i] }
            return total
        }
        let graph = Graph()
        let t = makeTensors(inputs, values: inputs.flatMap(\.values), in: graph)
        let y = linear(t[0], weight: t[1], bias: hasBias ? t[2] : nil)
        #expect(y.shape == (inputShape.count == 2 ? [2, 4] : [4]))
        expectApproximatelyEqual(y.values, expected, relative: 1e-14, absolute: 1e-15, "values")
        expectTensorGradientsMatchFiniteDifferences(inputs) { t in
            weightedSum(linear(t[0], weight: t[1], bias: hasBias ? t[2] : nil).sigmoid())
        }
    }

    @Test("A bias that is the graph's very first node gets its gradient on both dot paths",
          arguments: [false, true])
    func biasAtFirstNode(gathered: Bool) {
        let graph = Graph()
        let b = tensor([0.5], in: graph)  // node 0
        let w = tensor([[2, 3]], in: graph)
        let x = tensor([[1], [4]], in: graph)
        let input = gathered ? x.transposed() : x.reshaped([1, 2])  // [[1, 4]] either way
        let y = linear(input, weight: w, bias: b)
        #expect(y.scalar.operation == (gathered ? .gatheredDot : .stridedDot))
        #expect(y.values == [0.5 + 2 + 12])
        y.sum().backward()
        #expect(b.gradients == [1])
        #expect(w.gradients == [1, 4])
        #expect(x.gradients == [2, 3])
    }

    @Test("linear with a gathered input and weight matches the one on consecutive nodes")
    func linearOnGatheredTensors() {
        let graph = Graph()
        let x = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        let wT = tensor([[0.5, -1], [2, 0], [1, 1.5]], in: graph)  // Wᵀ, so W = wT.transposed()
        let b = tensor([0.25, -0.5], in: graph)
        let gathered = linear(x.transposed().transposed(), weight: wT.transposed(), bias: b)
        let expectedValues: [Double] = [0.25 + 0.5 + 4 + 3, -0.5 - 1 + 0 + 4.5, 0.25 + 2 + 10 + 6, -0.5 - 4 + 0 + 9]
        #expect(gathered.values == expectedValues)
        weightedSum(gathered).backward()
        // ∂/∂Wᵀ[i, o] = Σₙ wₙₒ·x[n, i] with wₙₒ = probeWeight(2n + o).
        let expected = (0..<6).map { position -> Double in
            let (i, o) = (position / 2, position % 2)
            return probeWeight(o) * [1.0, 2, 3][i] + probeWeight(2 + o) * [4.0, 5, 6][i]
        }
        #expect(wT.gradients == expected)
        #expect(b.gradients == [probeWeight(0) + probeWeight(2), probeWeight(1) + probeWeight(3)])
    }
}

// MARK: - Reductions

@Suite("TensorGrad reductions")
struct TensorGradReductionTests {
    static let input = TensorInput([2, 3, 4], seed: 40)

    /// Reduces `values` of shape [2, 3, 4] along `axis` with `combine`, written out.
    static func reduce(_ values: [Double], axis: Int, _ combine: ([Double]) -> Double) -> (shape: [Int], values: [Double]) {
        let shape = [2, 3, 4]
        var outputShape = shape
        outputShape.remove(at: axis)
        var result: [Double] = []
        for p in 0..<outputShape[0] {
            for q in 0..<outputShape[1] {
                let line = (0..<shape[axis]).map { r -> Double in
                    let index = axis == 0 ? [r, p, q] : axis == 1 ? [p, r, q] : [p, q, r]
                    return values[index[0] * 12 + index[1] * 4 + index[2]]
                }
                result.append(combine(line))
            }
        }
        return (outputShape, result)
    }

    @Test("sum, mean and max over all elements: values and gradients")
    func overAllElements() {
        let values = Self.input.values
        let graph = Graph()
        let t = tensor(shape: [2, 3, 4], values: values, in: graph)
        #expect(isApproximatelyEqual(t.sum().value, values.reduce(0, +), relative: 1e-14))
        #expect(isApproximatelyEqual(t.mean().value, values.reduce(0, +) / 24, relative: 1e-14))
        #expect(t.max().value == values.max())
        t.mean().backward()
        #expect(t.gradients.allSatisfy { isApproximatelyEqual($0, 1.0 / 24, relative: 1e-15) })
        t.max().backward()
        let largest = values.firstIndex(of: values.max()!)!
        #expect(t.gradients == values.indices.map { $0 == largest ? 1 : 0 })
        let reductions: [(TensorGrad) -> ScalarGrad] = [{ $0.sum() }, { $0.mean() }, { $0.max() }]
        for reduction in reductions {
            expectTensorGradientsMatchFiniteDifferences([Self.input]) { reduction($0[0].tanh()).exp() }
        }
    }

    @Test("max of negative values is the largest of them, not 0")
    func maxOfNegativeValues() {
        let graph = Graph()
        let t = tensor([-5, -2, -7], in: graph)
        #expect(t.max().value == -2)
        #expect(t.max(axis: 0).values == [-2])
    }

    @Test("max sends the whole gradient to the first of tied largest elements")
    func maxWithTies() {
        let graph = Graph()
        let t = tensor([[3, 1, 3], [2, 2, 0]], in: graph)
        t.max().backward()
        #expect(t.gradients == [1, 0, 0, 0, 0, 0])
        t.max(axis: 1).sum().backward()
        #expect(t.gradients == [1, 0, 0, 1, 0, 0])
        t.max(axis: 0).sum().backward()
        #expect(t.gradients == [1, 0, 1, 0, 1, 0])
    }

    @Test("sum, mean and max along each axis, negative axes included: shapes, values and gradients",
          arguments: [0, 1, 2, -1, -2, -3])
    func alongAxis(axis: Int) {
        let normalized = axis < 0 ? axis + 3 : axis
        let values = Self.input.values
        let graph = Graph()
        let t = tensor(shape: [2, 3, 4], values: values, in: graph)
        let sums = Self.reduce(values, axis: normalized) { $0.reduce(0, +) }
        let means = Self.reduce(values, axis: normalized) { $0.reduce(0, +) / Double($0.count) }
        let maxima = Self.reduce(values, axis: normalized) { $0.max()! }
        #expect(t.sum(axis: axis).shape == sums.shape)
        #expect(t.mean(axis: axis).shape == means.shape)
        #expect(t.max(axis: axis).shape == maxima.shape)
        expectApproximatelyEqual(t.sum(axis: axis).values, sums.values, relative: 1e-14, "sum")
        expectApproximatelyEqual(t.mean(axis: axis).values, means.values, relative: 1e-14, "mean")
        #expect(t.max(axis: axis).values == maxima.values)

        // ∂(Σ wₒ·sumₒ)/∂tᵢ is the weight of the output that element i falls into.
        weightedSum(t.sum(axis: axis)).backward()
        let expectedSumGradient = (0..<24).map { position -> Double in
            let (i, j, k) = (position / 12, position / 4 % 3, position % 4)
            let kept = [i, j, k].enumerated().filter { $0.offset != normalized }.map(\.element)
            let outputSize = sums.shape[1]
            return probeWeight(kept[0] * outputSize + kept[1])
        }
        #expect(t.gradients == expectedSumGradient)

        let reductions: [(TensorGrad) -> TensorGrad] = [{ $0.sum(axis: axis) }, { $0.mean(axis: axis) }, { $0.max(axis: axis) }]
        for reduction in reductions {
            expectTensorGradientsMatchFiniteDifferences([Self.input]) { weightedSum(reduction($0[0]).tanh()) }
        }
    }
}

// MARK: - Shapes, indexing and stacking

@Suite("TensorGrad shapes and indexing")
struct TensorGradShapeTests {
    @Test("reshaped, flattened and flattened(from:) keep row-major order")
    func reshaping() {
        let graph = Graph()
        let values = (0..<24).map(Double.init)
        let t = tensor(shape: [2, 3, 4], values: values, in: graph)
        let before = graph.nodeCount
        #expect(t.reshaped([4, 6]).shape == [4, 6])
        #expect(t.reshaped([4, 6]).values == values)
        #expect(t.reshaped([4, 6])[1, 2].value == 8)
        #expect(t.flattened().shape == [24])
        #expect(t.flattened().values == values)
        #expect(t.flattened(from: 1).shape == [2, 12])
        #expect(t.flattened(from: 1)[1, 0].value == 12)
        #expect(t.flattened(from: 2).shape == [2, 3, 4])
        #expect(t.flattened(from: 0).shape == [24])
        #expect(graph.nodeCount == before)  // Reshaping records no node.
    }

    @Test("Reshaping a gathered tensor keeps its element order")
    func reshapingGathered() {
        let graph = Graph()
        let m = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        #expect(m.transposed().flattened().values == [1, 4, 2, 5, 3, 6])
        #expect(m.transposed().reshaped([2, 3]).values == [1, 4, 2, 5, 3, 6])
    }

    @Test("Gradients flow through reshapes and transposes")
    func gradientsThroughReshapes() {
        let input = TensorInput([2, 3, 2], seed: 50)
        expectTensorGradientsMatchFiniteDifferences([input]) { t in
            let x = t[0]
            let m = x.flattened(from: 1)  // [2, 6]
            return weightedSum(matmul(m.transposed(), x.reshaped([2, 6])).tanh()) + weightedSum(x.flattened().sigmoid())
        }
    }

    @Test("transposed swaps rows and columns and twice gives the original")
    func transposing() {
        let graph = Graph()
        let m = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        let t = m.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.values == [1, 4, 2, 5, 3, 6])
        #expect(t[2, 1].value == 6)
        #expect(t.transposed().values == m.values)
        #expect(t.transposed().shape == [2, 3])
    }

    @Test("t[i] is a row of a matrix, a plane of a rank-3 tensor, an element of a vector")
    func rowAccess() {
        let graph = Graph()
        let m = tensor([[1, 2], [3, 4], [5, 6]], in: graph)
        #expect(m[1].shape == [2])
        #expect(m[1].values == [3, 4])
        #expect(m[2][0].shape == [])
        #expect(m[2][0].scalar.value == 5)
        let cube = tensor(shape: [2, 3, 4], values: (0..<24).map(Double.init), in: graph)
        #expect(cube[1].shape == [3, 4])
        #expect(cube[1].values == (12..<24).map(Double.init))
        #expect(cube[1][2].values == [20, 21, 22, 23])
        // Rows of a gathered tensor.
        #expect(m.transposed()[1].values == [2, 4, 6])
    }

    @Test("Rows and elements pass gradients back to the elements they came from")
    func gradientsThroughIndexing() {
        let graph = Graph()
        let m = tensor([[1, 2], [3, 4], [5, 6]], in: graph)
        let f = dot(m[1], m[1]) + m[0, 1] * m[2, 0] + m.transposed()[0].sum()
        // f = 3² + 4² + 2·5 + (1 + 3 + 5)
        #expect(f.value == 9 + 16 + 10 + 9)
        f.backward()
        #expect(m.gradients == [1, 5, 6 + 1, 8, 2 + 1, 0])
    }

    @Test("element(_:) and t[i, j, …] address row-major positions")
    func elementAccess() {
        let graph = Graph()
        let t = tensor(shape: [2, 2, 3], values: (0..<12).map(Double.init), in: graph)
        #expect(t[1, 0, 2].value == 8)
        #expect(t.element([0, 1, 1]).value == 4)
        #expect(t.element(atFlat: 11).value == 11)
        #expect(t.scalars.map(\.value) == (0..<12).map(Double.init))
    }

    @Test("stacked puts tensors of one shape along a new first axis and passes gradients back")
    func stacking() {
        let graph = Graph()
        let a = tensor([1, 2], in: graph), b = tensor([3, 4], in: graph)
        let m = tensor([[5, 6], [7, 8]], in: graph)
        let s = TensorGrad.stacked([a, b, m.transposed()[1], a])
        #expect(s.shape == [4, 2])
        #expect(s.values == [1, 2, 3, 4, 6, 8, 1, 2])
        weightedSum(s).backward()
        #expect(a.gradients == [probeWeight(0) + probeWeight(6), probeWeight(1) + probeWeight(7)])
        #expect(b.gradients == [probeWeight(2), probeWeight(3)])
        #expect(m.gradients == [0, probeWeight(4), 0, probeWeight(5)])
        let planes = TensorGrad.stacked([m, m])
        #expect(planes.shape == [2, 2, 2])
        #expect(planes[1, 1, 0].value == 7)
    }

    @Test("addGradients(to:) adds each element's gradient to a buffer, consecutive or gathered")
    func addGradients() {
        let graph = Graph()
        let m = tensor([[1, 2, 3], [4, 5, 6]], in: graph)
        (m * m).sum().backward()  // ∂/∂mᵢ = 2mᵢ
        var buffer: [Double] = [10, 20, 30, 40, 50, 60]
        m.addGradients(to: &buffer)
        #expect(buffer == [12, 24, 36, 48, 60, 72])
        m.addGradients(to: &buffer)
        #expect(buffer == [14, 28, 42, 56, 70, 84])
        var transposedBuffer = [Double](repeating: 1, count: 6)
        m.transposed().addGradients(to: &transposedBuffer)
        #expect(transposedBuffer == [3, 9, 5, 11, 7, 13])
    }

    @Test("sumGradients(of:into:elements:) gives the bits of zeroing and adding in turn, on any split of the elements")
    func sumGradientsMatchesAddingInTurn() {
        // Three graphs whose gradients need rounding when added, so that the order of the additions shows.
        let values: [[Double]] = [[0.1, 0, 3e-17, 7, 1e16, -2.5], [0.2, 0, 1, -7, 1, 0.3], [0.3, 0, -1, 1e-300, -1e16, 0.7]]
        let graphs = values.map { _ in Graph() }
        let tensors = zip(values, graphs).map { values, graph in
            let m = tensor(shape: [2, 3], values: values, in: graph)
            let weights = tensor(shape: [2, 3], values: [1, -1, 1, 1, 1, 1], in: graph)
            (m * weights * m).sum().backward()  // ∂/∂mᵢ = 2wᵢmᵢ
            return m
        }
        for gathered in [false, true] {
            let sources = gathered ? tensors.map { $0.transposed() } : tensors
            var expected = [Double](repeating: 0, count: 6)
            for source in sources { source.addGradients(to: &expected) }
            for split in 0...6 {
                var buffer = [Double](repeating: .nan, count: 6)
                buffer.withUnsafeMutableBufferPointer { buffer in
                    sumGradients(of: sources, into: buffer, elements: split..<6)
                    sumGradients(of: sources, into: buffer, elements: 0..<split)
                }
                #expect(buffer.map(\.bitPattern) == expected.map(\.bitPattern), "gathered: \(gathered), split at \(split)")
            }
        }
        var empty = [Double](repeating: .nan, count: 3)
        empty.withUnsafeMutableBufferPointer { sumGradients(of: [], into: $0, elements: 0..<3) }
        #expect(empty == [0, 0, 0])
    }
}

// MARK: - Failures

@Suite("TensorGrad misuse stops the process")
struct TensorGradFailureTests {
    @Test("Elementwise operators on mismatched shapes stop with a message")
    func elementwiseShapeMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            _ = tensor([1, 2], in: graph) + tensor([1, 2, 3], in: graph)
        }
        expectMessage(result, contains: "Shapes must match")
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = tensor([[1, 2], [3, 4]], in: graph) * tensor([1, 2, 3, 4], in: graph)
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = tensor([1, 2], in: graph) - tensor([1, 2, 3], in: graph)
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = tensor([1, 2], in: graph) / tensor([[1, 2]], in: graph)
        }
    }

    @Test("matmul, dot and linear with mismatched shapes stop")
    func linearAlgebraShapeMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            _ = matmul(tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], in: graph),
                       tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], in: graph))
        }
        expectMessage(result, contains: "inner sizes")
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = dot(tensor([1, 2], in: graph), tensor([1, 2, 3], in: graph))
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = matmul(tensor([1, 2], in: graph), tensor([1, 2], in: graph))
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = linear(tensor([1, 2], in: graph), weight: tensor([[1, 2, 3]], in: graph))
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = linear(tensor([1, 2], in: graph), weight: tensor([[1, 2]], in: graph), bias: tensor([1, 2], in: graph))
        }
    }

    @Test("Bad shapes, ragged rows, bad indices and bad axes stop")
    func badShapesAndIndices() async {
        await #expect(processExitsWith: .failure) {
            _ = tensor(shape: [2, 2], values: [1, 2, 3], in: Graph())
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([[1, 2], [3]], in: Graph())
        }
        await #expect(processExitsWith: .failure) {
            // Planes of shapes [2, 2] and [1, 4]: as many values as [2, 2, 2] holds, but not one shape.
            let planes: [[[Double]]] = [[[1, 2], [3, 4]], [[1, 2, 3, 4]]]
            _ = tensor(planes, in: Graph())
        }
        await #expect(processExitsWith: .failure) {
            let blocks: [[[[Double]]]] = [[[[1, 2], [3, 4]]], [[[1, 2, 3, 4]]]]
            _ = tensor(blocks, in: Graph())
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([1, 2, 3, 4, 5, 6], in: Graph()).reshaped([4, 2])
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            _ = TensorGrad.stacked([tensor([1, 2], in: graph), tensor([1, 2, 3], in: graph)])
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([[1, 2], [3, 4]], in: Graph())[2]
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([[1, 2], [3, 4]], in: Graph())[0, 2]
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([[1, 2], [3, 4]], in: Graph()).sum(axis: 2)
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([[1, 2], [3, 4]], in: Graph()).sum(axis: -3)
        }
        await #expect(processExitsWith: .failure) {
            _ = tensor([1, 2], in: Graph()).scalar
        }
    }

    @Test("Combining tensors of two graphs stops with a message")
    func mixingGraphs() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = tensor([1, 2], in: Graph()) + tensor([1, 2], in: Graph())
        }
        expectMessage(result, contains: "same graph")
        await #expect(processExitsWith: .failure) {
            _ = tensor([1, 2], in: Graph()) * scalar(2, in: Graph())
        }
        await #expect(processExitsWith: .failure) {
            _ = matmul(tensor([[1, 2]], in: Graph()), tensor([[1], [2]], in: Graph()))
        }
    }

    @Test("Using a tensor after its graph was reset stops with a message")
    func staleTensor() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            let t = tensor([1, 2], in: graph)
            graph.reset()
            _ = t.values
        }
        expectMessage(result, contains: "earlier pass")
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let t = tensor([1, 2], in: graph)
            graph.reset()
            _ = t + tensor([3, 4], in: graph)
        }
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let t = tensor([1, 2], in: graph)
            graph.reset()
            _ = t.sum()
        }
    }
}
