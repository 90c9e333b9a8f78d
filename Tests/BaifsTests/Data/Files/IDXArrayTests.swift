import Baifs
import Foundation
import TestSupport
import Testing

/// IDX files built by the tests, byte by byte, as MNIST's are.
struct IDXArrayTests {
    /// An IDX file of `type` with dimensions `shape` and the big-endian element bytes `data`.
    static func idx(type: UInt8, shape: [Int], data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for dimension in shape { bytes += (0..<4).map { UInt8((dimension >> (8 * (3 - $0))) & 0xFF) } }
        return bytes + data
    }

    static func read(_ bytes: [UInt8], path: String = "images.idx") throws(DataFileError) -> IDXArray {
        try IDXArray(contents: DataFileContents(bytes: bytes, path: path))
    }

    @Test func readsUnsignedBytesAsMNISTStoresImages() throws {
        let array = try Self.read(Self.idx(type: 0x08, shape: [2, 2, 3], data: Array(0..<12) + []))
        #expect(array.shape == [2, 2, 3])
        #expect(array.elementType == .unsignedByte)
        #expect(array.values == (0..<12).map(Double.init))
    }

    @Test func readsEveryElementTypeBigEndian() throws {
        #expect(try Self.read(Self.idx(type: 0x09, shape: [2], data: [0xFF, 0x7F])).values == [-1, 127])
        #expect(try Self.read(Self.idx(type: 0x0B, shape: [2], data: [0xFF, 0xFE, 0x01, 0x00])).values == [-2, 256])
        #expect(try Self.read(Self.idx(type: 0x0C, shape: [1], data: [0x00, 0x01, 0x00, 0x00])).values == [65536])
        #expect(try Self.read(Self.idx(type: 0x0D, shape: [1], data: [0x3F, 0xC0, 0x00, 0x00])).values == [1.5])
        #expect(try Self.read(Self.idx(type: 0x0E, shape: [1], data: [0xC0, 0x04, 0, 0, 0, 0, 0, 0])).values == [-2.5])
    }

    @Test func reportsAWrongMagicNumber() {
        let bytes = Self.idx(type: 0x07, shape: [1], data: [0])
        #expect(throws: DataFileError(path: "images.idx", location: .byte(0),
                                      message: "not an IDX file: the magic number is 0x00000701; IDX files start with 00 00, an element type (08 unsigned byte, 09 signed byte, 0B short, 0C int, 0D float, 0E double) and the number of dimensions (at least 1), such as 00000803 for MNIST images")) {
            try Self.read(bytes)
        }
        #expect(throws: DataFileError.self) { try Self.read([0x93] + Array("NUMPY".utf8)) }
    }

    @Test func reportsTruncatedData() {
        let bytes = Self.idx(type: 0x08, shape: [3, 2, 2], data: Array(repeating: 1, count: 10))
        #expect(throws: DataFileError(path: "images.idx", location: .byte(26),
                                      message: "the data ends after 10 of 12 bytes: dimensions 3×2×2 of 1-byte elements need 12 bytes (the file is truncated)")) {
            try Self.read(bytes)
        }
        #expect(throws: DataFileError(path: "images.idx", location: .byte(6),
                                      message: "the file ends inside the 1 dimension sizes (the file is truncated)")) {
            try Self.read([0, 0, 8, 1, 0, 0])
        }
    }

    @Test func aHeaderOf255DimensionsIsReportedOnOneShortLine() {
        let bytes = Self.idx(type: 0x08, shape: [Int](repeating: 2, count: 255), data: [])
        #expect(throws: DataFileError(path: "images.idx", location: .byte(4),
                                      message: "dimensions 2×2×2×2×2×2×2×2×… (255 dimensions) hold more elements than can be addressed")) {
            try Self.read(bytes)
        }
        let ones = Self.idx(type: 0x08, shape: [Int](repeating: 1, count: 255), data: [])
        #expect(throws: DataFileError(path: "images.idx", location: .byte(1024),
                                      message: "the data ends after 0 of 1 bytes: dimensions 1×1×1×1×1×1×1×1×… (255 dimensions) of 1-byte elements need 1 bytes (the file is truncated)")) {
            try Self.read(ones)
        }
    }

    @Test func aCompressedFileIsDecompressedNoFurtherThanItsHeaderDeclares() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 2 labels, then 258 MB of zeros from 650 KB: it was decompressed whole before the extra bytes were found.
        try Data(gzipBomb(prefix: Self.idx(type: 0x08, shape: [2], data: [1, 0]), references: 1_000_000)).write(to: URL(fileURLWithPath: "\(folder)/bomb.gz"))
        #expect(throws: DataFileError(path: "\(folder)/bomb.gz", location: .decompressedByte(10),
                                      message: "the gzip data decompresses to more than the 10 bytes its header declares (more data follows the array, or it is a decompression bomb)")) {
            try IDXArray(contentsOfFile: "\(folder)/bomb.gz")
        }
        // A header whose elements would not fit in memory is refused before its data is decompressed.
        let huge = Self.idx(type: 0x08, shape: [1 << 31 - 1, 1 << 31 - 1], data: [])
        try Data(gzipBomb(prefix: huge, references: 10)).write(to: URL(fileURLWithPath: "\(folder)/huge.gz"))
        #expect(throws: DataFileError(path: "\(folder)/huge.gz", location: .decompressedByte(4),
                                      message: "dimensions 2147483647×2147483647 hold 4611686014132420609 elements, which need more than the \(DataFileContents.memoryLimit) bytes of physical memory as doubles")) {
            try IDXArray(contentsOfFile: "\(folder)/huge.gz")
        }
    }

    @Test func reportsErrorsAfterDecompressionAsSuch() {
        let contents = DataFileContents(bytes: [0, 0, 8, 1, 0, 0, 0, 2, 7], path: "labels.gz", wasDecompressed: true)
        #expect(throws: DataFileError(path: "labels.gz", location: .decompressedByte(9),
                                      message: "the data ends after 1 of 2 bytes: dimensions 2 of 1-byte elements need 2 bytes (the file is truncated)")) {
            try IDXArray(contents: contents)
        }
        #expect(DataFileError(path: "labels.gz", location: .decompressedByte(9), message: "m").description
                == "labels.gz: error: byte 9 after decompression: m")
    }
}
