import Yams

extension ExperimentConfig {
    /// The configuration as canonical YAML: what `config.yaml` in a run directory holds.
    ///
    /// Every key is present, with its resolved value, in the order of `ConfigSchema` (the order of
    /// the format's documentation), except keys that do not apply to a section's kind, optional
    /// keys that are not set and keys that exclude each other (`validation_fraction` and
    /// `test_fraction` beside `split_column`, `test_fraction` beside idx's test files), so that the
    /// text validates again and loads back to an equal configuration. The text is deterministic
    /// byte for byte: two-space indentation, numbers as Swift prints them (which round-trips every
    /// `Double` exactly), shapes and lists of names in flow style (`[1, 8, 8]`), layers as a block
    /// list of flow mappings, strings plain unless YAML would read them as something else, then
    /// double-quoted.
    public var yaml: String {
        var dataset: [String: CanonicalValue] = [
            "kind": .scalar(self.dataset.kind.rawValue),
            "samples": .integer(self.dataset.samples),
            "noise": .number(self.dataset.noise),
            "factor": .number(self.dataset.factor),
            "classes": .integer(self.dataset.classes),
            "task": .scalar(self.dataset.task.rawValue),
            "normalize": .scalar(self.dataset.normalize.rawValue),
        ]
        if self.dataset.splitColumn == nil { dataset["validation_fraction"] = .number(self.dataset.validationFraction) }
        // idx's test files are its test set, in place of a drawn fraction.
        if self.dataset.splitColumn == nil && self.dataset.testImages == nil {
            dataset["test_fraction"] = .number(self.dataset.testFraction)
        }
        dataset["scale"] = .number(self.dataset.scale)
        dataset["path"] = self.dataset.path.map(CanonicalValue.string)
        dataset["target"] = self.dataset.target.map(CanonicalValue.string)
        dataset["features"] = self.dataset.kind == .npy ? self.dataset.featureArray.map(CanonicalValue.string)
            : self.dataset.features.map { .flowList($0.map(CanonicalValue.quoted)) }
        dataset["targets"] = self.dataset.targetArray.map(CanonicalValue.string)
        dataset["images"] = self.dataset.images.map(CanonicalValue.string)
        dataset["labels"] = self.dataset.labels.map(CanonicalValue.string)
        dataset["test_images"] = self.dataset.testImages.map(CanonicalValue.string)
        dataset["test_labels"] = self.dataset.testLabels.map(CanonicalValue.string)
        dataset["shape"] = self.dataset.shape.map { .flowList($0.map(String.init)) }
        dataset["split_column"] = self.dataset.splitColumn.map(CanonicalValue.string)

        let model: [String: CanonicalValue] = [
            "kind": .scalar(self.model.kind.rawValue),
            "input_shape": .flowList(self.model.inputShape.map(String.init)),
            "layers": .blockList(self.model.layers.map(\.canonicalText)),
        ]
        let optimizer: [String: CanonicalValue] = [
            "kind": .scalar(self.optimizer.kind.rawValue),
            "learning_rate": .number(self.optimizer.learningRate),
            "momentum": .number(self.optimizer.momentum),
            "nesterov": .boolean(self.optimizer.nesterov),
            "weight_decay": .number(self.optimizer.weightDecay),
            "beta1": .number(self.optimizer.beta1),
            "beta2": .number(self.optimizer.beta2),
            "epsilon": .number(self.optimizer.epsilon),
        ]
        let clipping: [String: CanonicalValue] = [
            "kind": .scalar(self.clipping.kind.rawValue),
            "threshold": .number(self.clipping.threshold),
        ]
        let schedule: [String: CanonicalValue] = [
            "kind": .scalar(self.schedule.kind.rawValue),
            "step_size": .integer(self.schedule.stepSize),
            "gamma": .number(self.schedule.gamma),
            "minimum": .number(self.schedule.minimum),
            "warmup_epochs": .integer(self.schedule.warmupEpochs),
        ]
        var training: [String: CanonicalValue] = [
            "epochs": .integer(self.training.epochs),
            "batch_size": .integer(self.training.batchSize),
            "shuffle": .boolean(self.training.shuffle),
            "monitor": .scalar(self.training.monitor.rawValue),
            "checkpoint_every": .integer(self.training.checkpointEvery),
            "tensorboard": .boolean(self.training.tensorBoard),
        ]
        if let earlyStopping = self.training.earlyStopping {
            training["early_stopping"] = .mapping([
                "patience": .integer(earlyStopping.patience),
                "min_delta": .number(earlyStopping.minimumDelta),
            ])
        }
        var top: [String: CanonicalValue] = [
            "name": .string(name),
            "seed": .scalar(String(seed)),
            "dataset": .mapping(dataset),
            "model": .mapping(model),
            "loss": loss == .summedSquaredError ? .mapping(["kind": .scalar("mse"), "reduction": .scalar("sum")]) : .scalar(loss.rawValue),
            "optimizer": .mapping(optimizer),
            "clipping": .mapping(clipping),
            "schedule": .mapping(schedule),
            "training": .mapping(training),
        ]
        top["init_from"] = initFrom.map(CanonicalValue.string)
        return CanonicalValue.lines(top, section: "", kind: nil, indent: "").map { $0 + "\n" }.joined()
    }
}

extension LayerSpec {
    /// The layer as canonical YAML: a flow mapping with every key that applies, in schema order,
    /// or the bare type for a layer without settings.
    var canonicalText: String {
        var values: [String: String] = ["type": type.rawValue]
        switch self {
        case let .linear(inputSize, outputSize, bias):
            values.merge(["in": String(inputSize), "out": String(outputSize), "bias": String(bias)]) { $1 }
        case let .conv2d(inputChannels, outputChannels, kernelSize, stride, padding, bias):
            values.merge(["in": String(inputChannels), "out": String(outputChannels), "bias": String(bias),
                          "kernel": String(kernelSize), "stride": String(stride), "padding": String(padding)]) { $1 }
        case let .residual(inputChannels, outputChannels, stride):
            values.merge(["in": String(inputChannels), "out": String(outputChannels), "stride": String(stride)]) { $1 }
        case let .maxPool(kernelSize, stride), let .averagePool(kernelSize, stride):
            values.merge(["kernel": String(kernelSize), "stride": String(stride)]) { $1 }
        case .activation, .flatten, .globalAveragePool:
            return type.rawValue
        }
        let keys = ConfigSchema.layer.keyNames.filter { values[$0] != nil }
        precondition(keys.count == values.count, "Every key written for a layer is in the schema.")
        return "{" + keys.map { "\($0): \(values[$0] ?? "")" }.joined(separator: ", ") + "}"
    }
}

/// A value as the canonical YAML writer emits it.
private enum CanonicalValue {
    /// Text written as is (names of choices, integers).
    case scalar(String)
    /// A nested block mapping.
    case mapping([String: CanonicalValue])
    /// A flow list of texts, `[a, b]`.
    case flowList([String])
    /// A block list of texts, one `- item` per line.
    case blockList([String])

    static func integer(_ value: Int) -> CanonicalValue { .scalar(String(value)) }
    static func number(_ value: Double) -> CanonicalValue { .scalar(String(value)) }
    static func boolean(_ value: Bool) -> CanonicalValue { .scalar(String(value)) }
    static func string(_ value: String) -> CanonicalValue { .scalar(quoted(value)) }

    /// `text` as a plain scalar if YAML reads it back as that string, otherwise double-quoted.
    static func quoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar) || "_./-".unicodeScalars.contains(scalar)
        }
        if safe, let first = text.unicodeScalars.first, first != "-", first != ".",
           Resolver.default.resolveTag(of: Node(text)) == .str {
            return text
        }
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// The lines of a mapping of section `section`: its keys in schema order, leaving out those
    /// that do not apply to `kind`.
    static func lines(_ values: [String: CanonicalValue], section path: String, kind: String?, indent: String) -> [String] {
        guard let section = ConfigSchema.section(path) else { preconditionFailure("No schema section '\(path)'.") }
        precondition(values.keys.allSatisfy { section.key($0) != nil }, "Every key written for '\(path)' is in the schema.")
        var lines = [String]()
        for key in section.keys where key.applies(to: kind) {
            guard let value = values[key.name] else { continue }
            switch value {
            case .scalar(let text):
                lines.append("\(indent)\(key.name): \(text)")
            case .flowList(let items):
                lines.append("\(indent)\(key.name): [\(items.joined(separator: ", "))]")
            case .blockList(let items):
                lines.append("\(indent)\(key.name):")
                lines += items.map { "\(indent)  - \($0)" }
            case .mapping(let nested):
                guard case .section(let nestedPath) = key.type else { preconditionFailure("'\(key.name)' is not a section.") }
                let nestedKind = ConfigSchema.section(nestedPath)?.kindKey.flatMap { nested[$0] }.flatMap(\.text)
                lines.append("\(indent)\(key.name):")
                lines += Self.lines(nested, section: nestedPath, kind: nestedKind, indent: indent + "  ")
            }
        }
        return lines
    }

    /// The text of a scalar.
    var text: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
