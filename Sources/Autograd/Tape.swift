import Foundation

/// The inputs of a `.stridedDot` node: `bias + Σᵢ value[first + i·firstStride] · value[second + i·secondStride]`
/// for `i` in `0..<count`. `bias` is a node index, or -1 for none.
struct StridedDot: BitwiseCopyable {
    var first: Int32
    var firstStride: Int32
    var second: Int32
    var secondStride: Int32
    var count: Int32
    var bias: Int32
}

/// The inputs of a `.convolutionDot` node: the part of a convolution kernel that overlaps one window
/// of its input (positions in the zero padding contribute nothing and are left out).
///
/// For channel `c`, row `r` and column `v` of the overlap, the pair is the weight at
/// `weight + c·weightPlaneStride + r·weightRowStride + v` and the input at
/// `input + c·inputPlaneStride + r·inputRowStride + v`. `bias` is a node index, or -1.
struct ConvolutionWindow: BitwiseCopyable {
    var weight: Int32
    var input: Int32
    var bias: Int32
    var channels: Int32
    var rows: Int32
    var columns: Int32
    var weightRowStride: Int32
    var inputRowStride: Int32
    var weightPlaneStride: Int32
    var inputPlaneStride: Int32

    /// The number of products in the dot.
    var termCount: Int { Int(channels) * Int(rows) * Int(columns) }
}

/// The nodes of one graph, in creation order, stored column by column (a struct of arrays).
///
/// Node `i` computes `operations[i]` from `firstInputs[i]` and `secondInputs[i]`; its result is
/// `values[i]` and, after a backward pass, `∂root/∂node` is `gradients[i]`. Nodes with a variable
/// number of inputs keep them in `operands`:
/// - `.sum`, `.maximum`: inputs are `operands[first ..< first + second]`.
/// - `.gatheredDot`: `operands[first]` is the bias node (or -1), then `second` pairs `aᵢ, bᵢ`.
/// - `.stridedDot`: `first` indexes `dots`.
/// - `.convolutionDot`: `first` indexes `windows`.
/// - either of those, with `first = -2 − s`: the node belongs to `spans[s]`, which holds the geometry
///   of all its nodes (see `dot(ofNode:)` and `window(ofNode:)`).
/// Creation order is a topological order, so the backward pass is one reverse loop.
struct Tape {
    var count = 0
    var values = GrowableBuffer<Double>(capacity: 1024)
    var gradients = GrowableBuffer<Double>(capacity: 1024)
    var operations = GrowableBuffer<Operation>(capacity: 1024)
    var firstInputs = GrowableBuffer<Int32>(capacity: 1024)
    var secondInputs = GrowableBuffer<Int32>(capacity: 1024)
    var operandCount = 0
    var operands = GrowableBuffer<Int32>(capacity: 1024)
    var dotCount = 0
    var dots = GrowableBuffer<StridedDot>(capacity: 64)
    var windowCount = 0
    var windows = GrowableBuffer<ConvolutionWindow>(capacity: 64)
    var spanCount = 0
    var spans = GrowableBuffer<KernelSpan>(capacity: 16)
    /// The spans of the pass before the last reset, still in `spans` from `spanCount` on.
    var previousSpanCount = 0
    /// Ranges `x ..< y` of leaves whose gradient is not computed (`constantTensor`), in node order.
    var constantCount = 0
    var constants = GrowableBuffer<SIMD2<Int32>>(capacity: 16)
    /// Counts resets, so that nodes of an earlier pass are recognised as stale.
    var generation: UInt32 = 0
    /// False once gradients may have been written since the nodes were appended (a backward pass,
    /// or a gradient set by hand): the next backward pass must clear them first.
    var gradientsAreZero = true

    /// Makes room for `extra` more nodes.
    @inline(__always)
    mutating func reserveNodes(_ extra: Int) {
        let required = count + extra
        precondition(required < Int(Int32.max), "A graph holds at most \(Int32.max) nodes; this one would need \(required).")
        if required > values.capacity {
            // New columns keep only the nodes so far: nothing of the previous pass is left to reuse.
            previousSpanCount = 0
            values.reserve(required, keeping: count)
            gradients.reserve(required, keeping: count)
            operations.reserve(required, keeping: count)
            firstInputs.reserve(required, keeping: count)
            secondInputs.reserve(required, keeping: count)
        }
    }

    /// Appends a node whose value has been computed by the caller. Capacity must be reserved.
    @inline(__always)
    mutating func appendReserved(_ operation: Operation, value: Double, first: Int32 = -1, second: Int32 = -1) -> Int32 {
        let index = count
        values.base[index] = value
        gradients.base[index] = 0
        operations.base[index] = operation
        firstInputs.base[index] = first
        secondInputs.base[index] = second
        count = index + 1
        return Int32(truncatingIfNeeded: index)
    }

    @inline(__always)
    mutating func append(_ operation: Operation, value: Double, first: Int32 = -1, second: Int32 = -1) -> Int32 {
        reserveNodes(1)
        return appendReserved(operation, value: value, first: first, second: second)
    }

    /// Reserves `extra` operand slots and returns the index of the first.
    @inline(__always)
    mutating func allocateOperands(_ extra: Int) -> Int {
        let start = operandCount
        let required = start + extra
        precondition(required < Int(Int32.max), "A graph holds at most \(Int32.max) operands; this one would need \(required).")
        operands.reserve(required, keeping: start)
        operandCount = required
        return start
    }

    @inline(__always)
    mutating func appendDot(_ dot: StridedDot) -> Int32 {
        dots.reserve(dotCount + 1, keeping: dotCount)
        dots.base[dotCount] = dot
        dotCount += 1
        return Int32(truncatingIfNeeded: dotCount - 1)
    }

    @inline(__always)
    mutating func appendWindow(_ window: ConvolutionWindow) -> Int32 {
        windows.reserve(windowCount + 1, keeping: windowCount)
        windows.base[windowCount] = window
        windowCount += 1
        return Int32(truncatingIfNeeded: windowCount - 1)
    }

    /// Appends one leaf per value. Capacity must be reserved.
    mutating func appendLeavesReserved(_ source: UnsafeBufferPointer<Double>) -> Int32 {
        let start = count
        guard let base = source.baseAddress, !source.isEmpty else { return Int32(start) }
        (values.base + start).update(from: base, count: source.count)
        count = start + source.count
        guard source.count >= 64 else {
            fillColumns(start, source.count, operation: .leaf, first: -1)
            return Int32(start)
        }
        let span = KernelSpan(kind: .leaves, differentiatesInput: false, firstNode: Int32(start),
                              nodeCount: Int32(source.count), input: -1, weight: -1, bias: -1, batch: 0,
                              channels: 0, height: 0, width: 0, outputs: 0, kernel: 0, padding: 0)
        if repeatsPreviousPass(span) {
            (gradients.base + start).update(repeating: 0, count: source.count)
        } else {
            fillColumns(start, source.count, operation: .leaf, first: -1)
        }
        _ = appendSpan(span)
        return Int32(start)
    }

    /// Sets the gradient (0), operation and inputs (`first`, and -1) of nodes `start ..< start + count`.
    @inline(__always)
    mutating func fillColumns(_ start: Int, _ count: Int, operation: Operation, first: Int32) {
        (gradients.base + start).update(repeating: 0, count: count)
        (operations.base + start).update(repeating: operation, count: count)
        (firstInputs.base + start).update(repeating: first, count: count)
        (secondInputs.base + start).update(repeating: -1, count: count)
    }

    /// Whether the previous pass recorded the same span as the next one, `span`, at the same place,
    /// so that its nodes' operation and input columns are already what `span` would write: a
    /// training step repeats the last one's graph, and then only values and gradients are new.
    func repeatsPreviousPass(_ span: KernelSpan) -> Bool {
        guard spanCount < previousSpanCount else { return false }
        let old = spans.base[spanCount]
        return old.kind == span.kind && old.operation == span.operation && old.firstNode == span.firstNode
            && old.nodeCount == span.nodeCount && old.input == span.input && old.weight == span.weight
            && old.bias == span.bias && old.batch == span.batch && old.channels == span.channels
            && old.height == span.height && old.width == span.width && old.outputs == span.outputs
            && old.kernel == span.kernel && old.padding == span.padding
    }

    /// Records a span whose nodes the caller has written; returns its index.
    mutating func appendSpan(_ span: KernelSpan) -> Int {
        spans.reserve(spanCount + 1, keeping: spanCount)
        spans.base[spanCount] = span
        spanCount += 1
        return spanCount - 1
    }

    /// Marks leaves `range` as constants.
    mutating func appendConstants(_ range: Range<Int32>) {
        constants.reserve(constantCount + 1, keeping: constantCount)
        constants.base[constantCount] = SIMD2(range.lowerBound, range.upperBound)
        constantCount += 1
    }

    /// Whether every node of `range` is a constant leaf.
    func isConstant(_ range: Range<Int32>) -> Bool {
        for index in 0..<constantCount where constants.base[index].x <= range.lowerBound && range.upperBound <= constants.base[index].y {
            return true
        }
        return false
    }

    /// The inputs of `.stridedDot` node `node`, from its own record or from its span.
    @inline(__always)
    func dot(ofNode node: Int) -> StridedDot {
        let first = Int(firstInputs.base[node])
        if first >= 0 { return dots.base[first] }
        let span = spans.base[-2 - first]
        return span.dot(at: node - Int(span.firstNode))
    }

    /// The window of `.convolutionDot` node `node`, from its own record or from its span.
    @inline(__always)
    func window(ofNode node: Int) -> ConvolutionWindow {
        let first = Int(firstInputs.base[node])
        if first >= 0 { return windows.base[first] }
        let span = spans.base[-2 - first]
        return span.window(at: node - Int(span.firstNode))
    }

    /// Forgets every node but keeps the memory, so the next pass allocates nothing.
    mutating func reset() {
        count = 0
        operandCount = 0
        dotCount = 0
        windowCount = 0
        previousSpanCount = spanCount
        spanCount = 0
        constantCount = 0
        gradientsAreZero = true
        generation &+= 1
    }

    func deallocate() {
        values.deallocate()
        gradients.deallocate()
        operations.deallocate()
        firstInputs.deallocate()
        secondInputs.deallocate()
        operands.deallocate()
        dots.deallocate()
        windows.deallocate()
        spans.deallocate()
        constants.deallocate()
    }
}
