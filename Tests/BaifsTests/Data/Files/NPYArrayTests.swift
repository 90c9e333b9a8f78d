import Baifs
import Foundation
import TestSupport
import Testing

/// `.npy` files written by NumPy (see `Fixtures/npy/make-fixtures.py`) and damaged copies of them.
struct NPYArrayTests {
    static func read(_ name: String) throws(DataFileError) -> NPYArray {
        try NPYArray(contentsOfFile: Fixtures.path("npy/\(name)"))
    }

    /// The error from reading `bytes` as the file `name`.
    static func failure(_ bytes: [UInt8], name: String = "data.npy") -> String? {
        do {
            _ = try NPYArray(contents: DataFileContents(bytes: bytes, path: name))
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: ["le-f2", "le-f4", "be-f8"])
    func readsFloatsOfEveryWidthAndByteOrder(_ name: String) throws {
        let array = try Self.read("\(name).npy")
        #expect(array.shape == [2, 3])
        #expect(array.elements == .floats([-2, -1, 0, 1, 2, 3]))
    }

    @Test(arguments: ["i1", "le-i2", "be-i4", "le-i8"])
    func readsSignedIntegers(_ name: String) throws {
        let array = try Self.read("\(name).npy")
        #expect(array.shape == [2, 3])
        #expect(array.elements == .integers([-2, -1, 0, 1, 2, 3]))
    }

    @Test(arguments: ["u1", "le-u2", "be-u4", "le-u8"])
    func readsUnsignedIntegers(_ name: String) throws {
        let array = try Self.read("\(name).npy")
        #expect(array.elements == .integers([0, 1, 2, 3, 4, 5]))
        #expect(array.count == 6)
    }

    @Test func readsBooleansStringsAndBytes() throws {
        #expect(try Self.read("bool.npy").elements == .integers([1, 0, 1]))
        let names = try Self.read("names.npy")
        #expect(names.dataType == "<U10")
        #expect(names.elements == .strings(["setosa", "versicolor", "virginica", "setosa"]))
        #expect(names.numbers == nil)
        #expect(try Self.read("bytes.npy").elements == .strings(["cat", "horse", "ox"]))
    }

    @Test func transposesFortranOrderToRowMajor() throws {
        let array = try Self.read("fortran.npy")
        #expect(array.shape == [2, 3, 4])
        #expect(array.elements == .floats((0..<24).map(Double.init)))
    }

    @Test func readsImagesAndVersion2Headers() throws {
        let images = try Self.read("images.npy")
        #expect(images.shape == [2, 1, 2, 4])
        #expect(images.numbers == (0..<16).map(Double.init))
        #expect(try Self.read("version2.npy").elements == .floats([0, 1, 2, 3]))
    }

    @Test func decodesHalfPrecisionSpecialValues() throws {
        // float16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), infinity.
        var bytes = try Fixtures.bytes("npy/le-f2.npy")
        let values: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x0000]
        for (index, value) in values.enumerated() {
            bytes[bytes.count - 12 + 2 * index] = UInt8(value & 0xFF)
            bytes[bytes.count - 11 + 2 * index] = UInt8(value >> 8)
        }
        let array = try NPYArray(contents: DataFileContents(bytes: bytes, path: "half.npy"))
        #expect(array.elements == .floats([1, -2, 65504, 0x1p-24, .infinity, 0]))
    }

    @Test func reportsATruncatedFileAtItsEnd() throws {
        let bytes = try Fixtures.bytes("npy/be-f8.npy")
        #expect(Self.failure(Array(bytes.dropLast(5))) ==
                "data.npy: error: byte 171: the data ends after 43 of 48 bytes: shape (2, 3) of '>f8' needs 48 bytes after the header (the file is truncated)")
        #expect(Self.failure(Array(bytes.prefix(60)))?.hasPrefix("data.npy: error: byte 60: the file ends inside the header, which is 118 bytes long") == true)
        #expect(Self.failure(Array(bytes.prefix(3))) == "data.npy: error: byte 0: not a .npy file: the file ends inside the magic string")
    }

    @Test func reportsExtraBytesAfterTheData() throws {
        let bytes = try Fixtures.bytes("npy/u1.npy") + [0, 0]
        #expect(Self.failure(bytes) == "data.npy: error: byte 134: 2 bytes follow the data: shape (2, 3) of '|u1' needs 6 bytes after the header, and the file has 8")
    }

    @Test func reportsUnsupportedTypesAtTheirDescription() throws {
        let complex = try #require(Self.failure(Fixtures.bytes("npy/complex.npy"), name: "complex.npy"))
        #expect(complex == "complex.npy: error: byte 20: unsupported dtype '<c16'; supported are floats (f2, f4, f8), signed and unsigned integers (i1…i8, u1…u8), booleans (b1) and strings (U, S), in either byte order")
        let object = try #require(Self.failure(Fixtures.bytes("npy/object.npy"), name: "object.npy"))
        #expect(object == "object.npy: error: byte 20: unsupported dtype '|O': it holds pickled Python objects; save a fixed-type array instead, such as array.astype(str) for names or array.astype(np.float64)")
    }

    /// A version 1 `.npy` file with `header` (padded) and `data`.
    static func npy(header: String, data: [UInt8] = []) -> [UInt8] {
        let padded = header + String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(padded.utf8.count & 0xFF), UInt8(padded.utf8.count >> 8)] + Array(padded.utf8) + data
    }

    @Test func longHeadersGiveOneShortLine() throws {
        let shape = "(" + String(repeating: "1, ", count: 300) + ")"
        let many = Self.npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }")
        #expect(Self.failure(many) == "data.npy: error: byte \(many.count): the data ends after 0 of 8 bytes: shape (1, 1, 1, 1, 1, 1, 1, 1, … 300 dimensions) of '<f8' needs 8 bytes after the header (the file is truncated)")
        let descr = "<" + String(repeating: "x", count: 3000)
        let long = Self.npy(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }")
        #expect(Self.failure(long) == "data.npy: error: byte 20: unsupported dtype '<\(String(repeating: "x", count: 79))…'; supported are floats (f2, f4, f8), signed and unsigned integers (i1…i8, u1…u8), booleans (b1) and strings (U, S), in either byte order")
        let key = Self.npy(header: "{'\(String(repeating: "k", count: 3000))\u{1B}': 1}")
        #expect(Self.failure(key) == "data.npy: error: byte 11: unexpected key '\(String(repeating: "k", count: 80))…' in the header; a .npy header has descr, fortran_order and shape")
    }

    @Test func aCompressedFileIsDecompressedNoFurtherThanItsHeaderDeclares() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let u1 = try Fixtures.bytes("npy/u1.npy")
        try Data(gzipBomb(prefix: u1, references: 1_000_000)).write(to: URL(fileURLWithPath: "\(folder)/bomb.npy.gz"))
        #expect(throws: DataFileError(path: "\(folder)/bomb.npy.gz", location: .decompressedByte(u1.count),
                                      message: "the gzip data decompresses to more than the \(u1.count) bytes its header declares (more data follows the array, or it is a decompression bomb)")) {
            try NPYArray(contentsOfFile: "\(folder)/bomb.npy.gz")
        }
    }

    @Test func reportsFilesThatAreNotNPY() {
        #expect(Self.failure(Array("a,b\n1,2\n".utf8)) == "data.npy: error: byte 0: not a .npy file: it does not start with the magic string \\x93NUMPY")
    }

    @Test func reportsAMalformedHeaderWhereItGoesWrong() throws {
        var bytes = try Fixtures.bytes("npy/u1.npy")
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        let shape = try #require(header.range(of: "(2, 3)"))
        bytes[10 + header.utf8.distance(from: header.startIndex, to: shape.lowerBound) + 1] = UInt8(ascii: "x")
        #expect(Self.failure(bytes)?.hasSuffix("malformed .npy header: expected a non-negative integer dimension, found 'x'") == true)
    }

    @Test func readsThroughGzip() throws {
        let npy = try Fixtures.bytes("npy/u1.npy")
        let contents = DataFileContents(bytes: try Gzip.decompress(gzipStored(npy)), path: "u1.npy.gz", wasDecompressed: true)
        #expect(try NPYArray(contents: contents).elements == .integers([0, 1, 2, 3, 4, 5]))
        let truncated = DataFileContents(bytes: Array(npy.dropLast()), path: "u1.npy.gz", wasDecompressed: true)
        #expect(throws: DataFileError(path: "u1.npy.gz", location: .decompressedByte(133),
                                      message: "the data ends after 5 of 6 bytes: shape (2, 3) of '|u1' needs 6 bytes after the header (the file is truncated)")) {
            try NPYArray(contents: truncated)
        }
    }
}
