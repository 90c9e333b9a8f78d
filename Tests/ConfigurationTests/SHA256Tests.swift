import Foundation
@testable import Configuration
import Testing

/// `sha256Hex` and `SHA256`: the FIPS 180-4 digest, checked against the standard's example vectors
/// and against Python's `hashlib` at the message lengths where the padding changes shape, with
/// each implementation of the block compression (portable C, and the x86 SHA extensions where this
/// processor has them).
struct SHA256Tests {
    /// The digest of `message` hashed with `implementation`.
    private func digest(_ message: [UInt8], _ implementation: SHA256Implementation) -> String {
        var hasher = SHA256(implementation: implementation)
        hasher.update(message)
        return hasher.finalize()
    }

    /// The examples of FIPS 180-4 and its companion document (one-block, two-block and long
    /// messages), with their published digests.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func standardVectors(message: String, digest expected: String) {
        #expect(sha256Hex(Array(message.utf8)) == expected)
        for implementation in SHA256Implementation.allCases {
            #expect(digest(Array(message.utf8), implementation) == expected, "\(implementation)")
        }
    }

    @Test(arguments: SHA256Implementation.allCases)
    func oneMillionLetterA(implementation: SHA256Implementation) {
        #expect(digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000), implementation)
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The implementations agree on pseudo-random messages of every length up to 300 bytes, fed
    /// whole and in uneven pieces (which go through the pending partial block), and this processor
    /// uses the extensions when cpuid says it has them.
    @Test func implementationsAgree() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<300).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for length in 0...300 {
            let message = Array(bytes[0..<length])
            let portable = digest(message, .portable)
            #expect(digest(message, .extensions) == portable, "length \(length)")
            var pieces = SHA256(implementation: .extensions)
            var (offset, piece) = (0, 0)
            while offset < length {
                let end = min(offset + [1, 63, 2, 130, 7][piece % 5], length)
                pieces.update(Array(message[offset..<end]))
                (offset, piece) = (end, piece + 1)
            }
            #expect(pieces.finalize() == portable, "length \(length) in pieces")
        }
        let hasExtensions = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8).contains(" sha_ni")
        #expect((SHA256Implementation.best == .extensions) == hasExtensions)
    }

    /// Lengths around the padding boundaries: up to 55 bytes the `0x80` byte and the 8-byte length
    /// fit in the last block; from 56 they need another block; 64 and 128 fill blocks exactly.
    /// The message of length n is bytes (31·i + 7) mod 256 for i in 0..<n; the digests are
    /// Python's `hashlib.sha256(bytes((i*31+7) % 256 for i in range(n))).hexdigest()`.
    @Test(arguments: [
        (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
        (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
        (57, "5b46e502092be01b1100193e089fdda95638c12e19a1d24f308eb2c3d3ae849d"),
        (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
        (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
        (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
        (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
        (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
        (127, "192409cd280e14b743642ad1343fbd3e82d9305de72c078117745a679210cc3d"),
        (128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356"),
    ])
    func paddingBoundaries(length: Int, digest expected: String) {
        let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }
        for implementation in SHA256Implementation.allCases {
            #expect(digest(message, implementation) == expected, "\(implementation)")
        }
    }

    /// Any collection of bytes hashes the same as the array of its bytes: a string's UTF-8 view
    /// (multi-byte characters included), `Data`, and a slice that does not start at index 0.
    @Test func hashesAnyCollectionOfBytes() {
        let text = "héllo, wörld — ∑ 🚀"
        let digest = "abbddb58ad07dd8b6d60b798009ee5c0e8d2bddd2d4cf69b806428af34b08c87"
        #expect(sha256Hex(text.utf8) == digest)
        #expect(sha256Hex(Data(text.utf8)) == digest)
        let padded = [0xFF, 0xFF] + Array(text.utf8) + [0xFF]
        #expect(sha256Hex(padded[2..<(padded.count - 1)]) == digest)
    }
}
