import Baifs
import Foundation

/// Named parameter tensors read from a file, to initialise a model with (`init_from`).
///
/// Three formats are read: a baifs checkpoint (only its `parameters` are used, so any other key
/// may be missing), a parameters-only JSON file `{"parameters": {NAME: {"shape": [...], "values":
/// [...]}}}`, and a `.safetensors` file of F32 or F64 tensors (as `export` writes, or PyTorch's
/// `safetensors.torch.save_file(model.state_dict(), path)`). Files ending in `.safetensors` are
/// read as safetensors, others as JSON.
public struct ParameterSet: Sendable, Equatable {
    /// One named tensor.
    public struct Tensor: Sendable, Equatable {
        /// The parameter's name in the file, matched against the model's parameter names (`layers.0.weight`).
        public var name: String
        /// The tensor's shape, such as `[out, in]` for a linear layer's weight.
        public var shape: [Int]
        /// The values, row-major; as many as the shape's product, and all finite.
        public var values: [Double]
    }

    /// The tensors, in file order (JSON objects in name order).
    public var tensors: [Tensor]

    /// Reads the file at `path`.
    ///
    /// - Throws: `ParameterSetError` saying why the file cannot be used.
    public init(contentsOf path: String) throws(ParameterSetError) {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw ParameterSetError("cannot read \(path): \(error.reason)")
        }
        if path.hasSuffix(".safetensors") {
            do {
                let file = try SafetensorsFile(data: data)
                tensors = file.tensors.map { Tensor(name: $0.name, shape: $0.shape, values: $0.values) }
            } catch {
                throw ParameterSetError("\(path) is not a readable safetensors file: \(error.message)")
            }
        } else {
            tensors = try Self.readJSON(data, path: path)
        }
        if let tensor = tensors.first(where: { !$0.values.allSatisfy(\.isFinite) }) {
            throw ParameterSetError("\(path): parameter \(Excerpt.quoted(tensor.name)) holds a value that is not a finite number")
        }
    }

    /// The `parameters` of a JSON file: a checkpoint or a parameters-only file. A `checksum` (a
    /// baifs checkpoint's) is verified; a file without one (from another program) is read as it is.
    /// The values are parsed apart from the rest (`CheckpointNumberArrays`), so that reading takes
    /// about the file's size again, not the decoder's map of every number.
    private static func readJSON(_ data: Data, path: String) throws(ParameterSetError) -> [Tensor] {
        do {
            try CheckpointChecksum.verify(data, path: path)
        } catch {
            throw ParameterSetError(error.message)
        }
        let split = CheckpointNumberArrays(scanning: data)
        return try readJSON(skeleton: split.skeleton, arrays: split.arrays, path: path)
    }

    private static func readJSON(skeleton data: Data, arrays: [[String]: [Double]], path: String) throws(ParameterSetError) -> [Tensor] {
        struct File: Decodable {
            struct Entry: Decodable {
                var shape: [Int]
                var values: [Double?]
            }
            var parameters: [String: Entry]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            let reason: String = switch error as? DecodingError {
            case .keyNotFound(let key, let context)?:
                "it has no '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
            case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
                "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' is not \(context.debugDescription.lowercased().hasPrefix("expected to decode array") ? "a list" : "of the expected type")"
            default: "it is not JSON"
            }
            throw ParameterSetError("\(path) holds no parameters (\(reason)); init_from takes a baifs checkpoint, a JSON file {\"parameters\": {NAME: {\"shape\": [...], \"values\": [...]}}} or a .safetensors file")
        }
        var tensors = [Tensor]()
        for name in file.parameters.keys.sorted() {
            var entry = file.parameters[name]!
            if let values = arrays[["parameters", name, "values"]] { entry.values = values }
            var count = 1, overflow = false
            for dimension in entry.shape where !overflow { (count, overflow) = count.multipliedReportingOverflow(by: max(0, dimension)) }
            guard !overflow, entry.shape.allSatisfy({ $0 >= 0 }), count == entry.values.count else {
                throw ParameterSetError("\(path): parameter \(Excerpt.quoted(name)) has shape \(Excerpt.plain("\(entry.shape)")) but \(entry.values.count) values")
            }
            tensors.append(Tensor(name: name, shape: entry.shape, values: entry.values.map { $0 ?? .nan }))
        }
        return tensors
    }

    /// What keeps these tensors from initialising a model whose parameters are `expected` (names
    /// and shapes): every missing, unexpected and mis-shaped name, in one sentence; `nil` if they fit.
    public func mismatch(with expected: [(name: String, shape: [Int])]) -> String? {
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let expectedNames = Set(expected.map(\.name))
        let missing = expected.filter { byName[$0.name] == nil }.map(\.name)
        let unexpected = tensors.map(\.name).filter { !expectedNames.contains($0) }
        let misshaped = expected.compactMap { parameter -> String? in
            guard let tensor = byName[parameter.name], tensor.shape != parameter.shape else { return nil }
            return "\(parameter.name) is \(tensor.shape) in the file but \(parameter.shape) in the model"
        }
        // At most ten of each, as excerpts: a file may hold any number of any names.
        func listed(_ items: [String], separator: String) -> String {
            items.prefix(10).map { Excerpt.plain($0, limit: 120) }.joined(separator: separator)
                + (items.count > 10 ? "\(separator)… (\(items.count) in all)" : "")
        }
        var parts = [String]()
        if !missing.isEmpty { parts.append("missing \(listed(missing, separator: ", "))") }
        if !unexpected.isEmpty { parts.append("unexpected \(listed(unexpected, separator: ", "))") }
        if !misshaped.isEmpty { parts.append("mis-shaped \(listed(misshaped, separator: "; "))") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// Copies the tensors into `model`'s parameters by name.
    ///
    /// - Precondition: `mismatch(with:)` found nothing for the model's parameters.
    public func load(into model: any Module) {
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, parameter) in model.namedParameters {
            guard let tensor = byName[name], tensor.shape == parameter.shape else {
                preconditionFailure("Parameter '\(name)' of shape \(parameter.shape) is not in the parameter set.")
            }
            parameter.values = tensor.values
        }
    }
}

/// Why a parameter file cannot be used.
public struct ParameterSetError: Error, Equatable, CustomStringConvertible, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
    /// The sentence that says why, naming the file.
    public var description: String { message }
}
