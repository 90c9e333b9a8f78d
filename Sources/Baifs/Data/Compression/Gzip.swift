/// Decompression of gzip files (RFC 1952): one or more members, each a header, a DEFLATE stream
/// and a trailer with the CRC-32 and the size (mod 2³²) of the uncompressed data, both checked.
///
/// The header is `1F 8B`, the method 8 (deflate), flags, a time, extra flags and the system; the
/// flags announce an extra field (FEXTRA), a file name (FNAME), a comment (FCOMMENT) and a header
/// CRC (FHCRC), which are skipped.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1F 8B`.
    public static func isCompressed(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x1F, 0x8B])
    }

    /// The uncompressed contents of the gzip data `bytes` (all members, concatenated).
    ///
    /// - Parameters:
    ///   - bytes: The gzip data: one or more members.
    ///   - limit: The most bytes the contents may have. The trailer's size is only known mod 2³²,
    ///     so a small file can decompress to far more than the memory (a decompression bomb):
    ///     decompression stops as soon as the contents pass `limit`.
    /// - Throws: `InflateError` at the offending byte if the data is not gzip, is malformed or
    ///   truncated, or fails its CRC-32 or size check, or its contents exceed `limit`
    ///   (`exceedsLimit`).
    public static func decompress(_ bytes: [UInt8], limit: Int = .max) throws(InflateError) -> [UInt8] {
        do {
            return try bytes.withUnsafeBufferPointer { buffer throws(InflateError) in try decompress(buffer, limit: limit) }
        }
    }

    /// The first `count` or more bytes of the contents of the gzip data `bytes` (all of its first
    /// member if that is shorter), unchecked: for reading a file's header to learn how large the
    /// whole should be before decompressing it.
    ///
    /// - Throws: `InflateError` at the offending byte if the header or that part of the data is malformed or truncated.
    public static func prefix(of bytes: [UInt8], count: Int) throws(InflateError) -> [UInt8] {
        try bytes.withUnsafeBufferPointer { buffer throws(InflateError) in
            try Inflate.prefix(buffer, from: try skipHeader(buffer, at: 0), count: count)
        }
    }

    private static func decompress(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) throws(InflateError) -> [UInt8] {
        var output = [UInt8]()
        var start = 0
        repeat {
            let dataStart = try skipHeader(bytes, at: start)
            // The last member's trailer gives its size, a good guess for the output's capacity.
            let sizeGuess = start == 0 && bytes.count >= 4 ? Int(readUInt32(bytes, at: bytes.count - 4)) : 0
            let member: [UInt8], end: Int
            do {
                (member, end) = try Inflate.decompress(bytes, from: dataStart, expectedSize: sizeGuess, limit: limit - output.count)
            } catch where error.exceedsLimit {
                throw InflateError(offset: error.offset, message: "the data decompresses to more than \(limit) bytes", exceedsLimit: true)
            }
            guard end + 8 <= bytes.count else {
                throw InflateError(offset: bytes.count, message: "the gzip data ends before its CRC-32 and size (the file is truncated)")
            }
            let crc = readUInt32(bytes, at: end), size = readUInt32(bytes, at: end + 4)
            let actual = CRC32.checksum(of: member)
            guard crc == actual else {
                throw InflateError(offset: end, message: "CRC-32 mismatch: the data decompresses to bytes whose checksum is \(hex(actual)), but the file records \(hex(crc)) (the file is damaged)")
            }
            guard size == UInt32(truncatingIfNeeded: member.count) else {
                throw InflateError(offset: end + 4, message: "the data decompresses to \(member.count) bytes, but the file records \(size) (mod 2^32)")
            }
            if output.isEmpty { output = member } else { output.append(contentsOf: member) }
            start = end + 8
            // Padding of zero bytes after the last member is allowed, as gzip allows it.
        } while start < bytes.count && bytes[start...].contains(where: { $0 != 0 })
        return output
    }

    /// Checks the member header at `start` and returns the index of its first compressed byte.
    private static func skipHeader(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(InflateError) -> Int {
        let truncated = InflateError(offset: bytes.count, message: "the gzip header is truncated")
        guard start + 10 <= bytes.count else { throw truncated }
        guard bytes[start] == 0x1F, bytes[start + 1] == 0x8B else {
            throw InflateError(offset: start, message: "not gzip data: it starts with \(hex(bytes[start])) \(hex(bytes[start + 1])) instead of 1F 8B")
        }
        guard bytes[start + 2] == 8 else {
            throw InflateError(offset: start + 2, message: "unknown gzip compression method \(bytes[start + 2]); only 8 (deflate) exists")
        }
        let flags = bytes[start + 3]
        guard flags & 0xE0 == 0 else {
            throw InflateError(offset: start + 3, message: "reserved gzip header flags are set (\(hex(flags)))")
        }
        var position = start + 10
        if flags & 0x04 != 0 {
            guard position + 2 <= bytes.count else { throw truncated }
            position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
        }
        for flag in [UInt8(0x08), 0x10] where flags & flag != 0 {
            while position < bytes.count && bytes[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 0x02 != 0 { position += 2 }
        guard position <= bytes.count else { throw truncated }
        return position
    }

    private static func readUInt32(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[position + $1]) << (8 * UInt32($1)) }
    }

    private static func hex<Integer: BinaryInteger>(_ value: Integer) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        let width = value is UInt8 ? 2 : 8
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
