/// The CRC-32 checksum of gzip, zip and PNG (ISO 3309, polynomial `0xEDB88320` in reflected form),
/// computed a byte at a time from a 256-entry table.
///
/// `crc = ~fold(~initial, bytes)` where each step is `c = table[(c ^ byte) & 0xFF] ^ (c >> 8)`;
/// `CRC32.checksum(of: Array("123456789".utf8)) == 0xCBF43926`.
public enum CRC32 {
    /// `table[n]` is the remainder of `n` (reflected) divided by the polynomial.
    private static let table: [UInt32] = (0..<256).map { index in
        var remainder = UInt32(index)
        for _ in 0..<8 { remainder = remainder & 1 == 1 ? 0xEDB8_8320 ^ (remainder >> 1) : remainder >> 1 }
        return remainder
    }

    /// The checksum of `bytes`, continuing from the checksum `initial` of the bytes before them
    /// (0 for none).
    public static func checksum<Bytes: Collection<UInt8>>(of bytes: Bytes, continuing initial: UInt32 = 0) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var crc = ~initial
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            return ~crc
        }
    }
}
