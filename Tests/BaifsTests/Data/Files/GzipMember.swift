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
