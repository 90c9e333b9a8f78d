import Baifs

/// A gzip member holding `bytes` in stored DEFLATE blocks (no compression), with a correct trailer.
func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    var gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var start = 0
    repeat {
        let length = min(65535, bytes.count - start)
        let isFinal = start + length == bytes.count
        gzip += [isFinal ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
        gzip += bytes[start..<(start + length)]
        start += length
    } while start < bytes.count
    for value in [CRC32.checksum(of: bytes), UInt32(truncatingIfNeeded: bytes.count)] {
        gzip += (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }
    }
    return gzip
}

/// A gzip member whose one fixed-Huffman block holds `prefix` as literals, then `references`
/// back-references of 258 bytes at distance 1 (each repeats the last byte 258 times, in 13 bits):
/// a decompression bomb of `prefix.count + 258 · references` bytes. Its trailer is left zero,
/// since reading must stop long before it.
func gzipBomb(prefix: [UInt8], references: Int) -> [UInt8] {
    var bytes: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var buffer: UInt64 = 0, count = 0
    func bits(_ value: Int, _ length: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += length
        while count >= 8 { bytes.append(UInt8(buffer & 0xFF)); buffer >>= 8; count -= 8 }
    }
    // Huffman codes go most significant bit first into the least-significant-first stream.
    func code(_ value: Int, _ length: Int) { for bit in (0..<length).reversed() { bits((value >> bit) & 1, 1) } }
    bits(1, 1)  // the final block
    bits(1, 2)  // fixed codes
    for byte in prefix { byte < 144 ? code(0x30 + Int(byte), 8) : code(0x190 + Int(byte) - 144, 9) }
    for _ in 0..<references {
        code(0xC5, 8)  // length symbol 285: 258 bytes
        code(0, 5)     // distance symbol 0: 1 byte back
    }
    code(0, 7)  // end of block
    if count > 0 { bytes.append(UInt8(buffer & 0xFF)) }
    return bytes + [UInt8](repeating: 0, count: 8)
}
