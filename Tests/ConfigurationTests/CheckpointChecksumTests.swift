import Configuration
import Foundation
@testable import Configuration
import Testing

/// `SHA256` against the FIPS 180-4 examples, and `CheckpointChecksum` on documents.
struct CheckpointChecksumTests {
    @Test func sha256MatchesTheStandardsExamples() {
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a's given in uneven pieces, as a file is hashed while it is written.
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let count = min(piece, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            remaining -= count
            piece = piece * 3 % 1000 + 1
        }
        #expect(hasher.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func theChecksumCoversTheCanonicalFormWithoutItself() throws {
        let sealed = CheckpointChecksum.resealed("{\n  \"a\": [1.0, 2.5],\n  \"b\": \"x y\"\n}\n")
        let digest = sha256Hex(Array("{\"a\":[1.0,2.5],\"b\":\"x y\"}".utf8))
        #expect(sealed == "{\n  \"a\": [1.0, 2.5],\n  \"b\": \"x y\",\n  \"checksum\": \"sha256:\(digest)\"\n}\n")
        #expect(try CheckpointChecksum.verify(Data(sealed.utf8), path: "c.json"))
        // Layout outside strings does not matter; a space inside a string, or a digit, does.
        let compact = sealed.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: ": ", with: ":")
        #expect(try CheckpointChecksum.verify(Data(compact.utf8), path: "c.json"))
        for changed in [sealed.replacingOccurrences(of: "x y", with: "x  y"), sealed.replacingOccurrences(of: "2.5", with: "2.6")] {
            #expect(throws: CheckpointChecksumError.self) { try CheckpointChecksum.verify(Data(changed.utf8), path: "c.json") }
        }
        #expect(try !CheckpointChecksum.verify(Data("{\"a\": 1}".utf8), path: "c.json"))
        let malformed = sealed.replacingOccurrences(of: "sha256:", with: "md5:")
        #expect(throws: CheckpointChecksumError("c.json: the \"checksum\" key is malformed; it must be the last key, \"checksum\": \"sha256:\" and 64 hexadecimal digits.")) {
            try CheckpointChecksum.verify(Data(malformed.utf8), path: "c.json")
        }
    }
}
