import Baifs

extension ConfigDecoder {
    /// Reads `optimizer:` (sgd with its defaults when absent).
    func readOptimizer(_ top: SectionReader) -> OptimizerSection? {
        guard var reader = optionalSection("optimizer", of: top) else { return nil }
        let kind = reader.readKind().flatMap(OptimizerSection.Kind.init(rawValue:))
        let learningRate = reader.number("learning_rate")
        let momentum = reader.number("momentum")
        let nesterov = reader.boolean("nesterov")
        let weightDecay = reader.number("weight_decay")
        let beta1 = reader.number("beta1")
        let beta2 = reader.number("beta2")
        let epsilon = reader.number("epsilon")
        guard let kind, let learningRate = learningRate.value, let momentum = momentum.value,
              let nesterov = nesterov.value, let weightDecay = weightDecay.value, let beta1 = beta1.value,
              let beta2 = beta2.value, let epsilon = epsilon.value else { return nil }
        if kind == .sgd, nesterov, momentum == 0 {
            diagnostics.report(at: reader.node("nesterov")?.location ?? reader.location, reader.path("nesterov"),
                               "nesterov needs momentum > 0; momentum is 0")
            return nil
        }
        return OptimizerSection(kind: kind, learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                                weightDecay: weightDecay, beta1: beta1, beta2: beta2, epsilon: epsilon)
    }

    /// Reads `clipping:` (`none` when absent).
    func readClipping(_ top: SectionReader) -> ClippingSection? {
        guard var reader = optionalSection("clipping", of: top) else { return nil }
        let kind = reader.readKind().flatMap(ClippingSection.Kind.init(rawValue:))
        guard let kind, let threshold = reader.number("threshold").value else { return nil }
        return ClippingSection(kind: kind, threshold: threshold)
    }

    /// Reads `schedule:` (`constant` when absent); a cosine schedule needs epochs after its warm-up.
    func readSchedule(_ top: SectionReader, epochs: Int?) -> ScheduleSection? {
        guard var reader = optionalSection("schedule", of: top) else { return nil }
        let kind = reader.readKind().flatMap(ScheduleSection.Kind.init(rawValue:))
        let stepSize = reader.integer("step_size")
        let gamma = reader.number("gamma")
        let minimum = reader.number("minimum")
        let warmupEpochs = reader.integer("warmup_epochs")
        guard let kind, let stepSize = stepSize.value, let gamma = gamma.value, let minimum = minimum.value,
              let warmupEpochs = warmupEpochs.value else { return nil }
        if kind == .cosine, let epochs, warmupEpochs >= epochs {
            diagnostics.report(at: reader.node("warmup_epochs")?.location ?? reader.location, reader.path("warmup_epochs"),
                               "cosine annealing needs epochs after the warm-up; warmup_epochs is \(warmupEpochs) and training.epochs is \(epochs)")
            return nil
        }
        return ScheduleSection(kind: kind, stepSize: stepSize, gamma: gamma, minimum: minimum, warmupEpochs: warmupEpochs)
    }

    /// Reads `training:` (every default when absent); the monitored metric must exist for the data.
    func readTraining(_ top: SectionReader, data: DataSummary?) -> TrainingSection? {
        guard let reader = optionalSection("training", of: top) else { return nil }
        let epochs = reader.integer("epochs")
        let batchSize = reader.integer("batch_size")
        let shuffle = reader.boolean("shuffle")
        let monitor = reader.choice("monitor")
        let earlyStopping = readEarlyStopping(reader)
        let checkpointEvery = reader.integer("checkpoint_every")
        let tensorBoard = reader.boolean("tensorboard")
        guard let epochs = epochs.value, let batchSize = batchSize.value, let shuffle = shuffle.value,
              !monitor.isInvalid, !earlyStopping.isInvalid, let checkpointEvery = checkpointEvery.value,
              let tensorBoard = tensorBoard.value else { return nil }

        let isClassification = data.map { $0.classCount != nil } ?? true
        let hasValidation = data.flatMap { $0.validationCount.map { $0 > 0 } } ?? true
        let metric: Metric
        if let given = monitor.value.flatMap(Metric.init(rawValue:)) {
            let location = reader.node("monitor")?.location ?? reader.location
            if let data {
                if !isClassification, given == .trainAccuracy || given == .validationAccuracy {
                    diagnostics.report(at: location, reader.path("monitor"),
                                       "\(given.rawValue) needs a classification task; this dataset (\(data.kind.rawValue)) is regression")
                    return nil
                }
                if !hasValidation, given == .validationLoss || given == .validationAccuracy {
                    diagnostics.report(at: location, reader.path("monitor"),
                                       "\(given.rawValue) needs a validation set, but the dataset has no validation samples; monitor \(isClassification ? "train_accuracy" : "train_loss") or hold some out")
                    return nil
                }
            }
            metric = given
        } else {
            metric = switch (isClassification, hasValidation) {
            case (true, true): .validationAccuracy
            case (false, true): .validationLoss
            case (true, false): .trainAccuracy
            case (false, false): .trainLoss
            }
        }
        return TrainingSection(epochs: epochs, batchSize: batchSize, shuffle: shuffle, monitor: metric,
                               earlyStopping: earlyStopping.value, checkpointEvery: checkpointEvery, tensorBoard: tensorBoard)
    }

    /// Reads `training.early_stopping:`; absent means off.
    private func readEarlyStopping(_ training: SectionReader) -> Field<EarlyStopping> {
        guard let node = training.node("early_stopping") else { return .absent }
        guard let section = ConfigSchema.section("training.early_stopping"),
              let reader = SectionReader(section, node: node, keyPath: training.path("early_stopping"),
                                         parentLocation: node.location, diagnostics: diagnostics) else { return .invalid }
        let patience = reader.integer("patience")
        let minimumDelta = reader.number("min_delta")
        guard let patience = patience.value, let minimumDelta = minimumDelta.value else { return .invalid }
        return .value(EarlyStopping(patience: patience, minimumDelta: minimumDelta))
    }
}
