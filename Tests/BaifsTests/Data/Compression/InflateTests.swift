import Baifs
import Testing

struct InflateTests {
    static func inflate(_ bytes: [UInt8]) throws(InflateError) -> (output: [UInt8], end: Int) {
        do {
            return try bytes.withUnsafeBufferPointer { buffer throws(InflateError) in try Inflate.decompress(buffer, from: 0) }
        }
    }

    /// A raw DEFLATE stream of stored blocks holding `pieces`, the last block marked final.
    static func storedStream(_ pieces: [[UInt8]]) -> [UInt8] {
        var stream = [UInt8]()
        for (index, piece) in pieces.enumerated() {
            let length = piece.count
            stream += [index == pieces.count - 1 ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8),
                       UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)] + piece
        }
        return stream
    }

    @Test func readsSeveralStoredBlocksAndReportsWhereTheStreamEnds() throws {
        let first = [UInt8](repeating: 7, count: 65535), second = Array("tail".utf8)
        let stream = Self.storedStream([first, [], second]) + [0xAA, 0xBB]
        let (output, end) = try Self.inflate(stream)
        #expect(output == first + second)
        #expect(end == stream.count - 2)
    }

    @Test func readsAFixedBlockWithAnOverlappingBackReference() throws {
        // zlib.compressobj(9, zlib.DEFLATED, -15).compress(b"abcabcabcabcabcabcabc") + flush():
        // literals 'a' 'b' 'c', then one back-reference of length 18 at distance 3.
        let stream: [UInt8] = [0x4B, 0x4C, 0x4A, 0x4E, 0xC4, 0x40, 0x00]
        #expect(try Self.inflate(stream).output == Array("abcabcabcabcabcabcabc".utf8))
    }

    @Test func rejectsAStoredBlockWhoseLengthDoesNotMatchItsComplement() {
        #expect(throws: InflateError(offset: 1, message: "a stored block's length 4 does not match its complement")) {
            try Self.inflate([0x01, 0x04, 0x00, 0x00, 0x00, 1, 2, 3, 4])
        }
    }

    @Test func rejectsBlockType3() {
        #expect(throws: InflateError(offset: 0, message: "invalid block type 3")) { try Self.inflate([0x07]) }
    }

    @Test func rejectsABackReferenceBeforeTheStart() {
        // A fixed block whose first symbol is a length (257, code 0000001) with distance code 0.
        #expect(throws: InflateError.self) { try Self.inflate([0x03, 0x02, 0x00]) }
        do {
            _ = try Self.inflate([0x03, 0x02, 0x00])
        } catch {
            #expect(error.message == "a back-reference reaches 1 bytes back, before the start of the output (0 bytes)")
        }
    }
}
