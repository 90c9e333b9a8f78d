/// A limit on the gradients applied between the backward pass and the optimizer step.
public enum GradientClipping: Sendable, Equatable {
    /// Leaves the gradients unchanged.
    case none
    /// Clamps each gradient to `[−limit, limit]`, as `torch.nn.utils.clip_grad_value_`.
    case byValue(Double)
    /// Scales all gradients together so that their global L2 norm is at most `maxNorm`, as
    /// `torch.nn.utils.clip_grad_norm_`.
    case byNorm(Double)

    /// Clips the gradients of `parameters` and returns their global L2 norm `‖g‖ = √(Σ g²)`,
    /// measured before clipping, so that callers can log it whatever the clipping. `blocks`
    /// shares the elementwise work out between threads; the result is the same for any sharing.
    @discardableResult
    public func apply(to parameters: [Parameter], blocks: ElementBlocks = .serial) -> Double {
        switch self {
        case .none:
            return gradientNorm(parameters, blocks: blocks)
        case .byValue(let limit):
            let norm = gradientNorm(parameters, blocks: blocks)
            clipGradientsByValue(parameters, limit: limit, blocks: blocks)
            return norm
        case .byNorm(let maxNorm):
            return clipGradientsByNorm(parameters, maxNorm: maxNorm, blocks: blocks)
        }
    }
}

/// Returns the global L2 norm of the gradients of `parameters`, `‖g‖ = √(Σ g²)`.
///
/// The order of the additions is fixed by this code alone, so the norm is the same on every
/// machine and for any sharing of the work by `blocks`: each parameter is cut into blocks of
/// `ElementBlocks.blockSize` elements; a block's squares are added in eight lanes (lane `k` adds
/// the block's elements `k`, `k + 8`, `k + 16`, … in order), the lanes in lane order, then the
/// block's last `count mod 8` squares in order; and the blocks' sums are added in order, parameter
/// by parameter. Eight independent sums let the processor overlap the additions instead of waiting
/// for each one in turn, and the blocks can be summed on several threads.
public func gradientNorm(_ parameters: [Parameter], blocks: ElementBlocks = .serial) -> Double {
    let counts = parameters.map(\.count)
    // Where each parameter's blocks start in `blockSums`.
    var firstBlocks: [Int] = []
    var blockCount = 0
    for count in counts {
        firstBlocks.append(blockCount)
        blockCount += (count + ElementBlocks.blockSize - 1) / ElementBlocks.blockSize
    }
    var blockSums = [Double](repeating: 0, count: blockCount)
    withBuffers(of: parameters) { _, gradients in
        blockSums.withUnsafeMutableBufferPointer { blockSums in
            blocks.forEachBlock(counts: counts) { parameter, elements in
                blockSums[firstBlocks[parameter] + elements.lowerBound / ElementBlocks.blockSize] =
                    sumOfSquares(UnsafeBufferPointer(rebasing: gradients[parameter][elements]))
            }
        }
    }
    var total = 0.0
    for blockSum in blockSums { total += blockSum }
    return total.squareRoot()
}

/// `Σ x²` over `values`, in eight lanes then the tail (see `gradientNorm(_:blocks:)`).
private func sumOfSquares(_ values: UnsafeBufferPointer<Double>) -> Double {
    let laneCount = 8
    let whole = values.count - values.count % laneCount
    var lanes = SIMD8<Double>()
    var start = 0
    while start < whole {
        let block = UnsafeRawPointer(values.baseAddress! + start).loadUnaligned(as: SIMD8<Double>.self)
        lanes += block * block
        start += laneCount
    }
    var sum = 0.0
    for lane in 0..<laneCount { sum += lanes[lane] }
    for index in whole..<values.count { sum += values[index] * values[index] }
    return sum
}

/// Clamps each gradient of `parameters` to `[−limit, limit]`: `g = min(max(g, −limit), limit)`.
public func clipGradientsByValue(_ parameters: [Parameter], limit: Double, blocks: ElementBlocks = .serial) {
    precondition(limit >= 0, "The gradient clipping limit must be non-negative; got \(limit).")
    withBuffers(of: parameters) { _, gradients in
        blocks.forEachBlock(counts: gradients.map(\.count)) { parameter, elements in
            let gradients = gradients[parameter]
            for index in elements { gradients[index] = min(max(gradients[index], -limit), limit) }
        }
    }
}

/// Scales the gradients of `parameters` by `c = maxNorm / (‖g‖ + 10⁻⁶)` when `c < 1`, where
/// `‖g‖ = √(Σ g²)` is their global L2 norm, and returns `‖g‖` measured before scaling.
///
/// The `10⁻⁶` keeps the division finite for zero gradients and matches
/// `torch.nn.utils.clip_grad_norm_`; it leaves the clipped norm just under `maxNorm`.
@discardableResult
public func clipGradientsByNorm(_ parameters: [Parameter], maxNorm: Double, blocks: ElementBlocks = .serial) -> Double {
    precondition(maxNorm >= 0, "The maximum gradient norm must be non-negative; got \(maxNorm).")
    let norm = gradientNorm(parameters, blocks: blocks)
    let scale = maxNorm / (norm + 1e-6)
    guard scale < 1 else { return norm }
    withBuffers(of: parameters) { _, gradients in
        blocks.forEachBlock(counts: gradients.map(\.count)) { parameter, elements in
            let gradients = gradients[parameter]
            for index in elements { gradients[index] *= scale }
        }
    }
    return norm
}
