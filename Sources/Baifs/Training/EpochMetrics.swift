/// A metric reported after every epoch, by its column name in `metrics.csv`.
public enum Metric: String, Sendable, CaseIterable, Codable {
    /// The mean training loss over the epoch's samples, `train_loss`.
    case trainLoss = "train_loss"
    /// The fraction of training samples classified correctly, `train_accuracy`.
    case trainAccuracy = "train_accuracy"
    /// The mean loss over the validation set after the epoch, `val_loss`.
    case validationLoss = "val_loss"
    /// The fraction of validation samples classified correctly, `val_accuracy`.
    case validationAccuracy = "val_accuracy"

    /// Whether smaller values are better (losses) or larger (accuracies).
    public var isMinimized: Bool { self == .trainLoss || self == .validationLoss }
}

/// What one epoch of training measured.
public struct EpochMetrics: Sendable, Equatable, Codable {
    /// The epoch, counted from 1.
    public var epoch: Int
    /// Optimizer steps taken so far, over all epochs.
    public var step: Int
    /// The mean loss over the epoch's training samples, each batch's loss taken before its update.
    public var trainLoss: Double
    /// The fraction of training samples classified correctly during the epoch (classification only).
    public var trainAccuracy: Double?
    /// The mean loss over the validation set after the epoch (when there is one).
    public var validationLoss: Double?
    /// The fraction of validation samples classified correctly (classification with validation).
    public var validationAccuracy: Double?
    /// The learning rate used during the epoch.
    public var learningRate: Double
    /// The mean over the epoch's steps of the global L2 norm of the gradients, before clipping.
    public var gradientNorm: Double

    /// Creates the metrics of one epoch; see the properties.
    public init(epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double?, validationLoss: Double?,
                validationAccuracy: Double?, learningRate: Double, gradientNorm: Double) {
        self.epoch = epoch
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
    }

    /// The value of `metric`, if this epoch measured it.
    public func value(of metric: Metric) -> Double? {
        switch metric {
        case .trainLoss: trainLoss
        case .trainAccuracy: trainAccuracy
        case .validationLoss: validationLoss
        case .validationAccuracy: validationAccuracy
        }
    }
}
