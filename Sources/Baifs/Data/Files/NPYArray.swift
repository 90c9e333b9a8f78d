/// An array read from NumPy's `.npy` format (`numpy.save`), version 1, 2 or 3:
///
///     6 bytes      the magic string "\x93NUMPY"
///     2 bytes      the format version, major and minor
///     2 or 4 bytes the header's length, little-endian (2 bytes in version 1, 4 in 2 and 3)
///     the header   a Python dictionary literal, {'descr': '<f8', 'fortran_order': False, 'shape': (150, 4), }
///     the data     the elements, in C (row-major) or Fortran (column-major) order
///
/// Element types (`descr`): floats of 2, 4 or 8 bytes (`f2`, `f4`, `f8`), signed and unsigned
/// integers of 1, 2, 4 or 8 bytes (`i1`…`i8`, `u1`…`u8`), booleans (`b1`), and fixed-width strings
/// (`U` for UTF-32, `S` for bytes), little- or big-endian (`<`, `>`, `|`, `=`). Fortran-order arrays
/// are transposed to row-major order on reading. Other types (complex numbers, dates, Python
/// objects, structured records) are reported as errors.
public struct NPYArray: Sendable, Equatable {
    /// The elements, row-major.
    public enum Elements: Sendable, Equatable {
        /// Floating-point values.
        case floats([Double])
        /// Integer or boolean values (booleans as 0 and 1), as doubles; exact below 2⁵³ in magnitude.
        case integers([Double])
        /// Strings, without their padding NUL characters.
        case strings([String])
    }

    /// The array's shape; `[]` for a scalar.
    public var shape: [Int]
    /// The elements, row-major.
    public var elements: Elements
    /// The element type as NumPy writes it, such as `<f8`.
    public var dataType: String

    /// Creates the array; `dataType` is the header's `descr` (`<f8`).
    public init(shape: [Int], elements: Elements, dataType: String) {
        self.shape = shape
        self.elements = elements
        self.dataType = dataType
    }

    /// The number of elements: the product of the shape.
    public var count: Int { shape.reduce(1, *) }

    /// The numeric elements as doubles, or `nil` for strings.
    public var numbers: [Double]? {
        switch elements {
        case .floats(let values), .integers(let values): values
        case .strings: nil
        }
    }

    /// Reads the `.npy` file at `path` (gzip-compressed or not).
    ///
    /// - Throws: `DataFileError` at the offending byte.
    public init(contentsOfFile path: String) throws(DataFileError) {
        try self.init(contents: DataFileContents(contentsOfFile: path, declaredSize: Self.declaredSize))
    }

    /// Reads an array from `contents`, the bytes of a `.npy` file.
    ///
    /// - Throws: `DataFileError` at the offending byte.
    public init(contents: DataFileContents) throws(DataFileError) {
        self = try Self.read(contents).decoded
    }

    /// Reads the array in `contents`, the bytes of a `.npy` file, leaving numbers stored in
    /// row-major (C) order packed; strings and Fortran-order arrays are decoded.
    ///
    /// - Throws: `DataFileError` at the offending byte.
    static func read(_ contents: DataFileContents) throws(DataFileError) -> FileArray {
        let bytes = contents.bytes
        let layout = try Layout(contents)
        let (header, type, dataStart, size, count) = (layout.header, layout.header.type, layout.dataStart, layout.dataSize, layout.count)
        let shapeText = NPYHeader.text(of: header.shape)
        let available = bytes.count - dataStart
        guard available >= size else {
            throw contents.error(at: bytes.count, "the data ends after \(available) of \(size) bytes: shape \(shapeText) of '\(header.descr)' needs \(size) bytes after the header (the file is truncated)")
        }
        guard available == size else {
            throw contents.error(at: dataStart + size, "\(available - size) bytes follow the data: shape \(shapeText) of '\(header.descr)' needs \(size) bytes after the header, and the file has \(available)")
        }

        var elements: Elements
        if let format = type.numberFormat {
            let packed = PackedArray(shape: header.shape, dataType: header.descr, format: format, bytes: bytes, dataStart: dataStart)
            guard header.isFortranOrder && header.shape.count > 1 else { return .packed(packed) }
            elements = packed.decoded.elements
        } else {
            elements = try bytes.withUnsafeBufferPointer { buffer throws(DataFileError) -> Elements in
                let data = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[dataStart..<(dataStart + size)])
                return .strings(try type.strings(data, count: count, contents: contents, dataStart: dataStart))
            }
        }
        if header.isFortranOrder && header.shape.count > 1 {
            let order = Self.rowMajorOrder(ofColumnMajor: header.shape)
            switch elements {
            case .floats(let values): elements = .floats(order.map { values[$0] })
            case .integers(let values): elements = .integers(order.map { values[$0] })
            case .strings(let values): elements = .strings(order.map { values[$0] })
            }
        }
        return .decoded(NPYArray(shape: header.shape, elements: elements, dataType: header.descr))
    }

    /// For each row-major position in an array of `shape`, the position of the same element when
    /// the array is stored column-major (first index fastest).
    static func rowMajorOrder(ofColumnMajor shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.dropFirst() { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        let count = shape.reduce(1, *)
        var order = [Int]()
        order.reserveCapacity(count)
        var index = [Int](repeating: 0, count: shape.count)
        for _ in 0..<count {
            order.append(zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 })
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return order
    }
}

extension NPYArray {
    /// The size of the `.npy` file whose first bytes are `prefix` (of a gzip-compressed file, which
    /// is decompressed no further than that), or `nil` if `prefix` does not hold the whole header.
    ///
    /// - Throws: `DataFileError` if the header is malformed, or its shape overflows or needs more
    ///   memory than there is.
    static func declaredSize(_ prefix: DataFileContents) throws(DataFileError) -> Int? {
        let bytes = prefix.bytes
        guard bytes.starts(with: [0x93] + Array("NUMPY".utf8)), bytes.count >= 12, (1...3).contains(bytes[6]) else { return nil }
        let headerEnd = bytes[6] == 1 ? 10 + (Int(bytes[8]) | Int(bytes[9]) << 8)
            : 12 + (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        guard bytes.count >= headerEnd else { return nil }
        let layout = try Layout(prefix)
        return layout.dataStart + layout.dataSize
    }

    /// The header of a `.npy` file and the size of its data, checked to be addressable and to fit
    /// in memory once read.
    struct Layout {
        var header: NPYHeader
        var dataStart: Int
        /// The bytes of the elements.
        var dataSize: Int
        /// The number of elements.
        var count: Int

        init(_ contents: DataFileContents) throws(DataFileError) {
            let bytes = contents.bytes
            let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
            guard bytes.starts(with: magic) else {
                let what = bytes.count < magic.count && magic.starts(with: bytes) ? "the file ends inside the magic string" : "it does not start with the magic string \\x93NUMPY"
                throw contents.error(at: 0, "not a .npy file: \(what)")
            }
            guard bytes.count >= 10 else { throw contents.error(at: bytes.count, "the file ends inside the format version and header length (the file is truncated)") }
            let major = bytes[6]
            guard (1...3).contains(major) else {
                throw contents.error(at: 6, "unsupported .npy format version \(major).\(bytes[7]); versions 1, 2 and 3 are read")
            }
            let headerStart = major == 1 ? 10 : 12
            guard bytes.count >= headerStart else { throw contents.error(at: bytes.count, "the file ends inside the header length (the file is truncated)") }
            let headerLength = major == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
                : (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
            dataStart = headerStart + headerLength
            guard dataStart <= bytes.count else {
                throw contents.error(at: bytes.count, "the file ends inside the header, which is \(headerLength) bytes long (the file is truncated)")
            }
            header = try NPYHeader(bytes: bytes, range: headerStart..<dataStart, contents: contents)
            var count = 1, overflow = false
            for dimension in header.shape where !overflow { (count, overflow) = count.multipliedReportingOverflow(by: dimension) }
            let (size, sizeOverflow) = count.multipliedReportingOverflow(by: header.type.size)
            let shapeText = NPYHeader.text(of: header.shape)
            guard !overflow, !sizeOverflow else {
                throw contents.error(at: header.shapeOffset, "shape \(shapeText) of '\(header.descr)' holds more elements than can be addressed")
            }
            (self.count, dataSize) = (count, size)
            // Numbers become doubles and strings `String`s (16 bytes each, more if long): allocating more than the memory would end the process.
            let decodedSize = count.multipliedReportingOverflow(by: header.type.numberFormat == nil ? 16 : MemoryLayout<Double>.size)
            guard !decodedSize.overflow, decodedSize.partialValue <= DataFileContents.memoryLimit else {
                throw contents.error(at: header.shapeOffset, "shape \(shapeText) holds \(count) elements, which need more than the \(DataFileContents.memoryLimit) bytes of physical memory once read")
            }
        }
    }
}

/// The element type of a `.npy` file, decoded from its `descr`.
struct NPYElementType {
    enum Kind { case float, signed, unsigned, boolean, unicode, bytes }
    var kind: Kind
    /// Bytes per element.
    var size: Int
    var isBigEndian: Bool

    /// The type `descr` names, or `nil` with the reason it is not read.
    static func parse(_ descr: String) -> Result<NPYElementType, NPYUnsupportedType> {
        var characters = Substring(descr)
        var isBigEndian = false
        if let order = characters.first, "<>|=".contains(order) {
            isBigEndian = order == ">"
            characters = characters.dropFirst()
        }
        guard let code = characters.first else { return .failure(.unknown) }
        let width = characters.dropFirst()
        if code == "O" { return .failure(.object) }
        if "cmMV".contains(code) { return .failure(.named(code)) }
        guard let size = Int(width), size > 0 else { return .failure(.unknown) }
        let kind: Kind
        switch code {
        case "f" where [2, 4, 8].contains(size): kind = .float
        case "i" where [1, 2, 4, 8].contains(size): kind = .signed
        case "u" where [1, 2, 4, 8].contains(size): kind = .unsigned
        case "b" where size == 1: kind = .boolean
        case "U": kind = .unicode
        case "S", "a": kind = .bytes
        default: return .failure(.unknown)
        }
        let (bytes, overflow) = size.multipliedReportingOverflow(by: kind == .unicode ? 4 : 1)
        guard !overflow else { return .failure(.unknown) }
        return .success(NPYElementType(kind: kind, size: bytes, isBigEndian: isBigEndian))
    }

    /// How a numeric element is stored, or `nil` for strings. Booleans are unsigned bytes.
    var numberFormat: PackedArray.Format? {
        switch kind {
        case .float: PackedArray.Format(kind: .float, size: size, isBigEndian: isBigEndian)
        case .signed: PackedArray.Format(kind: .signed, size: size, isBigEndian: isBigEndian)
        case .unsigned, .boolean: PackedArray.Format(kind: .unsigned, size: size, isBigEndian: isBigEndian)
        case .unicode, .bytes: nil
        }
    }

    /// Decodes `count` string elements (UTF-32 or bytes) from `data`.
    func strings(_ data: UnsafeRawBufferPointer, count: Int, contents: DataFileContents,
                 dataStart: Int) throws(DataFileError) -> [String] {
        var strings = [String]()
        strings.reserveCapacity(count)
        for index in 0..<count {
            if kind == .unicode {
                var scalars = String.UnicodeScalarView()
                for unit in 0..<(size / 4) {
                    let offset = index * size + unit * 4
                    let stored = data.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                    let value = isBigEndian ? UInt32(bigEndian: stored) : UInt32(littleEndian: stored)
                    if value == 0 { break }
                    guard let scalar = Unicode.Scalar(value) else {
                        throw contents.error(at: dataStart + offset, "element \(index) holds \(value), which is not a Unicode character")
                    }
                    scalars.append(scalar)
                }
                strings.append(String(scalars))
            } else {
                let element = data[(index * size)..<((index + 1) * size)]
                let end = element.firstIndex(of: 0) ?? element.endIndex
                strings.append(String(decoding: element[element.startIndex..<end], as: UTF8.self))
            }
        }
        return strings
    }
}

/// Why an element type is not read.
enum NPYUnsupportedType: Error {
    case object
    case named(Character)
    case unknown
}

/// The header of a `.npy` file: a Python dictionary literal with the keys `descr` (a string),
/// `fortran_order` (`True` or `False`) and `shape` (a tuple of non-negative integers).
struct NPYHeader {
    var descr: String
    var type: NPYElementType
    var isFortranOrder: Bool
    var shape: [Int]
    /// The offset of the shape's opening parenthesis, for errors about the shape.
    var shapeOffset: Int

    /// `(a, b)` as Python prints a tuple: `(a,)` for one element; of a shape with more than 8
    /// dimensions (a header may list hundreds), the first 8 and their count: `(1, 2, …, 9 dimensions)`.
    static func text(of shape: [Int]) -> String {
        if shape.count > 8 { return "(\(shape.prefix(8).map(String.init).joined(separator: ", ")), … \(shape.count) dimensions)" }
        return shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
    }

    /// Parses the header in `bytes[range]`.
    init(bytes: [UInt8], range: Range<Int>, contents: DataFileContents) throws(DataFileError) {
        var parser = Parser(bytes: bytes, position: range.lowerBound, end: range.upperBound, contents: contents)
        var descr: (String, Int)?, fortran: Bool?, shape: ([Int], Int)?
        try parser.expect("{")
        while true {
            parser.skipSpaces()
            if parser.peek() == UInt8(ascii: "}") { break }
            let keyOffset = parser.position
            let key = try parser.string()
            parser.skipSpaces()
            try parser.expect(":")
            parser.skipSpaces()
            let valueOffset = parser.position
            switch key {
            case "descr":
                guard parser.peek() == UInt8(ascii: "'") || parser.peek() == UInt8(ascii: "\"") else {
                    throw contents.error(at: valueOffset, "the dtype is a structured (record) type, which is not read; save a plain numeric or string array")
                }
                descr = (try parser.string(), valueOffset)
            case "fortran_order": fortran = try parser.boolean()
            case "shape": shape = (try parser.tuple(), valueOffset)
            default: throw contents.error(at: keyOffset, "unexpected key \(Excerpt.quoted(key)) in the header; a .npy header has descr, fortran_order and shape")
            }
            parser.skipSpaces()
            guard parser.peek() == UInt8(ascii: ",") else { break }
            parser.position += 1
        }
        parser.skipSpaces()
        try parser.expect("}")
        guard let descr, let fortran, let shape else {
            let missing = [descr == nil ? "descr" : nil, fortran == nil ? "fortran_order" : nil, shape == nil ? "shape" : nil].compactMap { $0 }
            throw contents.error(at: range.lowerBound, "the header lacks \(missing.joined(separator: ", "))")
        }
        switch NPYElementType.parse(descr.0) {
        case .success(let type): self.type = type
        case .failure(.object):
            throw contents.error(at: descr.1, "unsupported dtype \(Excerpt.quoted(descr.0)): it holds pickled Python objects; save a fixed-type array instead, such as array.astype(str) for names or array.astype(np.float64)")
        case .failure:
            throw contents.error(at: descr.1, "unsupported dtype \(Excerpt.quoted(descr.0)); supported are floats (f2, f4, f8), signed and unsigned integers (i1…i8, u1…u8), booleans (b1) and strings (U, S), in either byte order")
        }
        self.descr = descr.0
        self.isFortranOrder = fortran
        self.shape = shape.0
        self.shapeOffset = shape.1
    }

    /// Reads the Python literals of a header.
    private struct Parser {
        let bytes: [UInt8]
        var position: Int
        let end: Int
        let contents: DataFileContents

        func peek() -> UInt8? { position < end ? bytes[position] : nil }

        mutating func skipSpaces() {
            while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { position += 1 }
        }

        func error(_ expected: String) -> DataFileError {
            let found = peek().map { $0 >= 0x20 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : "byte \($0)" } ?? "the end of the header"
            return contents.error(at: position, "malformed .npy header: expected \(expected), found \(found)")
        }

        mutating func expect(_ character: Character) throws(DataFileError) {
            guard peek() == character.asciiValue else { throw error("'\(character)'") }
            position += 1
        }

        mutating func string() throws(DataFileError) -> String {
            guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else { throw error("a quoted string") }
            let start = position + 1
            position = start
            while let byte = peek(), byte != quote { position += 1 }
            guard peek() == quote else { throw error("a closing quote") }
            position += 1
            return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
        }

        mutating func boolean() throws(DataFileError) -> Bool {
            for (word, value) in [("True", true), ("False", false)] where bytes[position..<end].starts(with: word.utf8) {
                position += word.utf8.count
                return value
            }
            throw error("True or False")
        }

        mutating func tuple() throws(DataFileError) -> [Int] {
            try expect("(")
            var values = [Int]()
            while true {
                skipSpaces()
                if peek() == UInt8(ascii: ")") { break }
                let start = position
                while let byte = peek(), (0x30...0x39).contains(byte) || byte == UInt8(ascii: "L") { position += 1 }
                let digits = String(decoding: bytes[start..<position], as: UTF8.self).filter { $0 != "L" }
                guard let value = Int(digits) else {
                    position = start
                    throw error("a non-negative integer dimension")
                }
                values.append(value)
                skipSpaces()
                guard peek() == UInt8(ascii: ",") else { break }
                position += 1
            }
            skipSpaces()
            try expect(")")
            return values
        }
    }
}
