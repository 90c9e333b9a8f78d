import AutogradKernels
import Foundation

extension Graph {
    /// Fills `gradients[i] = ∂root/∂node i` for every node, by the chain rule in reverse creation order.
    ///
    /// Creation order is a topological order of the graph, so one loop from the root down to the first
    /// node visits every node after all the nodes that use it: no recursion, no sort, no set, and the
    /// same order of floating-point additions on every run. A node used several times receives the sum
    /// of its uses' contributions. Gradients from an earlier backward pass are replaced, not added to.
    /// The nodes of a kernel span are handed to its kernel together, which adds exactly what the
    /// loop would have added, in the same order. Constant leaves keep gradient 0.
    func backward(from root: Int32) {
        let tape = self.tape.pointee
        let gradients = tape.gradients.base

        // 1. Start from zero everywhere (nodes are appended with gradient 0), and ∂root/∂root = 1.
        if !tape.gradientsAreZero { gradients.update(repeating: 0, count: tape.count) }
        self.tape.pointee.gradientsAreZero = false
        gradients[Int(root)] = 1

        // 2. Walk back from the root; each node passes its gradient to its inputs by its local derivative.
        var spanIndex = tape.spanCount - 1
        while spanIndex >= 0 && Int(tape.spans.base[spanIndex].firstNode) > Int(root) { spanIndex -= 1 }
        var spanLast = spanIndex >= 0 ? tape.spans.base[spanIndex].lastNode : -1
        var node = Int(root)
        while node >= 0 {
            if node <= spanLast {
                // The root's span, or one reached from above: all its nodes at once.
                let span = tape.spans.base[spanIndex]
                backward(span, tape)
                node = Int(span.firstNode) - 1
                spanIndex -= 1
                spanLast = spanIndex >= 0 ? tape.spans.base[spanIndex].lastNode : -1
                continue
            }
            let gradient = gradients[node]
            // Nothing flows from a zero gradient (nodes off the root's paths, ReLUs that are off).
            if gradient != 0 { backward(node: node, gradient: gradient, tape) }
            node -= 1
        }

        // 3. Constants are not differentiated.
        for index in 0..<tape.constantCount {
            let range = tape.constants.base[index]
            (gradients + Int(range.x)).update(repeating: 0, count: Int(range.y - range.x))
        }
    }

    /// Passes the gradient of every node of `span` to its inputs, through the span's kernel (or node
    /// by node where the kernel declines: non-finite weights or gradients).
    private func backward(_ span: KernelSpan, _ tape: Tape) {
        let values = tape.values.base, gradients = tape.gradients.base
        let outputGradients = gradients + Int(span.firstNode)
        let inputGradients = span.differentiatesInput ? gradients + Int(span.input) : nil
        let biasGradients = span.bias >= 0 ? gradients + Int(span.bias) : nil
        switch span.kind {
        case .linear:
            baifs_linear_backward(outputGradients, values + Int(span.input), values + Int(span.weight),
                                  inputGradients, gradients + Int(span.weight), biasGradients,
                                  Int(span.batch), Int(span.channels), Int(span.outputs))
            return
        case .leaves:
            return
        case .elementwise:
            // The nodes' rules as one loop: each reads and writes its own elements (the inputs of an
            // add are one range, or two apart), so the order of nodes does not matter. Where a
            // node's gradient is zero, adding +0 leaves a gradient unchanged, as skipping it does
            // (a gradient is never −0: it starts at +0 and only receives sums).
            let count = Int(span.nodeCount)
            let x = values + Int(span.input), inputGradients = gradients + Int(span.input)
            switch span.operation {
            case .relu: baifs_relu_backward(x, outputGradients, inputGradients, count)
            case .tanh: baifs_tanh_backward(values + Int(span.firstNode), outputGradients, inputGradients, count)
            default: baifs_add_backward(outputGradients, inputGradients, gradients + Int(span.weight), count)
            }
            return
        case .convolution:
            let done = baifs_conv_backward(outputGradients, values + Int(span.input), values + Int(span.weight),
                                           inputGradients, gradients + Int(span.weight), biasGradients,
                                           Int(span.batch), Int(span.channels), Int(span.height), Int(span.width),
                                           Int(span.outputs), Int(span.kernel), Int(span.padding))
            if done != 0 { return }
        }
        var node = span.lastNode
        while node >= Int(span.firstNode) {
            let gradient = gradients[node]
            if gradient != 0 { backward(node: node, gradient: gradient, tape) }
            node -= 1
        }
    }

    /// Adds node `node`'s contributions `gradient · ∂node/∂input` to the gradients of its inputs.
    @inline(__always)
    private func backward(node: Int, gradient: Double, _ tape: Tape) {
        let values = tape.values.base
        let gradients = tape.gradients.base
        let operands = tape.operands.base
        let first = Int(tape.firstInputs.base[node])
        let second = Int(tape.secondInputs.base[node])
        switch tape.operations.base[node] {
        case .leaf:
            break
        case .add:
            gradients[first] += gradient
            gradients[second] += gradient
        case .multiply:
            let x = values[first], y = values[second]
            gradients[first] += gradient * y
            gradients[second] += gradient * x
        case .power:
            // d/dx xᵖ = p·xᵖ⁻¹; the exponent is a constant and gets no gradient.
            let exponent = values[second]
            if exponent != 0 {
                gradients[first] += gradient * exponent * Foundation.pow(values[first], exponent - 1)
            }
        case .exp:
            // d/dx eˣ = eˣ, the node's own value.
            gradients[first] += gradient * values[node]
        case .log:
            gradients[first] += gradient / values[first]
        case .tanh:
            // d/dx tanh x = 1 − tanh² x.
            let output = values[node]
            gradients[first] += gradient * (1 - output * output)
        case .relu:
            // The derivative at 0 is taken as 0, as in PyTorch.
            if values[first] > 0 { gradients[first] += gradient }
        case .sigmoid:
            // d/dx σ(x) = σ(x)·(1 − σ(x)).
            let output = values[node]
            gradients[first] += gradient * output * (1 - output)
        case .sum:
            for position in first..<(first + second) {
                gradients[Int(operands[position])] += gradient
            }
        case .maximum:
            // The whole gradient goes to the first input that attains the maximum.
            let output = values[node]
            for position in first..<(first + second) where values[Int(operands[position])] == output {
                gradients[Int(operands[position])] += gradient
                break
            }
        case .stridedDot:
            // ∂/∂aᵢ = bᵢ and ∂/∂bᵢ = aᵢ (product rule), summed over i (sum rule); ∂/∂bias = 1.
            let dot = tape.dot(ofNode: node)
            var a = Int(dot.first), b = Int(dot.second)
            let aStride = Int(dot.firstStride), bStride = Int(dot.secondStride)
            for _ in 0..<Int(dot.count) {
                let x = values[a], y = values[b]
                gradients[a] += gradient * y
                gradients[b] += gradient * x
                a += aStride
                b += bStride
            }
            if dot.bias >= 0 { gradients[Int(dot.bias)] += gradient }
        case .convolutionDot:
            // The product and sum rules over the window's pairs, as for the other dot nodes.
            let window = tape.window(ofNode: node)
            var weightPlane = Int(window.weight), inputPlane = Int(window.input)
            for _ in 0..<Int(window.channels) {
                var weightRow = weightPlane, inputRow = inputPlane
                for _ in 0..<Int(window.rows) {
                    for v in 0..<Int(window.columns) {
                        let w = values[weightRow + v], x = values[inputRow + v]
                        gradients[weightRow + v] += gradient * x
                        gradients[inputRow + v] += gradient * w
                    }
                    weightRow += Int(window.weightRowStride)
                    inputRow += Int(window.inputRowStride)
                }
                weightPlane += Int(window.weightPlaneStride)
                inputPlane += Int(window.inputPlaneStride)
            }
            if window.bias >= 0 { gradients[Int(window.bias)] += gradient }
        case .gatheredDot:
            let bias = Int(operands[first])
            for pair in 0..<second {
                let a = Int(operands[first + 1 + 2 * pair])
                let b = Int(operands[first + 2 + 2 * pair])
                let x = values[a], y = values[b]
                gradients[a] += gradient * y
                gradients[b] += gradient * x
            }
            if bias >= 0 { gradients[bias] += gradient }
        }
    }
}
