import Autograd
import Baifs
import Foundation

/// Named tensors in the safetensors format, which PyTorch, JAX, MLX and NumPy load
/// (`safetensors.torch.load_file`, `safetensors.numpy.load_file`, `mx.load`):
///
///     8 bytes        N, the header's length, an unsigned little-endian integer
///     N bytes        a JSON object: per tensor {"dtype": "F32" or "F64", "shape": [...],
///                    "data_offsets": [begin, end]}, and "__metadata__" (strings to strings);
///                    padded with spaces so that the data starts at a multiple of 8
///     the data       each tensor's values, row-major, little-endian, one after another;
///                    offsets count from the first byte after the header
///
/// Tensors are written in the order given (for a model, its `state_dict` order).
public struct SafetensorsFile: Equatable, Sendable {
    /// The element type of the stored values.
    public enum DataType: String, Sendable, CaseIterable {
        /// `F32`: IEEE 754 single precision, 4 bytes; values are rounded to it when written.
        case float32 = "F32"
        /// `F64`: IEEE 754 double precision, 8 bytes; values are written exactly.
        case float64 = "F64"

        /// Bytes per value.
        public var size: Int { self == .float32 ? 4 : 8 }
    }

    /// One named tensor.
    public struct Tensor: Equatable, Sendable {
        /// The tensor's key in the header: for a model, the parameter's name (`layers.0.weight`).
        public var name: String
        /// The tensor's shape, such as `[out, in]` for a linear layer's weight.
        public var shape: [Int]
        /// The values, row-major (as doubles, whatever the stored type).
        public var values: [Double]

        /// Creates a tensor; `values` must hold exactly the product of `shape`'s dimensions.
        public init(name: String, shape: [Int], values: [Double]) {
            precondition(shape.reduce(1, *) == values.count, "Tensor \(name) of shape \(shape) needs \(shape.reduce(1, *)) values; got \(values.count).")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The tensors, in file order.
    public var tensors: [Tensor]
    /// Free-form string metadata.
    public var metadata: [(key: String, value: String)]
    /// The stored element type.
    public var dataType: DataType

    /// Creates a file of `tensors`, in this order, stored as `dataType`, with `metadata` in the
    /// header's `__metadata__`.
    public init(tensors: [Tensor], metadata: [(key: String, value: String)] = [], dataType: DataType) {
        self.tensors = tensors
        self.metadata = metadata
        self.dataType = dataType
    }

    public static func == (lhs: SafetensorsFile, rhs: SafetensorsFile) -> Bool {
        lhs.tensors == rhs.tensors && lhs.dataType == rhs.dataType
            && lhs.metadata.map(\.key) == rhs.metadata.map(\.key) && lhs.metadata.map(\.value) == rhs.metadata.map(\.value)
    }

    // MARK: - Writing

    /// The file's bytes.
    public var data: Data {
        var header: [(String, JSONValue)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.map { ($0.key, JSONValue.string($0.value)) })))
        }
        var offset = 0
        for tensor in tensors {
            let end = offset + tensor.values.count * dataType.size
            header.append((tensor.name, .object([
                ("dtype", .string(dataType.rawValue)),
                ("shape", .integers(tensor.shape)),
                ("data_offsets", .integers([offset, end])),
            ])))
            offset = end
        }
        var headerText = JSONValue.object(header).compactText()
        while (8 + headerText.utf8.count) % 8 != 0 { headerText += " " }

        var bytes = Data()
        bytes.reserveCapacity(8 + headerText.utf8.count + offset)
        appendLittleEndian(UInt64(headerText.utf8.count), to: &bytes)
        bytes.append(contentsOf: Array(headerText.utf8))
        for tensor in tensors {
            for value in tensor.values {
                switch dataType {
                case .float32: appendLittleEndian(Float(value).bitPattern, to: &bytes)
                case .float64: appendLittleEndian(value.bitPattern, to: &bytes)
                }
            }
        }
        return bytes
    }

    private func appendLittleEndian<Integer: FixedWidthInteger>(_ value: Integer, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    // MARK: - Reading

    /// Reads a file written in the format (every tensor of one type, F32 or F64).
    ///
    /// - Throws: `SafetensorsError` saying what is malformed.
    public init(data: Data) throws(SafetensorsError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw SafetensorsError("the file has \(bytes.count) bytes, fewer than the 8 of the header's length") }
        let writtenLength = Self.readLittleEndian(UInt64.self, bytes, at: 0)
        guard let headerLength = Int(exactly: writtenLength), headerLength <= bytes.count - 8 else {
            throw SafetensorsError("the header's length \(writtenLength) exceeds the file's \(bytes.count - 8) remaining bytes")
        }
        let headerData = Data(bytes[8..<(8 + headerLength)])
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw SafetensorsError("the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        var entries: [(name: String, begin: Int, tensor: Tensor, type: DataType)] = []
        var metadata: [(key: String, value: String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let pairs = value as? [String: String] else { throw SafetensorsError("__metadata__ is not a mapping of strings to strings") }
                metadata = pairs.map { ($0.key, $0.value) }.sorted { $0.key < $1.key }
                continue
            }
            guard let entry = value as? [String: Any], let typeName = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw SafetensorsError("tensor \(Excerpt.quoted(name)) lacks dtype, shape or data_offsets")
            }
            guard let type = DataType(rawValue: typeName) else { throw SafetensorsError("tensor \(Excerpt.quoted(name)) has dtype \(Excerpt.quoted(typeName)); only F32 and F64 are read") }
            var count = 1, overflow = false
            for dimension in shape where !overflow { (count, overflow) = count.multipliedReportingOverflow(by: max(0, dimension)) }
            let (size, sizeOverflow) = count.multipliedReportingOverflow(by: type.size)
            guard !overflow, !sizeOverflow, shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0],
                  offsets[1] - offsets[0] == size, offsets[1] <= bytes.count - dataStart else {
                throw SafetensorsError("tensor \(Excerpt.quoted(name)) has data_offsets \(offsets) that do not fit its shape \(shape) or the file")
            }
            let values = (0..<count).map { index -> Double in
                let position = dataStart + offsets[0] + index * type.size
                return type == .float32
                    ? Double(Float(bitPattern: Self.readLittleEndian(UInt32.self, bytes, at: position)))
                    : Double(bitPattern: Self.readLittleEndian(UInt64.self, bytes, at: position))
            }
            entries.append((name, offsets[0], Tensor(name: name, shape: shape, values: values), type))
        }
        entries.sort { $0.begin < $1.begin }
        let types = Set(entries.map(\.type))
        guard types.count <= 1 else { throw SafetensorsError("the tensors mix dtypes \(types.map(\.rawValue).sorted())") }
        self.init(tensors: entries.map(\.tensor), metadata: metadata, dataType: types.first ?? .float32)
    }

    private static func readLittleEndian<Integer: FixedWidthInteger>(_ type: Integer.Type, _ bytes: [UInt8], at position: Int) -> Integer {
        var value = Integer.zero
        for offset in (0..<MemoryLayout<Integer>.size).reversed() {
            value = value << 8 | Integer(bytes[position + offset])
        }
        return value
    }
}

/// A malformed safetensors file.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
    /// The sentence that says what is malformed.
    public var description: String { message }
}
