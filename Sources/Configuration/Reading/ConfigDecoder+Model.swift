import Autograd
import Baifs

extension ConfigDecoder {
    /// One entry of `model.layers` as written, before sizes flow through the model.
    struct LayerDraft {
        var type: LayerType
        /// `model.layers.N`.
        var keyPath: String
        /// The list item.
        var location: ConfigLocation
        /// The `type` value (the item itself for a bare string), and its key path.
        var typeLocation: ConfigLocation
        var typeKeyPath: String
        /// `in`, if given, and where.
        var inputSize: Int?
        var inputLocation: ConfigLocation?
        /// `out` (0 for layers without one), and where it was given.
        var outputSize: Int
        var outputLocation: ConfigLocation?
        var bias: Bool
        var kernel: Int
        var stride: Int
        var padding: Int
    }

    /// Reads `model:` and checks it against the data and the loss; `nil` if anything was reported
    /// (or the model cannot be checked because the data has a problem).
    func readModel(_ top: SectionReader, data: DataSummary?, loss: Loss?) -> ModelSection? {
        guard var reader = requiredSection("model", of: top) else { return nil }
        let kind = reader.readKind().flatMap(ModelSection.Kind.init(rawValue:))
        let inputShape = reader.integerList("input_shape")
        let drafts = readLayers(reader)
        guard let kind, !inputShape.isInvalid, let drafts, let layersNode = reader.node("layers") else { return nil }

        var fitsKind = true
        if kind == .mlp {
            for draft in drafts where draft.type.isConvolutional {
                diagnostics.report(at: draft.typeLocation, draft.typeKeyPath,
                                   "\(draft.type.rawValue) layers need model kind micro_resnet; this model is mlp")
                fitsKind = false
            }
        } else if !drafts.contains(where: { $0.type == .conv2d || $0.type == .residual }) {
            diagnostics.report(at: layersNode.location, reader.path("layers"),
                               "a micro_resnet needs at least one conv2d or residual layer; use model kind mlp for other layers")
            fitsKind = false
        }

        let shape: [Int]
        if let given = inputShape.value {
            if let data, given != data.sampleShape {
                diagnostics.report(at: reader.node("input_shape")?.location ?? reader.location, reader.path("input_shape"),
                                   "input_shape \(given) does not match the dataset's sample shape \(data.sampleShape)")
                return nil
            }
            shape = given
        } else if let data {
            shape = data.sampleShape
        } else {
            return nil
        }
        guard fitsKind, let (layers, outputShape) = resolveLayers(drafts, inputShape: shape) else { return nil }
        if let loss, let data, let last = drafts.last {
            guard checkOutput(outputShape, of: last, loss: loss, data: data) else { return nil }
        }
        return ModelSection(kind: kind, inputShape: shape, layers: layers)
    }

    /// Reads `model.layers`; `nil` if it or any entry was reported.
    private func readLayers(_ model: SectionReader) -> [LayerDraft]? {
        guard let entry = model.entry("layers") else {
            model.reportMissing("layers")
            return nil
        }
        let path = model.path("layers")
        guard case .sequence(let items) = entry.value.content, !items.isEmpty else {
            let problem = entry.value.content.isEmptySequence ? "a model needs at least one layer"
                : "expected a list of layers, got \(entry.value.shown)"
            diagnostics.report(at: entry.value.location, path, problem)
            return nil
        }
        let drafts = items.enumerated().map { index, item in readLayer(item, keyPath: "\(path).\(index)") }
        let valid = drafts.compactMap { $0 }
        return valid.count == drafts.count ? valid : nil
    }

    /// Reads one entry of `model.layers`.
    private func readLayer(_ item: ConfigNode, keyPath: String) -> LayerDraft? {
        guard var layer = SectionReader(ConfigSchema.layer, node: item, keyPath: keyPath, parentLocation: item.location,
                                        diagnostics: diagnostics),
              let type = layer.readKind().flatMap(LayerType.init(rawValue:)) else { return nil }
        if layer.isBareKind, !type.isParameterless {
            diagnostics.report(at: item.location, keyPath,
                               "a \(type.rawValue) layer has settings; write it as a mapping, such as \(Self.layerExamples[type] ?? "")")
            return nil
        }
        let inputSize = layer.integer("in")
        let outputSize = layer.integer("out")
        let bias = layer.boolean("bias")
        let kernel = layer.integer("kernel")
        let stride = layer.integer("stride")
        let padding = layer.integer("padding")
        guard ![inputSize.isInvalid, outputSize.isInvalid, kernel.isInvalid, stride.isInvalid].contains(true),
              let bias = bias.value, let padding = padding.value else { return nil }
        let isPooling = type == .maxPool || type == .averagePool
        return LayerDraft(
            type: type, keyPath: keyPath, location: item.location,
            typeLocation: layer.isBareKind ? item.location : layer.node("type")?.location ?? item.location,
            typeKeyPath: layer.isBareKind ? keyPath : layer.path("type"),
            inputSize: inputSize.value, inputLocation: layer.node("in")?.location,
            outputSize: outputSize.value ?? 0, outputLocation: layer.node("out")?.location,
            bias: bias, kernel: kernel.value ?? 0,
            stride: stride.value ?? (isPooling ? kernel.value ?? 1 : 1), padding: padding)
    }

    /// How each layer with settings is written, for the message about a bare one.
    private static let layerExamples: [LayerType: String] = [
        .linear: "{type: linear, out: 16}",
        .conv2d: "{type: conv2d, out: 8, kernel: 3, padding: 1}",
        .residual: "{type: residual, out: 8}",
        .maxPool: "{type: max_pool, kernel: 2}",
        .averagePool: "{type: avg_pool, kernel: 2}",
    ]

    /// Flows `inputShape` (one sample's, no batch axis) through the layers, resolving every
    /// omitted `in`, with the shape rules of the framework's modules (`outputShape(for:)`).
    ///
    /// - Returns: The resolved layers and the model's output shape, or `nil` at the first layer
    ///   the shape does not fit (reported there; the later layers would only repeat the problem).
    func resolveLayers(_ drafts: [LayerDraft], inputShape: [Int]) -> (layers: [LayerSpec], outputShape: [Int])? {
        var shape = inputShape
        var layers = [LayerSpec]()
        for draft in drafts {
            let name = draft.type.rawValue
            func mismatch(_ message: String) -> (layers: [LayerSpec], outputShape: [Int])? {
                diagnostics.report(at: draft.location, draft.keyPath, message)
                return nil
            }
            func checkInput(_ flowing: Int, _ unit: String) -> Bool {
                guard let given = draft.inputSize, given != flowing else { return true }
                diagnostics.report(at: draft.inputLocation ?? draft.location, "\(draft.keyPath).in",
                                   "in is \(given), but \(flowing) \(unit) flow into this layer (shape \(shape)); omit in, or set it to \(flowing)")
                return false
            }
            let isImage = shape.count == 3
            switch draft.type {
            case .linear:
                guard shape.count == 1 else {
                    let features = Self.elementCount(shape).map(String.init) ?? "too many"
                    return mismatch("a linear layer needs a flat input, but gets shape \(shape); add a flatten layer before it (it would give \(features) features)")
                }
                guard checkInput(shape[0], "features") else { return nil }
                layers.append(.linear(inputSize: shape[0], outputSize: draft.outputSize, bias: draft.bias))
                shape = [draft.outputSize]
            case .conv2d, .residual:
                guard isImage else {
                    return mismatch("a \(name) layer needs a channels × height × width input, but gets shape \(shape)")
                }
                guard checkInput(shape[0], "channels") else { return nil }
                let (kernel, padding) = draft.type == .conv2d ? (draft.kernel, draft.padding) : (3, 1)
                guard let paddedHeight = Self.padded(shape[1], padding), let paddedWidth = Self.padded(shape[2], padding) else {
                    return mismatch("padding \(padding) is too large to compute the layer's output")
                }
                guard kernel <= paddedHeight, kernel <= paddedWidth else {
                    return mismatch("a \(kernel)×\(kernel) kernel is larger than its padded input \(paddedHeight)×\(paddedWidth) (shape \(shape), padding \(padding))")
                }
                layers.append(draft.type == .conv2d
                    ? .conv2d(inputChannels: shape[0], outputChannels: draft.outputSize, kernelSize: kernel,
                              stride: draft.stride, padding: padding, bias: draft.bias)
                    : .residual(inputChannels: shape[0], outputChannels: draft.outputSize, stride: draft.stride))
                shape = [draft.outputSize,
                         convolutionOutputSize(input: shape[1], kernel: kernel, stride: draft.stride, padding: padding),
                         convolutionOutputSize(input: shape[2], kernel: kernel, stride: draft.stride, padding: padding)]
            case .maxPool, .averagePool:
                guard isImage else {
                    return mismatch("a \(name) layer needs a channels × height × width input, but gets shape \(shape)")
                }
                guard draft.kernel <= shape[1], draft.kernel <= shape[2] else {
                    return mismatch("a \(draft.kernel)×\(draft.kernel) pooling window is larger than its input \(shape[1])×\(shape[2]) (shape \(shape))")
                }
                layers.append(draft.type == .maxPool ? .maxPool(kernelSize: draft.kernel, stride: draft.stride)
                                                     : .averagePool(kernelSize: draft.kernel, stride: draft.stride))
                shape = [shape[0],
                         convolutionOutputSize(input: shape[1], kernel: draft.kernel, stride: draft.stride, padding: 0),
                         convolutionOutputSize(input: shape[2], kernel: draft.kernel, stride: draft.stride, padding: 0)]
            case .globalAveragePool:
                guard isImage else {
                    return mismatch("a global_avg_pool layer needs a channels × height × width input, but gets shape \(shape)")
                }
                layers.append(.globalAveragePool)
                shape = [shape[0]]
            case .flatten:
                guard let features = Self.elementCount(shape) else {
                    return mismatch("flattening shape \(shape) gives too many features")
                }
                layers.append(.flatten)
                shape = [features]
            case .relu, .tanh, .sigmoid:
                guard let activation = Activation(rawValue: name) else { preconditionFailure("No activation '\(name)'.") }
                layers.append(.activation(activation))
            }
            // Every later size (the next layer's, the plan's) is computed from this one.
            guard Self.elementCount(shape) != nil else {
                return mismatch("the layer's output of shape \(shape) has more values per sample than can be counted (\(Int.max))")
            }
        }
        return (layers, shape)
    }

    /// The number of values in `shape`, or `nil` if it overflows `Int`.
    private static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// `size + 2·padding`, or `nil` if it overflows `Int`.
    private static func padded(_ size: Int, _ padding: Int) -> Int? {
        let (twice, overflow) = padding.multipliedReportingOverflow(by: 2)
        let (sum, sumOverflow) = size.addingReportingOverflow(twice)
        return overflow || sumOverflow ? nil : sum
    }

    /// Checks that the model's output fits the loss and the task; reports at the last layer's
    /// `out` if it has one, otherwise at the last layer.
    private func checkOutput(_ shape: [Int], of last: LayerDraft, loss: Loss, data: DataSummary) -> Bool {
        let location = last.outputLocation ?? last.location
        let keyPath = last.outputLocation == nil ? last.keyPath : "\(last.keyPath).out"
        guard shape.count == 1 else {
            diagnostics.report(at: last.location, last.keyPath,
                               "the model's output has shape \(shape), but it must be flat; end with flatten (or global_avg_pool) and a linear layer")
            return false
        }
        let width = shape[0]
        let problem: String? = switch (data.classCount, loss) {
        case (let classes?, .crossEntropy):
            width == classes ? nil : "cross_entropy needs one output per class (\(classes)), but the model gives \(width)"
        case (let classes?, .meanSquaredError), (let classes?, .summedSquaredError):
            width == classes || (width == 1 && classes == 2) ? nil
                : classes == 2 ? "mse on 2 classes needs 1 output (±1 targets) or 2 (one-hot targets), but the model gives \(width)"
                : "mse on \(classes) classes needs \(classes) outputs (one-hot targets), but the model gives \(width)"
        case (nil, _):
            width == data.targetWidth ? nil
                : "regression needs \(data.targetWidth) output\(data.targetWidth == 1 ? "" : "s") (the target's width), but the model gives \(width)"
        }
        guard let problem else { return true }
        diagnostics.report(at: location, keyPath, problem)
        return false
    }
}

private extension ConfigNode.Content {
    var isEmptySequence: Bool {
        if case .sequence(let items) = self { return items.isEmpty }
        return false
    }
}
