import Autograd
import Foundation
import TestSupport
import Testing

// A property test: random expression graphs with reused nodes, each evaluated twice — on the engine,
// and by a plain-Double interpreter that knows nothing of the engine — with every leaf's gradient
// checked against central finite differences of the plain-Double interpreter.

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator, local to the tests.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// A uniform integer in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// One step of a random expression: a new node computed from earlier nodes (by position in the program).
enum Instruction: CustomStringConvertible {
    case add(Int, Int), subtract(Int, Int), multiply(Int, Int)
    /// `a / (b² + 1)`: a division whose divisor stays away from 0.
    case divide(Int, Int)
    case addConstant(Int, Double), subtractFromConstant(Double, Int)
    case multiplyByConstant(Int, Double), constantTimes(Double, Int), divideByConstant(Int, Double)
    /// `c / (a² + 1)`.
    case constantOver(Double, Int)
    case negate(Int), exp(Int), tanh(Int), sigmoid(Int), relu(Int)
    /// `log(a² + 1)`.
    case logOfSquarePlusOne(Int)
    /// `(a² + 0.5)^p`: a power of a positive base.
    case powerOfPositive(Int, Double)
    /// `a^p` for an integer `p`, defined for every sign of `a`.
    case integerPower(Int, Double)
    case sum([Int])
    case dot([Int], [Int])

    var description: String {
        switch self {
        case .add(let a, let b): "n\(a) + n\(b)"
        case .subtract(let a, let b): "n\(a) - n\(b)"
        case .multiply(let a, let b): "n\(a) * n\(b)"
        case .divide(let a, let b): "n\(a) / (n\(b)² + 1)"
        case .addConstant(let a, let c): "n\(a) + \(c)"
        case .subtractFromConstant(let c, let a): "\(c) - n\(a)"
        case .multiplyByConstant(let a, let c): "n\(a) * \(c)"
        case .constantTimes(let c, let a): "\(c) * n\(a)"
        case .divideByConstant(let a, let c): "n\(a) / \(c)"
        case .constantOver(let c, let a): "\(c) / (n\(a)² + 1)"
        case .negate(let a): "-n\(a)"
        case .exp(let a): "exp(n\(a))"
        case .tanh(let a): "tanh(n\(a))"
        case .sigmoid(let a): "sigmoid(n\(a))"
        case .relu(let a): "relu(n\(a))"
        case .logOfSquarePlusOne(let a): "log(n\(a)² + 1)"
        case .powerOfPositive(let a, let p): "(n\(a)² + 0.5)^\(p)"
        case .integerPower(let a, let p): "n\(a)^\(p)"
        case .sum(let terms): "sum(\(terms.map { "n\($0)" }))"
        case .dot(let a, let b): "dot(\(a.map { "n\($0)" }), \(b.map { "n\($0)" }))"
        }
    }

    /// The engine's node for this instruction, from the nodes made so far.
    func apply(_ nodes: [ScalarGrad]) -> ScalarGrad {
        switch self {
        case .add(let a, let b): nodes[a] + nodes[b]
        case .subtract(let a, let b): nodes[a] - nodes[b]
        case .multiply(let a, let b): nodes[a] * nodes[b]
        case .divide(let a, let b): nodes[a] / (nodes[b] * nodes[b] + 1)
        case .addConstant(let a, let c): nodes[a] + c
        case .subtractFromConstant(let c, let a): c - nodes[a]
        case .multiplyByConstant(let a, let c): nodes[a] * c
        case .constantTimes(let c, let a): c * nodes[a]
        case .divideByConstant(let a, let c): nodes[a] / c
        case .constantOver(let c, let a): c / (nodes[a] * nodes[a] + 1)
        case .negate(let a): -nodes[a]
        case .exp(let a): nodes[a].exp()
        case .tanh(let a): nodes[a].tanh()
        case .sigmoid(let a): nodes[a].sigmoid()
        case .relu(let a): nodes[a].relu()
        case .logOfSquarePlusOne(let a): (nodes[a] * nodes[a] + 1).log()
        case .powerOfPositive(let a, let p): (nodes[a] * nodes[a] + 0.5).pow(p)
        case .integerPower(let a, let p): nodes[a].pow(p)
        case .sum(let terms): Autograd.sum(terms.map { nodes[$0] })
        case .dot(let a, let b): Autograd.dot(a.map { nodes[$0] }, b.map { nodes[$0] })
        }
    }

    /// The same instruction on plain doubles, written from the definitions.
    func apply(_ values: [Double]) -> Double {
        switch self {
        case .add(let a, let b): values[a] + values[b]
        case .subtract(let a, let b): values[a] - values[b]
        case .multiply(let a, let b): values[a] * values[b]
        case .divide(let a, let b): values[a] / (values[b] * values[b] + 1)
        case .addConstant(let a, let c): values[a] + c
        case .subtractFromConstant(let c, let a): c - values[a]
        case .multiplyByConstant(let a, let c): values[a] * c
        case .constantTimes(let c, let a): c * values[a]
        case .divideByConstant(let a, let c): values[a] / c
        case .constantOver(let c, let a): c / (values[a] * values[a] + 1)
        case .negate(let a): -values[a]
        case .exp(let a): Foundation.exp(values[a])
        case .tanh(let a): Foundation.tanh(values[a])
        case .sigmoid(let a): 1 / (1 + Foundation.exp(-values[a]))
        case .relu(let a): Swift.max(values[a], 0)
        case .logOfSquarePlusOne(let a): Foundation.log(values[a] * values[a] + 1)
        case .powerOfPositive(let a, let p): Foundation.pow(values[a] * values[a] + 0.5, p)
        case .integerPower(let a, let p): Foundation.pow(values[a], p)
        case .sum(let terms): terms.reduce(0) { $0 + values[$1] }
        case .dot(let a, let b): zip(a, b).reduce(0) { $0 + values[$1.0] * values[$1.1] }
        }
    }

    /// The nodes this instruction reads.
    var inputs: [Int] {
        switch self {
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b): [a, b]
        case .addConstant(let a, _), .subtractFromConstant(_, let a), .multiplyByConstant(let a, _),
             .constantTimes(_, let a), .divideByConstant(let a, _), .constantOver(_, let a), .negate(let a),
             .exp(let a), .tanh(let a), .sigmoid(let a), .relu(let a), .logOfSquarePlusOne(let a),
             .powerOfPositive(let a, _), .integerPower(let a, _):
            [a]
        case .sum(let terms): terms
        case .dot(let a, let b): a + b
        }
    }
}

/// A random expression: `leafCount` leaves (nodes `0..<leafCount`), then one node per instruction;
/// the root is the sum of every instruction node that no later instruction reads.
struct RandomExpression: CustomStringConvertible {
    var leaves: [Double]
    var instructions: [Instruction]
    var roots: [Int]

    var description: String {
        let lines = instructions.enumerated().map { "n\(leaves.count + $0) = \($1)" }
        return "leaves \(leaves); " + lines.joined(separator: "; ") + "; root = sum(\(roots.map { "n\($0)" }))"
    }

    /// Draws an expression whose every intermediate value stays within ±50 and whose every relu input
    /// is at least 0.1 away from the kink, so that finite differences with small steps are reliable.
    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        leaves = (0..<(1 + random.below(4))).map { _ in random.uniform(-2...2) }
        instructions = []
        var values = leaves
        let length = 3 + random.below(16)
        while instructions.count < length {
            let instruction = Self.draw(&random, nodeCount: values.count)
            let value = instruction.apply(values)
            guard value.isFinite, abs(value) <= 50 else { continue }
            if case .relu(let a) = instruction, abs(values[a]) < 0.1 { continue }
            instructions.append(instruction)
            values.append(value)
        }
        let used = Set(instructions.flatMap(\.inputs))
        roots = (leaves.count..<values.count).filter { !used.contains($0) }
    }

    /// An operand: often a recent node, otherwise any node (so leaves and old nodes are reused).
    private static func operand(_ random: inout SplitMix64, nodeCount: Int) -> Int {
        random.unit() < 0.5 ? nodeCount - 1 - random.below(Swift.min(3, nodeCount)) : random.below(nodeCount)
    }

    private static func draw(_ random: inout SplitMix64, nodeCount: Int) -> Instruction {
        let a = operand(&random, nodeCount: nodeCount)
        // One binary operation in five uses the same node twice (x·x, x + x, …).
        let b = random.unit() < 0.2 ? a : operand(&random, nodeCount: nodeCount)
        let constant = (random.unit() < 0.5 ? -1.0 : 1.0) * random.uniform(0.5...2)
        switch random.below(20) {
        case 0: return .add(a, b)
        case 1: return .subtract(a, b)
        case 2, 3: return .multiply(a, b)
        case 4: return .divide(a, b)
        case 5: return .addConstant(a, constant)
        case 6: return .subtractFromConstant(constant, a)
        case 7: return .multiplyByConstant(a, constant)
        case 8: return .constantTimes(constant, a)
        case 9: return .divideByConstant(a, constant)
        case 10: return .constantOver(constant, a)
        case 11: return .negate(a)
        case 12: return .exp(a)
        case 13: return .tanh(a)
        case 14: return .sigmoid(a)
        case 15: return .relu(a)
        case 16: return .logOfSquarePlusOne(a)
        case 17:
            return random.unit() < 0.5
                ? .powerOfPositive(a, [-2.5, -1, 0.5, 1.5, 3][random.below(5)])
                : .integerPower(a, [-1, 2, 3][random.below(3)])
        case 18: return .sum((0..<(1 + random.below(4))).map { _ in operand(&random, nodeCount: nodeCount) })
        default:
            let count = 1 + random.below(3)
            return .dot((0..<count).map { _ in operand(&random, nodeCount: nodeCount) },
                        (0..<count).map { _ in operand(&random, nodeCount: nodeCount) })
        }
    }

    /// The root's value on plain doubles.
    func value(at leafValues: [Double]) -> Double {
        var values = leafValues
        for instruction in instructions { values.append(instruction.apply(values)) }
        return roots.reduce(0) { $0 + values[$1] }
    }

    /// The root on the engine, built on `leaves`.
    func build(_ leaves: [ScalarGrad]) -> ScalarGrad {
        var nodes = leaves
        for instruction in instructions { nodes.append(instruction.apply(nodes)) }
        return Autograd.sum(roots.map { nodes[$0] })
    }
}

@Suite("Random expression graphs")
struct RandomExpressionTests {
    @Test("Every leaf's gradient matches finite differences on 300 random graphs with reused nodes",
          arguments: 0..<300)
    func gradientsMatchFiniteDifferences(seed: Int) {
        let expression = RandomExpression(seed: UInt64(seed))
        let (value, gradient) = engineGradient(at: expression.leaves, expression.build)
        let expectedValue = expression.value(at: expression.leaves)
        #expect(isApproximatelyEqual(value, expectedValue, relative: 1e-12, absolute: 1e-12),
                "value \(value), plain doubles \(expectedValue) for \(expression)")
        let numeric = finiteDifferenceGradient(at: expression.leaves, of: expression.value)
        for leaf in expression.leaves.indices {
            #expect(isApproximatelyEqual(gradient[leaf], numeric[leaf], relative: 1e-6, absolute: 1e-8),
                    "leaf \(leaf): engine \(gradient[leaf]), finite differences \(numeric[leaf]) for \(expression)")
        }
    }

    @Test("The random graphs reuse nodes and cover every kind of instruction")
    func generatorCoversWhatItShould() {
        var kinds = Set<String>()
        var expressionsWithReuse = 0
        for seed in 0..<300 {
            let expression = RandomExpression(seed: UInt64(seed))
            for instruction in expression.instructions {
                // The case name, such as "multiply".
                kinds.insert(Mirror(reflecting: instruction).children.first?.label ?? "?")
            }
            let reads = expression.instructions.flatMap(\.inputs)
            if Set(reads).count < reads.count { expressionsWithReuse += 1 }
        }
        #expect(kinds.count == 20, "instruction kinds drawn: \(kinds.sorted())")
        #expect(expressionsWithReuse >= 200, "\(expressionsWithReuse) of 300 expressions reuse a node")
    }
}
