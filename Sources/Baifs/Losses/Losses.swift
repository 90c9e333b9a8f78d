import Autograd

/// The training objective, as named in experiment files.
public enum Loss: String, Sendable, CaseIterable, Codable {
    /// Mean squared error, PyTorch's `mse_loss(reduction="mean")`: the mean over the batch's
    /// samples and outputs; class labels become ±1 targets for one output, one-hot targets for several.
    case meanSquaredError = "mse"
    /// Summed squared error, PyTorch's `mse_loss(reduction="sum")`: the sum over the batch's samples
    /// and outputs, not divided; targets as for `meanSquaredError`.
    case summedSquaredError = "mse_sum"
    /// Cross-entropy over logits, one output per class.
    case crossEntropy = "cross_entropy"

    /// How the loss combines the squared errors of a batch, for the squared-error losses.
    public var reduction: Reduction? {
        switch self {
        case .meanSquaredError: .mean
        case .summedSquaredError: .sum
        case .crossEntropy: nil
        }
    }

    /// The sum over a batch of `count` samples of each sample's loss, given the batch's loss: a
    /// mean loss times `count`, a summed loss as it is. Metrics divide such totals by the samples
    /// seen, so that a summed loss is reported per sample too.
    public func batchTotal(_ batchLoss: Double, count: Int) -> Double {
        self == .summedSquaredError ? batchLoss : batchLoss * Double(count)
    }

    /// The loss of a batch of `outputs` (`[N, width]`) against its `targets`, averaged over
    /// `samples` samples (by default the `N` given; a part of a larger batch passes the batch's size,
    /// so that the parts' losses and gradients add up to the batch's).
    public func callAsFunction(outputs: TensorGrad, targets: Dataset.Targets, samples: Int? = nil) -> ScalarGrad {
        let width = outputs.count / outputs.shape[0]
        switch (self, targets) {
        case (.meanSquaredError, .values(let values, _)), (.summedSquaredError, .values(let values, _)):
            return mseLoss(predictions: outputs, targets: tensor(shape: outputs.shape, values: values, in: outputs.graph),
                           reduction: reduction ?? .mean, samples: samples)
        case (.meanSquaredError, .classes(let labels, let classCount)), (.summedSquaredError, .classes(let labels, let classCount)):
            let encoded = encodeForSquaredError(labels: labels, classCount: classCount, width: width)
            return mseLoss(predictions: outputs, targets: tensor(shape: outputs.shape, values: encoded, in: outputs.graph),
                           reduction: reduction ?? .mean, samples: samples)
        case (.crossEntropy, .classes(let labels, _)):
            return crossEntropyLoss(logits: outputs, labels: labels, samples: samples)
        case (.crossEntropy, .values):
            preconditionFailure("Cross-entropy needs class labels, not real-valued targets.")
        }
    }
}

/// How a loss combines the losses of a batch's elements, as PyTorch's `reduction` argument.
public enum Reduction: String, Sendable, CaseIterable, Codable {
    /// Divided by the number of elements.
    case mean
    /// Added up.
    case sum
}

/// `(1/n) Σᵢ (pᵢ − tᵢ)²` over all `n` elements (PyTorch's `mse_loss` with mean reduction), or
/// `Σᵢ (pᵢ − tᵢ)²` with `.sum` reduction, with the sum of squares as one dot-product node `d·d` of
/// the differences `d = p − t`. With `samples`, `n` is `samples` times the elements per sample
/// (the mean over a larger batch this is part of); a sum needs no such correction.
public func mseLoss(predictions: TensorGrad, targets: TensorGrad, reduction: Reduction = .mean, samples: Int? = nil) -> ScalarGrad {
    precondition(predictions.shape == targets.shape, "mseLoss needs predictions and targets of one shape; got \(predictions.shape) and \(targets.shape).")
    let difference = (predictions - targets).flattened()
    let squares = dot(difference, difference)
    guard reduction == .mean else { return squares }
    let elements = samples.map { $0 * (difference.count / max(1, predictions.shape.first ?? 1)) } ?? difference.count
    return squares * (1 / Double(elements))
}

/// The mean over the batch of `−log softmax(z)[y] = log Σⱼ e^{zⱼ − m} − (z_y − m)` for logits `z`
/// (`[N, K]`) and labels `y`, where `m = max z` is a constant that keeps every exponent ≤ 0
/// (the log-sum-exp trick: the result and its gradient do not depend on `m`). With `samples`, the
/// sum is divided by `samples` instead of `N` (the mean over a larger batch this is part of).
public func crossEntropyLoss(logits: TensorGrad, labels: [Int], samples: Int? = nil) -> ScalarGrad {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                 "crossEntropyLoss needs logits [N, K] and N labels; got \(logits.shape) and \(labels.count) labels.")
    let classCount = logits.shape[1]
    var sampleLosses = [ScalarGrad]()
    sampleLosses.reserveCapacity(labels.count)
    for (sample, label) in labels.enumerated() {
        precondition(label >= 0 && label < classCount, "Label \(label) is outside 0..<\(classCount).")
        let row = logits[sample]
        let maximum = row.values.max()!
        let shifted = row - maximum
        let logSumExp = shifted.exp().sum().log()
        sampleLosses.append(logSumExp - shifted.element(atFlat: label))
    }
    return sum(sampleLosses) * (1 / Double(samples ?? labels.count))
}

/// Targets for a squared-error classifier: with one output, `+1` for class 1 and `−1` for class 0;
/// with several, one-hot rows.
public func encodeForSquaredError(labels: [Int], classCount: Int, width: Int) -> [Double] {
    if width == 1 {
        precondition(classCount == 2, "One output can separate two classes; this task has \(classCount).")
        return labels.map { $0 == 1 ? 1 : -1 }
    }
    precondition(width == classCount, "A classifier with \(width) outputs needs \(width) classes; this task has \(classCount).")
    var encoded = [Double](repeating: 0, count: labels.count * width)
    for (sample, label) in labels.enumerated() { encoded[sample * width + label] = 1 }
    return encoded
}

/// The class a row of outputs predicts: with one output, class 1 when it is positive; with
/// several, the index of the largest (the first, on ties).
public func predictedClass(_ outputs: ArraySlice<Double>) -> Int {
    if outputs.count == 1 { return outputs[outputs.startIndex] > 0 ? 1 : 0 }
    var best = outputs.startIndex
    for index in outputs.indices where outputs[index] > outputs[best] { best = index }
    return best - outputs.startIndex
}
