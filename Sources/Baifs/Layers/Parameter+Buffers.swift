/// Calls `body` with the values and the gradients of each of `parameters`, as buffers that stay
/// valid (and are touched by nothing else) for the whole call: how elementwise work shared out by
/// `ElementBlocks` reaches the parameters from several threads.
public func withBuffers<Result>(of parameters: [Parameter],
                                _ body: (_ values: [UnsafeMutableBufferPointer<Double>],
                                         _ gradients: [UnsafeMutableBufferPointer<Double>]) -> Result) -> Result {
    gatherBuffers(of: parameters[...], values: [], gradients: [], body)
}

private func gatherBuffers<Result>(of parameters: ArraySlice<Parameter>, values: [UnsafeMutableBufferPointer<Double>],
                                   gradients: [UnsafeMutableBufferPointer<Double>],
                                   _ body: ([UnsafeMutableBufferPointer<Double>], [UnsafeMutableBufferPointer<Double>]) -> Result) -> Result {
    guard let parameter = parameters.first else { return body(values, gradients) }
    return parameter.values.withUnsafeMutableBufferPointer { parameterValues in
        parameter.gradients.withUnsafeMutableBufferPointer { parameterGradients in
            gatherBuffers(of: parameters.dropFirst(), values: values + [parameterValues],
                          gradients: gradients + [parameterGradients], body)
        }
    }
}

extension Array where Element == [Double] {
    /// Calls `body` with a buffer for each inner array (an optimizer's per-parameter state), valid
    /// for the whole call.
    mutating func withUnsafeMutableBuffers<Result>(_ body: ([UnsafeMutableBufferPointer<Double>]) -> Result) -> Result {
        withUnsafeMutableBufferPointer { arrays in gatherBuffers(of: arrays, from: 0, gathered: [], body) }
    }
}

private func gatherBuffers<Result>(of arrays: UnsafeMutableBufferPointer<[Double]>, from index: Int,
                                   gathered: [UnsafeMutableBufferPointer<Double>],
                                   _ body: ([UnsafeMutableBufferPointer<Double>]) -> Result) -> Result {
    guard index < arrays.count else { return body(gathered) }
    return arrays[index].withUnsafeMutableBufferPointer { buffer in
        gatherBuffers(of: arrays, from: index + 1, gathered: gathered + [buffer], body)
    }
}
