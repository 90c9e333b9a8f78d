/// An array read from the IDX format of the MNIST and Fashion-MNIST files:
///
///     2 bytes      zero
///     1 byte       the element type: 08 unsigned byte, 09 signed byte, 0B 16-bit integer,
///                  0C 32-bit integer, 0D 32-bit float, 0E 64-bit float
///     1 byte       the number of dimensions, D
///     4·D bytes    each dimension's size, a big-endian 32-bit unsigned integer
///     the data     the elements, big-endian, row-major
///
/// MNIST's `train-images-idx3-ubyte` is `00 00 08 03`, then 60000, 28, 28; its labels file
/// `00 00 08 01`, then 60000. Files compressed with gzip (`.gz`) are decompressed on reading.
public struct IDXArray: Sendable, Equatable {
    /// The element type named by the third byte of the magic number.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        /// `0x08`: unsigned 8-bit integers (MNIST's pixels and labels).
        case unsignedByte = 0x08
        /// `0x09`: signed 8-bit integers.
        case signedByte = 0x09
        /// `0x0B`: big-endian signed 16-bit integers.
        case short = 0x0B
        /// `0x0C`: big-endian signed 32-bit integers.
        case int = 0x0C
        /// `0x0D`: big-endian 32-bit floats.
        case float = 0x0D
        /// `0x0E`: big-endian 64-bit floats.
        case double = 0x0E

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .unsignedByte, .signedByte: 1
            case .short: 2
            case .int, .float: 4
            case .double: 8
            }
        }

        /// Whether the elements are integers.
        public var isInteger: Bool { self != .float && self != .double }

        /// How an element is stored: big-endian, as every IDX element.
        var format: PackedArray.Format {
            switch self {
            case .unsignedByte: PackedArray.Format(kind: .unsigned, size: 1, isBigEndian: true)
            case .signedByte, .short, .int: PackedArray.Format(kind: .signed, size: size, isBigEndian: true)
            case .float, .double: PackedArray.Format(kind: .float, size: size, isBigEndian: true)
            }
        }
    }

    /// The sizes of the dimensions, first (slowest) first.
    public var shape: [Int]
    /// The elements, row-major, as doubles.
    public var values: [Double]
    /// The stored element type.
    public var elementType: ElementType

    /// Creates the array from its row-major values.
    public init(shape: [Int], values: [Double], elementType: ElementType) {
        self.shape = shape
        self.values = values
        self.elementType = elementType
    }

    /// Reads the IDX file at `path` (gzip-compressed or not).
    ///
    /// - Throws: `DataFileError` at the offending byte.
    public init(contentsOfFile path: String) throws(DataFileError) {
        try self.init(contents: DataFileContents(contentsOfFile: path, declaredSize: Self.declaredSize))
    }

    /// Reads an array from `contents`, the bytes of an IDX file.
    ///
    /// - Throws: `DataFileError` at the offending byte.
    public init(contents: DataFileContents) throws(DataFileError) {
        let (array, elementType) = try Self.read(contents)
        self.init(shape: array.shape, values: array.decoded.numbers ?? [], elementType: elementType)
    }

    /// Reads the array in `contents`, the bytes of an IDX file, leaving its elements packed; its
    /// data type is `idx` and the element type, such as `idx unsignedByte`.
    ///
    /// - Throws: `DataFileError` at the offending byte.
    static func read(_ contents: DataFileContents) throws(DataFileError) -> (array: PackedArray, elementType: ElementType) {
        let bytes = contents.bytes
        let header = try Header(contents)
        let available = bytes.count - header.dataStart, size = header.dataSize
        guard available >= size else {
            throw contents.error(at: bytes.count, "the data ends after \(available) of \(size) bytes: dimensions \(header.shapeText) of \(header.type.size)-byte elements need \(size) bytes (the file is truncated)")
        }
        guard available == size else {
            throw contents.error(at: header.dataStart + size, "\(available - size) bytes follow the data of dimensions \(header.shapeText)")
        }
        return (PackedArray(shape: header.shape, dataType: "idx \(header.type)", format: header.type.format, bytes: bytes, dataStart: header.dataStart), header.type)
    }

    /// The size of the IDX file whose first bytes are `prefix` (of a gzip-compressed file, which
    /// is decompressed no further than that), or `nil` if `prefix` does not hold a whole header.
    ///
    /// - Throws: `DataFileError` if the header's dimensions overflow or need more memory than there is.
    static func declaredSize(_ prefix: DataFileContents) throws(DataFileError) -> Int? {
        let bytes = prefix.bytes
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, ElementType(rawValue: bytes[2]) != nil,
              bytes.count >= 4 + 4 * Int(bytes[3]) else { return nil }
        let header = try Header(prefix)
        return header.dataStart + header.dataSize
    }

    /// The header: the element type and the dimensions, checked to be addressable and to fit in
    /// memory as doubles.
    struct Header {
        var type: ElementType
        var shape: [Int]
        var dataStart: Int
        /// The bytes of the elements.
        var dataSize: Int
        /// The dimensions as errors show them: up to 255 of them, so the first 8 and their count.
        var shapeText: String

        init(_ contents: DataFileContents) throws(DataFileError) {
            let bytes = contents.bytes
            guard bytes.count >= 4 else {
                throw contents.error(at: bytes.count, "the file ends inside the IDX magic number, after \(bytes.count) of 4 bytes (the file is truncated)")
            }
            let magic = bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
            guard bytes[0] == 0, bytes[1] == 0, let type = ElementType(rawValue: bytes[2]), bytes[3] > 0 else {
                let hint = bytes.starts(with: [0x93] + Array("NUMPY".utf8)) ? " (this is a .npy file: use kind: npy)" : ""
                throw contents.error(at: 0, "not an IDX file: the magic number is \(IDXArray.hex(magic)); IDX files start with 00 00, an element type (08 unsigned byte, 09 signed byte, 0B short, 0C int, 0D float, 0E double) and the number of dimensions (at least 1), such as 00000803 for MNIST images\(hint)")
            }
            let rank = Int(bytes[3])
            dataStart = 4 + 4 * rank
            guard bytes.count >= dataStart else {
                throw contents.error(at: bytes.count, "the file ends inside the \(rank) dimension sizes (the file is truncated)")
            }
            shape = (0..<rank).map { axis in bytes[(4 + 4 * axis)..<(8 + 4 * axis)].reduce(0) { $0 << 8 | Int($1) } }
            self.type = type
            var count = 1, overflow = false
            for dimension in shape where !overflow { (count, overflow) = count.multipliedReportingOverflow(by: dimension) }
            let (size, sizeOverflow) = count.multipliedReportingOverflow(by: type.size)
            shapeText = shape.count > 8 ? shape.prefix(8).map(String.init).joined(separator: "×") + "×… (\(shape.count) dimensions)"
                : shape.map(String.init).joined(separator: "×")
            guard !overflow, !sizeOverflow else {
                throw contents.error(at: 4, "dimensions \(shapeText) hold more elements than can be addressed")
            }
            dataSize = size
            // The elements become doubles: allocating more than the memory would end the process.
            let decodedSize = count.multipliedReportingOverflow(by: MemoryLayout<Double>.size)
            guard !decodedSize.overflow, decodedSize.partialValue <= DataFileContents.memoryLimit else {
                throw contents.error(at: 4, "dimensions \(shapeText) hold \(count) elements, which need more than the \(DataFileContents.memoryLimit) bytes of physical memory as doubles")
            }
        }
    }

    fileprivate static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
