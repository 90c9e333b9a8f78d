import Baifs
import Testing

struct CRC32Tests {
    @Test func matchesTheStandardCheckValue() {
        #expect(CRC32.checksum(of: Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(of: [UInt8]()) == 0)
    }

    @Test func continuesAcrossPieces() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(of: bytes) == 0x414F_A339)
        let first = CRC32.checksum(of: bytes[..<10])
        #expect(CRC32.checksum(of: bytes[10...], continuing: first) == 0x414F_A339)
    }
}
