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
}
