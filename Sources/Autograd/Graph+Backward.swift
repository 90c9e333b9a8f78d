import Foundation

extension Graph {
    /// Fills `gradients[i] = ∂root/∂node i` for every node, by the chain rule in reverse creation order.
    ///
    /// Creation order is a topological order of the graph, so one loop from the root down to the first
    /// node visits every node after all the nodes that use it: no recursion, no sort, no set, and the
    /// same order of floating-point additions on every run. A node used several times receives the sum
    /// of its uses' contributions. Gradients from an earlier backward pass are replaced, not added to.
    func backward(from root: Int32) {
        let tape = self.tape.pointee
        let values = tape.values.base
        let gradients = tape.gradients.base
        let operations = tape.operations.base
        let firstInputs = tape.firstInputs.base
        let secondInputs = tape.secondInputs.base
        let operands = tape.operands.base
        let dots = tape.dots.base
        let windows = tape.windows.base

        // 1. Start from zero everywhere, and ∂root/∂root = 1.
        gradients.update(repeating: 0, count: tape.count)
        gradients[Int(root)] = 1

        // 2. Walk back from the root; each node passes its gradient to its inputs by its local derivative.
        var node = Int(root)
        while node >= 0 {
            defer { node -= 1 }
            let gradient = gradients[node]
            // Nothing flows from a zero gradient (nodes off the root's paths, ReLUs that are off).
            if gradient == 0 { continue }
            let first = Int(firstInputs[node])
            let second = Int(secondInputs[node])
            switch operations[node] {
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
                let dot = dots[first]
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
                let window = windows[first]
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
}
