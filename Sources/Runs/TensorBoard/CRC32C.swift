/// CRC-32C (Castagnoli): the checksum of TFRecord framing, reflected polynomial `0x82F63B78`,
/// initial value and final XOR `0xFFFFFFFF`. `CRC32C.checksum("123456789")` is `0xE3069283`.
package enum CRC32C {
    /// The byte-at-a-time lookup table: entry `n` is the CRC of the byte `n` alone, unconditioned.
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    /// The CRC-32C of `bytes`.
    package static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// TFRecord's masked CRC, `rotateRight(crc, 15) + 0xA282EAD8` (mod 2³²), which keeps a CRC
    /// stored in data from being confused with the CRC of that data.
    package static func masked<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
