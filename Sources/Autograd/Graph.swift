#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dynamic computation graph: the tape that every operation on `ScalarGrad` and `TensorGrad`
/// appends to, and that `backward()` walks in reverse.
///
/// A forward pass builds a fresh graph: call `reset()` between passes and the tape's memory is
/// reused, so training does not allocate per step. A graph belongs to one thread at a time; to
/// work on several threads, give each its own graph (`Graph.current` is per thread).
public final class Graph {
    /// The columns of the tape, behind a pointer so that hot loops skip exclusivity checks.
    let tape: UnsafeMutablePointer<Tape>
    /// Leaves bound to long-lived objects (module parameters) during this pass, by object.
    private var bindings: [ObjectIdentifier: (start: Int32, shape: [Int])] = [:]

    /// Creates an empty graph.
    public init() {
        tape = .allocate(capacity: 1)
        tape.initialize(to: Tape())
    }

    deinit {
        tape.pointee.deallocate()
        tape.deinitialize(count: 1)
        tape.deallocate()
    }

    /// The number of nodes recorded since the last reset.
    public var nodeCount: Int { tape.pointee.count }

    /// Counts resets; a `ScalarGrad` or `TensorGrad` made in an earlier generation is stale.
    public var generation: UInt32 { tape.pointee.generation }

    /// Forgets every node so that the next forward pass starts a fresh graph in the same memory.
    /// Values made before the reset must not be used afterwards.
    public func reset() {
        tape.pointee.reset()
        bindings.removeAll(keepingCapacity: true)
    }

    /// Sets the gradient of every node to zero.
    public func zeroGradients() {
        tape.pointee.gradients.base.update(repeating: 0, count: tape.pointee.count)
        tape.pointee.gradientsAreZero = true
    }

    /// Returns leaf nodes holding `values` for `object` (a module parameter, say), creating them on
    /// the first request of this pass and returning the same nodes afterwards. After `backward()`,
    /// `boundTensor(for:)` gives back those nodes and so the gradient of the object's values.
    public func bind(_ object: AnyObject, shape: [Int], values: [Double]) -> TensorGrad {
        if let existing = boundTensor(for: object) {
            precondition(existing.shape == shape, "An object was bound twice in one pass with different shapes: \(existing.shape) and \(shape).")
            return existing
        }
        let tensor = tensor(shape: shape, values: values, in: self)
        bindings[ObjectIdentifier(object)] = (tensor.firstNode, shape)
        return tensor
    }

    /// The leaves bound to `object` in this pass, if any.
    public func boundTensor(for object: AnyObject) -> TensorGrad? {
        guard let binding = bindings[ObjectIdentifier(object)] else { return nil }
        return TensorGrad(graph: self, shape: binding.shape, layout: .contiguous(start: binding.start))
    }

    /// Checks that `generation` is this graph's current one, with a message for stale values.
    @inline(__always)
    func checkGeneration(_ generation: UInt32) {
        precondition(generation == tape.pointee.generation,
                     "A value from an earlier pass was used after its graph was reset; build it again in this pass.")
    }
}

// MARK: - The graph of the current thread

extension Graph {
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<Graph>.fromOpaque(pointer).release()
        }
        precondition(status == 0, "Could not create the thread-local key for Graph.current (pthread error \(status)).")
        return key
    }()

    /// The graph that `scalar(_:)` and `tensor(_:)` use when no graph is given: one per thread,
    /// created on first use.
    public static var current: Graph {
        if let pointer = pthread_getspecific(currentKey) {
            return Unmanaged<Graph>.fromOpaque(pointer).takeUnretainedValue()
        }
        let graph = Graph()
        pthread_setspecific(currentKey, Unmanaged.passRetained(graph).toOpaque())
        return graph
    }
}
