import Baifs
import TestSupport
import Testing

/// Gzip files written by Python's `zlib` and `gzip` (see `Fixtures/compression/make-fixtures.py`),
/// one per kind of DEFLATE block, and damaged copies of them.
struct GzipTests {
    static let text = (try? Fixtures.bytes("compression/text.txt")) ?? []

    static func failure(_ bytes: [UInt8]) -> InflateError? {
        do {
            _ = try Gzip.decompress(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["stored.gz", "fixed.gz", "dynamic.gz", "named.gz"])
    func decompressesWhatPythonCompressed(_ name: String) throws {
        #expect(Self.text.count == 5356)
        let compressed = try Fixtures.bytes("compression/\(name)")
        #expect(Gzip.isCompressed(compressed))
        #expect(try Gzip.decompress(compressed) == Self.text)
    }

    @Test func concatenatesMembers() throws {
        #expect(try Gzip.decompress(Fixtures.bytes("compression/two-members.gz")) == Self.text + Self.text)
    }

    @Test func reportsAChecksumMismatchAtTheTrailer() throws {
        var damaged = try Fixtures.bytes("compression/dynamic.gz")
        damaged[damaged.count - 8] ^= 0x01
        let error = try #require(Self.failure(damaged))
        #expect(error.offset == damaged.count - 8)
        #expect(error.message.hasPrefix("CRC-32 mismatch: the data decompresses to bytes whose checksum is "))
    }

    @Test func reportsADamagedBody() throws {
        var damaged = try Fixtures.bytes("compression/dynamic.gz")
        damaged[400] ^= 0x5A
        #expect(Self.failure(damaged) != nil)
    }

    @Test(arguments: [10, 200, 830])
    func reportsTruncation(at length: Int) throws {
        let bytes = try Fixtures.bytes("compression/dynamic.gz")
        let error = try #require(Self.failure(Array(bytes.prefix(length))))
        #expect(error.offset == length)
        #expect(error.message.contains("truncated"))
    }

    @Test func stopsAsSoonAsTheContentsPassTheLimit() throws {
        let dynamic = try Fixtures.bytes("compression/dynamic.gz")
        #expect(try Gzip.decompress(dynamic, limit: 5356) == Self.text)
        do {
            _ = try Gzip.decompress(dynamic, limit: 5355)
            Issue.record("5356 bytes were read under a limit of 5355")
        } catch {
            #expect(error.exceedsLimit)
            #expect(error.message == "the data decompresses to more than 5355 bytes")
        }
        // The limit is on all members together.
        let two = try Fixtures.bytes("compression/two-members.gz")
        do {
            _ = try Gzip.decompress(two, limit: 8000)
            Issue.record("two members of 5356 bytes were read under a limit of 8000")
        } catch {
            #expect(error == InflateError(offset: error.offset, message: "the data decompresses to more than 8000 bytes", exceedsLimit: true))
        }
    }

    @Test func rejectsDataThatIsNotGzip() throws {
        let error = try #require(Self.failure(Array("hello, world".utf8)))
        #expect(error == InflateError(offset: 0, message: "not gzip data: it starts with 68 65 instead of 1F 8B"))
    }
}
