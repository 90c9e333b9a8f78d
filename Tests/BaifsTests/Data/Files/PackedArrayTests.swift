@testable import Baifs
import Testing

/// Every element format, in both byte orders, against Swift's own conversion of the same values.
struct PackedArrayTests {
    /// A format, values stored in it (one bit pattern each, widened to 64 bits), and the doubles they denote.
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: PackedArray.Format.Kind
        var size: Int
        var patterns: [UInt64]
        var expected: [Double]
        var testDescription: String { "\(kind) \(size)" }

        init<Stored: FixedWidthInteger>(_ kind: PackedArray.Format.Kind, _ values: [Stored], _ toDouble: (Stored) -> Double) {
            self.kind = kind
            size = MemoryLayout<Stored>.size
            patterns = values.map { UInt64(truncatingIfNeeded: $0) }
            expected = values.map(toDouble)
        }
    }

    static let cases: [Case] = [
        Case(.unsigned, [0, 1, 127, 128, 255] as [UInt8]) { Double($0) },
        Case(.unsigned, [0, 1, 0x1234, 0x8000, .max] as [UInt16]) { Double($0) },
        Case(.unsigned, [0, 1, 0x1234_5678, 0x8000_0000, .max] as [UInt32]) { Double($0) },
        Case(.unsigned, [0, 1, 0x1234_5678_9ABC_DEF0, 1 << 53 + 1, .max] as [UInt64]) { Double($0) },
        Case(.signed, [.min, -1, 0, 1, .max] as [Int8]) { Double($0) },
        Case(.signed, [.min, -1, 0, 0x1234, .max] as [Int16]) { Double($0) },
        Case(.signed, [.min, -1, 0, 0x1234_5678, .max] as [Int32]) { Double($0) },
        Case(.signed, [.min, -1, 0, -(1 << 53) - 1, .max] as [Int64]) { Double($0) },
        // Half precision: 1, -2, 65504 (largest), 2⁻²⁴ (smallest subnormal), 2⁻¹⁴ (smallest normal), −0, −∞.
        Case(.float, [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0400, 0x8000, 0xFC00] as [UInt16]) { PackedArray.half($0) },
        Case(.float, [1.5, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity, .nan].map { (value: Float) in value.bitPattern }) {
            Double(Float(bitPattern: $0))
        },
        Case(.float, [1.5, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .infinity, .nan].map { (value: Double) in value.bitPattern }) {
            Double(bitPattern: $0)
        },
    ]

    /// An array of `test`'s values stored in the given byte order after `padding` bytes of header.
    static func packed(_ test: Case, bigEndian: Bool, padding: Int = 3) -> PackedArray {
        var bytes = [UInt8](repeating: 0xEE, count: padding)
        for pattern in test.patterns {
            let littleEndian = (0..<test.size).map { UInt8(truncatingIfNeeded: pattern >> (8 * $0)) }
            bytes += bigEndian ? littleEndian.reversed() : littleEndian
        }
        return PackedArray(shape: [test.patterns.count], dataType: "test", format: .init(kind: test.kind, size: test.size, isBigEndian: bigEndian),
                           bytes: bytes, dataStart: padding)
    }

    @Test(arguments: cases, [false, true])
    func convertsEveryFormatInEitherByteOrder(_ test: Case, bigEndian: Bool) {
        let array = Self.packed(test, bigEndian: bigEndian)
        let values = array.decoded.numbers ?? []
        #expect(values.map(\.bitPattern) == test.expected.map(\.bitPattern))
        switch array.decoded.elements {
        case .floats: #expect(test.kind == .float)
        case .integers: #expect(test.kind != .float)
        case .strings: Issue.record("numbers decoded as strings")
        }
    }

    @Test(arguments: cases)
    func convertsARangeInPlace(_ test: Case) {
        let array = Self.packed(test, bigEndian: true)
        var destination = [Double](repeating: 7, count: 5)
        destination.withUnsafeMutableBufferPointer { array.convert(2..<4, to: $0.baseAddress! + 1) }
        let expected = [7] + test.expected[2..<4] + [7, 7]
        #expect(destination.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
