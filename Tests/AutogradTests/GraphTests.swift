@testable import Autograd
import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

// MARK: - A program to run again and again

/// The inputs of `smallNetwork`: a batch, two layers' weights and a bias.
let networkInputs = [
    TensorInput([4, 3], seed: 60),
    TensorInput([5, 3], seed: 61),
    TensorInput([5], seed: 62),
    TensorInput([2, 5], seed: 63),
]

/// A two-layer network with a loss that uses most operations: linear, matmul on a transpose, tanh,
/// sigmoid, pow, log, exp, relu, sum, mean and max along axes.
func smallNetwork(_ t: [TensorGrad]) -> ScalarGrad {
    let (x, w1, b1, w2) = (t[0], t[1], t[2], t[3])
    let hidden = linear(x, weight: w1, bias: b1).tanh()                     // [4, 5]
    let output = matmul(hidden, w2.transposed()).sigmoid()                  // [4, 2]
    let target = tensor(shape: [4, 2], values: [0, 1, 1, 0, 0.5, 0.5, 1, 1], in: x.graph)
    let squaredError = (output - target).pow(2).mean()
    let penalty = (hidden * hidden + 1).log().mean(axis: -1).sum() * 0.1
    let peaks = output.max(axis: 0).sum() + (x.relu() * 0.5).exp().max()
    return squaredError + penalty - peaks / 4
}

/// Runs `smallNetwork` on `graph` (after a reset) and returns the bit patterns of the loss, the
/// values of every node, and the gradients of the inputs.
func runSmallNetwork(in graph: Graph) -> [UInt64] {
    graph.reset()
    let inputs = makeTensors(networkInputs, values: networkInputs.flatMap(\.values), in: graph)
    let loss = smallNetwork(inputs)
    loss.backward()
    let everyValue = (0..<graph.nodeCount).map { graph.tape.pointee.values.base[$0] }
    return bitPatterns([loss.value] + everyValue + inputs.flatMap(\.gradients))
}

// MARK: - Graph

@Suite("Graph")
struct GraphTests {
    @Test("nodeCount counts one node per leaf, per operation and per fused reduction or dot")
    func nodeCount() {
        let graph = Graph()
        #expect(graph.nodeCount == 0)
        let a = scalar(1, in: graph), b = scalar(2, in: graph)
        #expect(graph.nodeCount == 2)
        _ = a + b
        #expect(graph.nodeCount == 3)
        _ = a + 2.0  // a constant leaf and an add
        #expect(graph.nodeCount == 5)
        let m = tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6], in: graph)
        #expect(graph.nodeCount == 11)
        _ = m + m
        #expect(graph.nodeCount == 17)
        _ = matmul(m, m.transposed())  // one dot node per output element
        #expect(graph.nodeCount == 21)
        _ = m.sum()
        #expect(graph.nodeCount == 22)
    }

    @Test("reset empties the graph and advances the generation")
    func resetEmptiesTheGraph() {
        let graph = Graph()
        _ = tensor([1, 2, 3], in: graph).tanh().sum()  // 3 leaves, 3 tanh, 1 sum
        #expect(graph.nodeCount == 7)
        let generation = graph.generation
        graph.reset()
        #expect(graph.nodeCount == 0)
        #expect(graph.scalarOperationCount == 0)
        #expect(graph.generation == generation + 1)
        graph.reset()
        #expect(graph.generation == generation + 2)
        let x = scalar(4, in: graph)
        #expect(x.index == 0)
        #expect(x.value == 4)
    }

    @Test("After reset the same memory is reused and a second identical pass gives identical results")
    func resetReusesMemory() {
        let graph = Graph()
        // Grow the tape well past its initial capacity first.
        _ = tensor(shape: [100, 100], values: [Double](repeating: 0.5, count: 10_000), in: graph).exp().sum()
        let first = runSmallNetwork(in: graph)
        let tape = graph.tape.pointee
        let buffers = (tape.values.base, tape.gradients.base, tape.operations.base, tape.operands.base, tape.dots.base)
        let capacity = tape.values.capacity
        let generation = graph.generation
        let second = runSmallNetwork(in: graph)
        let after = graph.tape.pointee
        #expect(graph.generation == generation + 1)
        #expect(after.values.base == buffers.0 && after.gradients.base == buffers.1)
        #expect(after.operations.base == buffers.2 && after.operands.base == buffers.3 && after.dots.base == buffers.4)
        #expect(after.values.capacity == capacity)
        #expect(second == first)
    }

    @Test("The same program twice gives bit-identical values and gradients")
    func determinism() {
        let first = runSmallNetwork(in: Graph())
        let second = runSmallNetwork(in: Graph())
        #expect(first.count > 100)
        #expect(first == second)
        // A graph that held other nodes before gives the same bits too.
        let used = Graph()
        _ = tensor([1, 2, 3], in: used).sigmoid().max()
        #expect(runSmallNetwork(in: used) == first)
    }

    @Test("The program's gradients are right: finite differences agree")
    func smallNetworkGradients() {
        expectTensorGradientsMatchFiniteDifferences(networkInputs, relative: 1e-6, absolute: 1e-9, smallNetwork)
    }

    @Test("scalarOperationCount counts nodes as micrograd would build them")
    func scalarOperationCount() {
        let graph = Graph()
        let x = tensor([1, 2, 3], in: graph)                                    // 3 leaves
        let w = tensor(shape: [2, 3], values: [1, 0, -1, 2, 1, 0], in: graph)   // 6 leaves
        let b = tensor([0.5, -0.5], in: graph)                                  // 2 leaves
        let y = linear(x, weight: w, bias: b)  // 2 × (3 products + 2 sums + 1 bias add) = 12
        _ = y.sum()                            // 1 add of the 2 outputs
        #expect(graph.nodeCount == 3 + 6 + 2 + 2 + 1)
        #expect(graph.scalarOperationCount == 3 + 6 + 2 + 12 + 1)

        graph.reset()
        let a = scalar(1, in: graph), c = scalar(2, in: graph)
        _ = dot([a, c, a], [c, c, a])          // 2 leaves, then 3 products + 2 sums
        _ = (a * 3).tanh()                     // a constant leaf, a product, a tanh
        _ = tensor([1, 2, 3, 4], in: graph).max()  // 4 leaves, then 3 comparisons
        #expect(graph.scalarOperationCount == 2 + 5 + 3 + 4 + 3)
    }

    @Test("bind gives one set of leaves per object and pass, and boundTensor gives back their gradients")
    func binding() {
        final class Parameter {}
        let graph = Graph()
        let p = Parameter(), q = Parameter()
        let first = graph.bind(p, shape: [2], values: [1, 2])
        let count = graph.nodeCount
        let again = graph.bind(p, shape: [2], values: [9, 9])
        #expect(graph.nodeCount == count)
        #expect(again.values == [1, 2])
        #expect(graph.boundTensor(for: q) == nil)
        let other = graph.bind(q, shape: [1, 2], values: [3, 4])
        #expect(other.shape == [1, 2] && other.values == [3, 4])
        (dot(first, again) + matmul(other, first).sum()).backward()  // Σ pᵢ² + Σ qᵢ·pᵢ
        #expect(graph.boundTensor(for: p)?.gradients == [2 * 1 + 3, 2 * 2 + 4])
        #expect(graph.boundTensor(for: q)?.gradients == [1, 2])
        graph.reset()
        #expect(graph.boundTensor(for: p) == nil)
        #expect(graph.bind(p, shape: [2], values: [5, 6]).values == [5, 6])
    }

    @Test("Binding one object twice in a pass with different shapes stops")
    func bindingWithAnotherShape() async {
        await #expect(processExitsWith: .failure) {
            final class Parameter {}
            let graph = Graph()
            let p = Parameter()
            _ = graph.bind(p, shape: [2], values: [1, 2])
            _ = graph.bind(p, shape: [1, 2], values: [1, 2])
        }
    }
}

// MARK: - Threads

/// Collects results from several threads.
final class Collector<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []
    func append(_ element: Element) { lock.withLock { elements.append(element) } }
    var all: [Element] { lock.withLock { elements } }
}

@Suite("Graphs on several threads")
struct GraphThreadTests {
    @Test("Threads that each build and differentiate their own graph at once all get the same gradients")
    func concurrentGraphs() {
        let reference = runSmallNetwork(in: Graph())
        let results = Mutex<[[UInt64]]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let graph = Graph()
            var bits: [UInt64] = []
            for _ in 0..<5 {  // Several passes, so that the threads overlap.
                let pass = runSmallNetwork(in: graph)
                if !bits.isEmpty && pass != bits { bits = []; break }
                bits = pass
            }
            results.withLock { $0.append(bits) }
        }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        for bits in all { #expect(bits == reference) }
    }

    @Test("Each thread has its own Graph.current, used by scalar(_:) and tensor(_:) by default")
    func currentGraphPerThread() {
        let graphs = Collector<Graph>()
        let failures = Collector<String>()
        let group = DispatchGroup()
        for thread in 0..<4 {
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                let graph = Graph.current
                graphs.append(graph)  // Kept alive, so that no two can share an address.
                if Graph.current !== graph { failures.append("Graph.current changed on thread \(thread)") }
                let x = scalar(Double(thread)), v = tensor([1, 2])
                if x.graph !== graph || v.graph !== graph { failures.append("thread \(thread) used another graph") }
                let y = (x * x + v.sum()).tanh()
                y.backward()
                let expected = 2 * Double(thread) * (1 - Foundation.pow(Foundation.tanh(Double(thread * thread) + 3), 2))
                if !isApproximatelyEqual(x.grad, expected, relative: 1e-12) {
                    failures.append("thread \(thread): gradient \(x.grad), expected \(expected)")
                }
            }
            worker.start()
        }
        group.wait()
        #expect(failures.all.isEmpty, "\(failures.all)")
        let identities = Set(graphs.all.map(ObjectIdentifier.init))
        #expect(graphs.all.count == 4)
        #expect(identities.count == 4)
    }
}

// MARK: - Deep graphs

@Suite("Deep graphs")
struct DeepGraphTests {
    @Test("A chain of a million nodes differentiates without overflowing the stack")
    func millionNodeChain() {
        let graph = Graph()
        let x = scalar(1.5, in: graph)
        let steps = 250_000
        var y = x
        for _ in 0..<steps { y = y * 1.0000001 + 0.0 }  // 4 nodes a step: 2 constants, a product, a sum
        #expect(graph.nodeCount == 1 + 4 * steps)
        y.backward()
        // y = 1.5·cⁿ, so dy/dx = cⁿ.
        let expected = Foundation.pow(1.0000001, Double(steps))
        #expect(isApproximatelyEqual(x.grad, expected, relative: 1e-9), "got \(x.grad), expected \(expected)")
        #expect(isApproximatelyEqual(y.value, 1.5 * expected, relative: 1e-9))
    }

    @Test("A chain of a million tanh nodes has the product of the local derivatives as its gradient")
    func millionTanhChain() {
        let graph = Graph()
        let x = scalar(0.8, in: graph)
        let steps = 1_000_000
        var y = x
        var value = 0.8, expected = 1.0
        for _ in 0..<steps {
            y = y.tanh()
            let cosh = Foundation.cosh(value)
            expected /= cosh * cosh
            value = Foundation.tanh(value)
        }
        #expect(graph.nodeCount == 1 + steps)
        y.backward()
        #expect(y.value == value)
        #expect(isApproximatelyEqual(x.grad, expected, relative: 1e-8), "got \(x.grad), expected \(expected)")
    }
}
