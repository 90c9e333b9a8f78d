import AutogradKernels
import Foundation

extension Operation {
    /// The value of a unary or binary operation: the forward rule. `y` is ignored by unary ones.
    @inline(__always)
    func apply(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .add: x + y
        case .multiply: x * y
        case .power: Foundation.pow(x, y)
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .tanh: Foundation.tanh(x)
        case .relu: x > 0 ? x : 0
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        case .leaf, .sum, .maximum, .stridedDot, .gatheredDot, .convolutionDot:
            preconditionFailure("\(self) is not a unary or binary operation.")
        }
    }
}

extension Graph {
    /// Appends a leaf holding `value`.
    @inline(__always)
    func appendLeaf(_ value: Double) -> Int32 {
        tape.pointee.append(.leaf, value: value)
    }

    /// Appends a unary (`second == -1`) or binary operation on existing nodes.
    @inline(__always)
    func append(_ operation: Operation, _ first: Int32, _ second: Int32 = -1) -> Int32 {
        let values = tape.pointee.values.base
        let x = values[Int(first)]
        let y = second >= 0 ? values[Int(second)] : 0
        return tape.pointee.append(operation, value: operation.apply(x, y), first: first, second: second)
    }

    /// Appends `Σᵢ xᵢ` over `nodes` (`.sum`) or `max over i of xᵢ` (`.maximum`).
    func appendReduction(_ operation: Operation, count: Int, node: (Int) -> Int32) -> Int32 {
        precondition(count > 0, "A \(operation.symbol) needs at least one input.")
        let start = tape.pointee.allocateOperands(count)
        let operands = tape.pointee.operands.base + start
        let values = tape.pointee.values.base
        var result = operation == .sum ? 0.0 : -Double.infinity
        for position in 0..<count {
            let input = node(position)
            operands[position] = input
            let value = values[Int(input)]
            if operation == .sum {
                result += value
            } else if value > result || (position == 0) {
                result = value
            }
        }
        return tape.pointee.append(operation, value: result, first: Int32(start), second: Int32(count))
    }

    /// Appends `bias + Σᵢ value[first + i·firstStride] · value[second + i·secondStride]`.
    @inline(__always)
    func appendStridedDot(first: Int32, firstStride: Int32, second: Int32, secondStride: Int32,
                          count: Int32, bias: Int32) -> Int32 {
        let values = tape.pointee.values.base
        var sum = 0.0
        var a = Int(first), b = Int(second)
        let aStride = Int(firstStride), bStride = Int(secondStride)
        for _ in 0..<Int(count) {
            sum += values[a] * values[b]
            a += aStride
            b += bStride
        }
        if bias >= 0 { sum += values[Int(bias)] }
        let record = tape.pointee.appendDot(StridedDot(first: first, firstStride: firstStride, second: second,
                                                       secondStride: secondStride, count: count, bias: bias))
        return tape.pointee.append(.stridedDot, value: sum, first: record)
    }

    /// Appends `bias + Σᵢ aᵢ·bᵢ` for the `count` pairs that `pair(i)` gives; `bias` is -1 for none.
    @inline(__always)
    func appendGatheredDot(count: Int, bias: Int32, pair: (Int) -> (Int32, Int32)) -> Int32 {
        appendGatheredDot(capacity: count, bias: bias) { pairs in
            for position in 0..<count {
                let (a, b) = pair(position)
                pairs[2 * position] = a
                pairs[2 * position + 1] = b
            }
            return count
        }
    }

    /// Appends `bias + Σᵢ aᵢ·bᵢ` for the pairs that `fill` writes (`a₀, b₀, a₁, b₁, …`, at most
    /// `capacity` pairs) and counts in its return value; `bias` is -1 for none.
    @inline(__always)
    func appendGatheredDot(capacity: Int, bias: Int32, fill: (UnsafeMutablePointer<Int32>) -> Int) -> Int32 {
        let start = tape.pointee.allocateOperands(1 + 2 * capacity)
        let operands = tape.pointee.operands.base + start
        operands[0] = bias
        let count = fill(operands + 1)
        precondition(count <= capacity, "A gathered dot wrote \(count) pairs into room for \(capacity).")
        tape.pointee.operandCount = start + 1 + 2 * count
        let values = tape.pointee.values.base
        var sum = 0.0
        for pair in 0..<count {
            sum += values[Int(operands[1 + 2 * pair])] * values[Int(operands[2 + 2 * pair])]
        }
        if bias >= 0 { sum += values[Int(bias)] }
        return tape.pointee.append(.gatheredDot, value: sum, first: Int32(start), second: Int32(count))
    }

    /// Appends the dot product of a convolution kernel with one window of its input:
    /// `bias + Σ_{c, r, v} weight[c, r, v] · input[c, r, v]` over the window's overlap.
    @inline(__always)
    func appendConvolutionDot(_ window: ConvolutionWindow) -> Int32 {
        let values = tape.pointee.values.base
        var sum = 0.0
        var weightPlane = values + Int(window.weight), inputPlane = values + Int(window.input)
        for _ in 0..<Int(window.channels) {
            var weightRow = weightPlane, inputRow = inputPlane
            for _ in 0..<Int(window.rows) {
                for v in 0..<Int(window.columns) { sum += weightRow[v] * inputRow[v] }
                weightRow += Int(window.weightRowStride)
                inputRow += Int(window.inputRowStride)
            }
            weightPlane += Int(window.weightPlaneStride)
            inputPlane += Int(window.inputPlaneStride)
        }
        if window.bias >= 0 { sum += values[Int(window.bias)] }
        let record = tape.pointee.appendWindow(window)
        return tape.pointee.append(.convolutionDot, value: sum, first: record)
    }
}

// MARK: - Kernel spans

extension Graph {
    /// Appends the `batch × outputs` nodes `y[n, o] = b[o] + Σᵢ x[n, i]·W[o, i]` (node `n·outputs + o`)
    /// as one linear span, each node a strided dot; `bias` is the first bias node or -1. The ranges of
    /// `input`, `weight` and `bias` must not overlap. Returns the first node.
    func appendLinearSpan(input: Int32, weight: Int32, bias: Int32, batch: Int, inputs: Int, outputs: Int) -> Int32 {
        let count = batch * outputs
        var span = KernelSpan(kind: .linear, differentiatesInput: !tape.pointee.isConstant(input..<(input + Int32(batch * inputs))),
                              firstNode: 0, nodeCount: Int32(count), input: input, weight: weight, bias: bias,
                              batch: Int32(batch), channels: Int32(inputs), height: 1, width: 1,
                              outputs: Int32(outputs), kernel: 1, padding: 0)
        return appendSpan(&span) { values, output in
            baifs_linear_forward(values + Int(input), values + Int(weight), bias >= 0 ? values + Int(bias) : nil,
                                 output, batch, inputs, outputs)
            return true
        }
    }

    /// Appends a stride-1 convolution as one span, node `((n·outputs + o)·OH + r)·OW + j` (see
    /// `conv2d`), or returns nil (appending nothing) when the kernel declines (non-finite weights).
    func appendConvolutionSpan(input: Int32, weight: Int32, bias: Int32, batch: Int, channels: Int, height: Int,
                               width: Int, outputs: Int, kernel: Int, padding: Int) -> Int32? {
        var span = KernelSpan(kind: .convolution,
                              differentiatesInput: !tape.pointee.isConstant(input..<(input + Int32(batch * channels * height * width))),
                              firstNode: 0, nodeCount: 0, input: input, weight: weight, bias: bias,
                              batch: Int32(batch), channels: Int32(channels), height: Int32(height), width: Int32(width),
                              outputs: Int32(outputs), kernel: Int32(kernel), padding: Int32(padding))
        span.nodeCount = Int32(batch * outputs * span.outputHeight * span.outputWidth)
        let first = appendSpan(&span) { values, output in
            baifs_conv_forward(values + Int(input), values + Int(weight), bias >= 0 ? values + Int(bias) : nil, output,
                               batch, channels, height, width, outputs, kernel, padding) != 0
        }
        return first >= 0 ? first : nil
    }

    /// Appends `count` nodes applying `operation` (`.relu`, `.tanh`, or `.add` with `second` ≥ 0) to
    /// consecutive inputs from `first` (and `second`), as one elementwise span. The inputs of an add
    /// are one range or two that do not overlap. Returns the first node.
    func appendElementwiseSpan(_ operation: Operation, _ first: Int32, _ second: Int32, count: Int) -> Int32 {
        tape.pointee.reserveNodes(count)
        let start = tape.pointee.count
        let values = tape.pointee.values.base
        let (x, output) = (values + Int(first), values + start)
        switch operation {
        case .relu: baifs_relu_forward(x, output, count)
        case .tanh: for i in 0..<count { output[i] = Foundation.tanh(x[i]) }
        case .add: baifs_add_forward(x, values + Int(second), output, count)
        default: preconditionFailure("\(operation) has no elementwise span.")
        }
        (tape.pointee.gradients.base + start).update(repeating: 0, count: count)
        let span = KernelSpan(kind: .elementwise, operation: operation, differentiatesInput: true,
                              firstNode: Int32(start), nodeCount: Int32(count), input: first,
                              weight: second, bias: -1, batch: 0, channels: 0, height: 0, width: 0,
                              outputs: 0, kernel: 0, padding: 0)
        if !tape.pointee.repeatsPreviousPass(span) {
            (tape.pointee.operations.base + start).update(repeating: operation, count: count)
            let firstInputs = tape.pointee.firstInputs.base + start, secondInputs = tape.pointee.secondInputs.base + start
            for i in 0..<count {
                firstInputs[i] = first + Int32(i)
                secondInputs[i] = second >= 0 ? second + Int32(i) : -1
            }
        }
        _ = tape.pointee.appendSpan(span)
        tape.pointee.count = start + count
        return Int32(start)
    }

    /// Reserves the span's nodes, lets `compute` write their values, and records the span; -1 if
    /// `compute` declines.
    private func appendSpan(_ span: inout KernelSpan,
                            compute: (_ values: UnsafeMutablePointer<Double>, _ output: UnsafeMutablePointer<Double>) -> Bool) -> Int32 {
        let count = Int(span.nodeCount)
        tape.pointee.reserveNodes(count)
        let start = tape.pointee.count
        let values = tape.pointee.values.base
        guard compute(values, values + start) else { return -1 }
        span.firstNode = Int32(start)
        if tape.pointee.repeatsPreviousPass(span) {
            (tape.pointee.gradients.base + start).update(repeating: 0, count: count)
            _ = tape.pointee.appendSpan(span)
        } else {
            let index = tape.pointee.appendSpan(span)
            tape.pointee.fillColumns(start, count, operation: span.kind == .linear ? .stridedDot : .convolutionDot,
                                     first: Int32(-2 - index))
        }
        tape.pointee.count = start + count
        return Int32(start)
    }
}
