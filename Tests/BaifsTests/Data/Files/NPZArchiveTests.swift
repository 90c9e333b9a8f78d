import Baifs
import TestSupport
import Testing

/// Archives written by `numpy.savez` and `numpy.savez_compressed` (see `Fixtures/npy/make-fixtures.py`).
struct NPZArchiveTests {
    @Test func readsArraysSavedWithSavez() throws {
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("npy/arrays.npz"))
        #expect(archive.arrayNames == ["features", "targets"])
        let features = try archive.array(named: "features")
        #expect(features.shape == [3, 2])
        #expect(features.elements == .floats([0, 1, 2, 3, 4, 5]))
        #expect(try archive.array(named: "targets.npy").elements == .strings(["b", "a", "b"]))
    }

    @Test func readsArraysSavedWithSavezCompressed() throws {
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("npy/compressed.npz"))
        let features = try archive.array(named: "features")
        #expect(features.shape == [300, 2])
        #expect(features.numbers == (0..<600).map { Double($0 % 7) })
        #expect(try archive.array(named: "targets").elements == .integers((0..<300).map { Double($0 % 3) }))
    }

    @Test func namesTheArraysWhenOneIsMissing() throws {
        let path = Fixtures.path("npy/arrays.npz")
        let archive = try NPZArchive(contentsOfFile: path)
        #expect(throws: DataFileError(path: path, location: .file,
                                      message: "the archive has no array 'featuers'; did you mean 'features'? (arrays: features, targets)")) {
            try archive.array(named: "featuers")
        }
    }

    @Test func reportsADamagedMemberByItsChecksum() throws {
        var bytes = try Fixtures.bytes("npy/arrays.npz")
        // The last value of `features` (5.0, little-endian f8) ends the first member's data.
        let five: [UInt8] = [0, 0, 0, 0, 0, 0, 0x14, 0x40]
        let index = try #require((0...(bytes.count - 8)).first { Array(bytes[$0..<($0 + 8)]) == five })
        bytes[index + 7] = 0x41
        let archive = try NPZArchive(contents: DataFileContents(bytes: bytes, path: "arrays.npz"))
        do {
            _ = try archive.array(named: "features")
            Issue.record("a damaged member was read")
        } catch {
            #expect(error.description.contains("member 'features.npy': CRC-32 mismatch"))
        }
    }

    @Test func reportsAFileThatIsNotAnArchive() throws {
        let bytes = try Fixtures.bytes("npy/u1.npy")
        #expect(throws: DataFileError(path: "u1.npz", location: .byte(0),
                                      message: "not an .npz (zip) archive: it has no end-of-central-directory record (this is a .npy file: name it with features: and targets: instead of path:)")) {
            try NPZArchive(contents: DataFileContents(bytes: bytes, path: "u1.npz"))
        }
    }

    @Test func reportsATruncatedArchive() throws {
        let bytes = try Fixtures.bytes("npy/compressed.npz")
        #expect(throws: DataFileError.self) {
            try NPZArchive(contents: DataFileContents(bytes: Array(bytes.prefix(300)), path: "cut.npz"))
        }
    }

    /// `bytes` of an archive with a zip64 extra field (ID 1) of `fieldSize` bytes holding `value`
    /// added to the central-directory entry at `entry`, whose uncompressed size becomes 0xFFFFFFFF
    /// (so that the field gives it); the directory's size in the end record grows to match.
    static func withZip64Size(_ bytes: [UInt8], entry: Int, fieldSize: Int, value: UInt64?) -> [UInt8] {
        func little(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var bytes = bytes
        let nameLength = Int(bytes[entry + 28]) | Int(bytes[entry + 29]) << 8
        let field = little(1, 2) + little(UInt64(fieldSize), 2) + (value.map { little($0, 8) } ?? [])
        bytes.replaceSubrange((entry + 24)..<(entry + 28), with: [0xFF, 0xFF, 0xFF, 0xFF])
        bytes.replaceSubrange((entry + 30)..<(entry + 32), with: little(UInt64(field.count), 2))
        bytes.insert(contentsOf: field, at: entry + 46 + nameLength)
        let end = bytes.count - 22
        let size = (0..<4).reduce(0) { $0 | Int(bytes[end + 12 + $1]) << (8 * $1) }
        bytes.replaceSubrange((end + 12)..<(end + 16), with: little(UInt64(size + field.count), 4))
        return bytes
    }

    /// The offsets of the central-directory entries of `bytes`.
    static func directoryEntries(_ bytes: [UInt8]) -> [Int] {
        (0...(bytes.count - 4)).filter { bytes[$0..<($0 + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) }
    }

    @Test func reportsAnExtraFieldLongerThanItsEntryInsteadOfReadingPastIt() throws {
        let bytes = try Fixtures.bytes("npy/arrays.npz")
        let last = try #require(Self.directoryEntries(bytes).last)
        // The field claims 65535 bytes; only the end record follows it.
        let damaged = Self.withZip64Size(bytes, entry: last, fieldSize: 0xFFFF, value: nil)
        let nameLength = Int(bytes[last + 28]) | Int(bytes[last + 29]) << 8
        #expect(throws: DataFileError(path: "damaged.npz", location: .byte(last + 46 + nameLength),
                                      message: "an extra field of 65535 bytes runs past its central-directory entry (the archive is damaged)")) {
            try NPZArchive(contents: DataFileContents(bytes: damaged, path: "damaged.npz"))
        }
    }

    @Test func aRecordedSizeOfExabytesIsNotAllocatedButReported() throws {
        let bytes = try Fixtures.bytes("npy/compressed.npz")
        let first = try #require(Self.directoryEntries(bytes).first)
        let lying = Self.withZip64Size(bytes, entry: first, fieldSize: 8, value: 1 << 62)
        let archive = try NPZArchive(contents: DataFileContents(bytes: lying, path: "lying.npz"))
        let honest = try NPZArchive(contents: DataFileContents(bytes: bytes, path: "compressed.npz")).array(named: "features")
        let memberSize = 128 + honest.count * 8
        #expect(throws: DataFileError(path: "lying.npz", location: .byte(first),
                                      message: "member 'features.npy': it holds \(memberSize) bytes, but the archive records 4611686018427387904")) {
            try archive.array(named: "features")
        }
    }

    @Test func theMissingArrayMessageShowsAFewShortenedNames() throws {
        let names = (0..<25).map { "array-\($0)-" + String(repeating: "x", count: 100) }
        let archive = try NPZArchive(contents: DataFileContents(bytes: Self.storedArchive(names: names), path: "many.npz"))
        let shown = (0..<10).map { "array-\($0)-" + String(repeating: "x", count: 40 - "array-\($0)-".count) + "…" }
        #expect(throws: DataFileError(path: "many.npz", location: .file,
                                      message: "the archive has no array 'features' (arrays: \(shown.joined(separator: ", ")), … (25 in all))")) {
            try archive.array(named: "features")
        }
    }

    /// A zip archive of empty stored members named `names` (with `.npy`).
    static func storedArchive(names: [String]) -> [UInt8] {
        func little(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var local = [UInt8](), directory = [UInt8]()
        for name in names {
            let encoded = Array((name + ".npy").utf8)
            directory += [0x50, 0x4B, 0x01, 0x02] + little(20, 2) + little(20, 2) + little(0, 2) + little(0, 2) + little(0, 4)
                + little(0, 4) + little(0, 4) + little(0, 4) + little(encoded.count, 2) + little(0, 2) + little(0, 2)
                + little(0, 2) + little(0, 2) + little(0, 4) + little(local.count, 4) + encoded
            local += [0x50, 0x4B, 0x03, 0x04] + little(20, 2) + little(0, 2) + little(0, 2) + little(0, 4) + little(0, 4)
                + little(0, 4) + little(0, 4) + little(encoded.count, 2) + little(0, 2) + encoded
        }
        let end: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + little(0, 4) + little(names.count, 2) + little(names.count, 2)
            + little(directory.count, 4) + little(local.count, 4) + little(0, 2)
        return local + directory + end
    }
}
