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
    /// measured before clipping, so that callers can log it whatever the clipping.
    @discardableResult
    public func apply(to parameters: [Parameter]) -> Double {
        switch self {
        case .none:
            return gradientNorm(parameters)
        case .byValue(let limit):
            let norm = gradientNorm(parameters)
            clipGradientsByValue(parameters, limit: limit)
            return norm
        case .byNorm(let maxNorm):
            return clipGradientsByNorm(parameters, maxNorm: maxNorm)
        }
    }
}

/// Returns the global L2 norm of the gradients of `parameters`, `‖g‖ = √(Σ g²)`.
///
/// The order of the additions is fixed by this code alone (so the norm is the same on every
/// machine and for any number of threads): parameter by parameter, each parameter's squares are
/// added in eight lanes (lane `k` adds the elements `k`, `k + 8`, `k + 16`, … in order), the lanes
/// are added to the running sum in lane order, then the parameter's last `count mod 8` squares in
/// order. Eight independent sums let the processor overlap the additions instead of waiting for
/// each one in turn, which made this sum a large share of a step on a big model.
public func gradientNorm(_ parameters: [Parameter]) -> Double {
    var sumOfSquares = 0.0
    for parameter in parameters {
        parameter.gradients.withUnsafeBufferPointer { gradients in
            let laneCount = 8
            let whole = gradients.count - gradients.count % laneCount
            var lanes = SIMD8<Double>()
            var start = 0
            while start < whole {
                let block = UnsafeRawPointer(gradients.baseAddress! + start).loadUnaligned(as: SIMD8<Double>.self)
                lanes += block * block
                start += laneCount
            }
            for lane in 0..<laneCount { sumOfSquares += lanes[lane] }
            for index in whole..<gradients.count { sumOfSquares += gradients[index] * gradients[index] }
        }
    }
    return sumOfSquares.squareRoot()
}

/// Clamps each gradient of `parameters` to `[−limit, limit]`: `g = min(max(g, −limit), limit)`.
public func clipGradientsByValue(_ parameters: [Parameter], limit: Double) {
    precondition(limit >= 0, "The gradient clipping limit must be non-negative; got \(limit).")
    for parameter in parameters {
        parameter.gradients.withUnsafeMutableBufferPointer { gradients in
            for index in gradients.indices {
                gradients[index] = min(max(gradients[index], -limit), limit)
            }
        }
    }
}

/// Scales the gradients of `parameters` by `c = maxNorm / (‖g‖ + 10⁻⁶)` when `c < 1`, where
/// `‖g‖ = √(Σ g²)` is their global L2 norm, and returns `‖g‖` measured before scaling.
///
/// The `10⁻⁶` keeps the division finite for zero gradients and matches
/// `torch.nn.utils.clip_grad_norm_`; it leaves the clipped norm just under `maxNorm`.
@discardableResult
public func clipGradientsByNorm(_ parameters: [Parameter], maxNorm: Double) -> Double {
    precondition(maxNorm >= 0, "The maximum gradient norm must be non-negative; got \(maxNorm).")
    let norm = gradientNorm(parameters)
    let scale = maxNorm / (norm + 1e-6)
    guard scale < 1 else { return norm }
    for parameter in parameters {
        parameter.gradients.withUnsafeMutableBufferPointer { gradients in
            for index in gradients.indices { gradients[index] *= scale }
        }
    }
    return norm
}
