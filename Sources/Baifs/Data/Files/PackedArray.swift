/// A numeric array whose elements are still the bytes of its file (`.npy` or IDX), row-major,
/// converted to doubles only where they are copied out.
///
/// Keeping the elements packed lets `ArrayDataset` convert each sample's row straight into the
/// dataset it is drawn for, instead of converting the whole array and then copying it apart.
struct PackedArray: Sendable {
    /// How one element is stored.
    struct Format: Sendable, Equatable {
        enum Kind: Sendable { case float, signed, unsigned }
        var kind: Kind
        /// Bytes per element: 1, 2, 4 or 8 (floats 2, 4 or 8).
        var size: Int
        var isBigEndian: Bool
    }

    /// The array's shape.
    var shape: [Int]
    /// The element type as the file names it (`<f8`, or `idx unsignedByte`).
    var dataType: String
    var format: Format
    /// The file's bytes; the elements start at `dataStart`.
    var bytes: [UInt8]
    var dataStart: Int

    /// Wraps the elements of `bytes` from `dataStart` on; they must hold the product of `shape`
    /// elements of `format`.
    init(shape: [Int], dataType: String, format: Format, bytes: [UInt8], dataStart: Int) {
        precondition(dataStart + shape.reduce(1, *) * format.size <= bytes.count,
                     "An array of shape \(shape) needs \(shape.reduce(1, *) * format.size) bytes after byte \(dataStart); the file has \(bytes.count).")
        self.shape = shape
        self.dataType = dataType
        self.format = format
        self.bytes = bytes
        self.dataStart = dataStart
    }

    /// The number of elements: the product of the shape.
    var count: Int { shape.reduce(1, *) }

    /// The array with every element converted: integers (and booleans) as `.integers`, floats as `.floats`.
    var decoded: NPYArray {
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            LargeBuffer.adviseHugePages(buffer)
            if let base = buffer.baseAddress { convert(0..<count, to: base) }
            initialized = count
        }
        return NPYArray(shape: shape, elements: format.kind == .float ? .floats(values) : .integers(values), dataType: dataType)
    }

    /// Writes the elements at `range` (element indices), as doubles, to `destination`.
    ///
    /// Each format has its own loop, with the byte order decided outside it, so that the compiler
    /// vectorises the conversion.
    func convert(_ range: Range<Int>, to destination: UnsafeMutablePointer<Double>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "Elements \(range) lie outside an array of \(count).")
        bytes.withUnsafeBytes { raw in
            let source = raw.baseAddress! + dataStart + range.lowerBound * format.size
            let count = range.count, big = format.isBigEndian
            switch (format.kind, format.size) {
            case (.unsigned, 1): Self.convert(source, count, to: destination, as: UInt8.self, big: big) { Double($0) }
            case (.unsigned, 2): Self.convert(source, count, to: destination, as: UInt16.self, big: big) { Double($0) }
            case (.unsigned, 4): Self.convert(source, count, to: destination, as: UInt32.self, big: big) { Double($0) }
            case (.unsigned, _): Self.convert(source, count, to: destination, as: UInt64.self, big: big) { Double($0) }
            case (.signed, 1): Self.convert(source, count, to: destination, as: Int8.self, big: big) { Double($0) }
            case (.signed, 2): Self.convert(source, count, to: destination, as: Int16.self, big: big) { Double($0) }
            case (.signed, 4): Self.convert(source, count, to: destination, as: Int32.self, big: big) { Double($0) }
            case (.signed, _): Self.convert(source, count, to: destination, as: Int64.self, big: big) { Double($0) }
            case (.float, 2): Self.convert(source, count, to: destination, as: UInt16.self, big: big) { Self.half($0) }
            case (.float, 4): Self.convert(source, count, to: destination, as: UInt32.self, big: big) { Double(Float(bitPattern: $0)) }
            case (.float, _): Self.convert(source, count, to: destination, as: UInt64.self, big: big) { Double(bitPattern: $0) }
            }
        }
    }

    /// `destination[i] = toDouble(element i)` for the `count` elements of `Stored` at `source`,
    /// stored big- or little-endian.
    @inline(__always)
    private static func convert<Stored: FixedWidthInteger>(_ source: UnsafeRawPointer, _ count: Int, to destination: UnsafeMutablePointer<Double>,
                                                           as _: Stored.Type, big: Bool, _ toDouble: (Stored) -> Double) {
        let stride = MemoryLayout<Stored>.size
        if big && stride > 1 {
            for index in 0..<count {
                destination[index] = toDouble(Stored(bigEndian: source.loadUnaligned(fromByteOffset: index * stride, as: Stored.self)))
            }
        } else {
            for index in 0..<count {
                destination[index] = toDouble(Stored(littleEndian: source.loadUnaligned(fromByteOffset: index * stride, as: Stored.self)))
            }
        }
    }

    /// The value of an IEEE 754 half-precision number: sign, 5 exponent bits (bias 15), 10 fraction bits.
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10) & 0x1F, fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
