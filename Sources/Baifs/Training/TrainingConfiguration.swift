/// How the solver trains: epochs, batches, shuffling, and when to stop early.
public struct TrainingConfiguration: Sendable, Equatable {
    /// The number of passes over the training set.
    public var epochs: Int
    /// Samples per optimizer step; the last batch of an epoch may be smaller.
    public var batchSize: Int
    /// Whether each epoch visits the samples in a fresh seeded order (else in dataset order).
    public var shuffle: Bool
    /// The metric that decides the best epoch (and early stopping).
    public var monitor: Metric
    /// Stop when `monitor` has not improved by more than `minimumDelta` for `patience` epochs.
    public var earlyStopping: EarlyStopping?

    /// Creates the configuration; see the properties for the meaning of each.
    public init(epochs: Int, batchSize: Int, shuffle: Bool = true, monitor: Metric = .validationLoss, earlyStopping: EarlyStopping? = nil) {
        precondition(epochs >= 0, "The number of epochs must be ≥ 0; got \(epochs).")
        precondition(batchSize >= 1, "The batch size must be ≥ 1; got \(batchSize).")
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.monitor = monitor
        self.earlyStopping = earlyStopping
    }
}

/// Stop training when the monitored metric stops improving.
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// Epochs without improvement that end training.
    public var patience: Int
    /// The least change that counts as an improvement.
    public var minimumDelta: Double

    /// Stops after `patience` epochs without an improvement greater than `minimumDelta`.
    public init(patience: Int, minimumDelta: Double = 0) {
        precondition(patience >= 1, "Early stopping needs a patience ≥ 1; got \(patience).")
        precondition(minimumDelta >= 0, "Early stopping needs a minimum delta ≥ 0; got \(minimumDelta).")
        self.patience = patience
        self.minimumDelta = minimumDelta
    }
}
