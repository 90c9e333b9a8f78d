/// Decompression of raw DEFLATE data (RFC 1951), the format inside gzip files and zip archives.
///
/// A stream is a series of blocks, each stored (copied verbatim), compressed with the fixed
/// Huffman codes, or compressed with dynamic codes sent at the block's start. Compressed blocks
/// hold literal bytes and back-references (length 3…258, distance 1…32768) to bytes already output.
public enum Inflate {
    /// Decompresses the DEFLATE stream that starts at `bytes[start]`.
    ///
    /// - Parameters:
    ///   - bytes: The buffer holding the stream.
    ///   - start: The index of the stream's first byte.
    ///   - expectedSize: The size of the output if known, to allocate it once. It is only a hint
    ///     (a file may lie about it): at most `largestRatio` times the compressed bytes are reserved.
    ///   - limit: The most bytes the output may have; a stream that decompresses to more (a
    ///     decompression bomb, or data larger than it claims) is refused as soon as it passes it.
    /// - Returns: The output and the index of the first byte after the stream (the final block
    ///   ends within a byte; the rest of that byte is skipped).
    /// - Throws: `InflateError` at the offending byte if the stream is malformed or truncated, or
    ///   its output would exceed `limit`.
    public static func decompress(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, expectedSize: Int = 0,
                                  limit: Int = .max) throws(InflateError) -> (output: [UInt8], end: Int) {
        let (output, end) = try decompress(bytes, from: start, expectedSize: expectedSize, stoppingPast: limit)
        if output.count > limit { throw limitExceeded(limit, at: end) }
        return (output, end)
    }

    /// The first `count` or more bytes of the DEFLATE stream at `bytes[start]` (all of it if it is
    /// shorter): decompression stops in the block where the output passes `count`. For reading a
    /// file's header before deciding how much of it may be decompressed.
    ///
    /// - Throws: `InflateError` at the offending byte if that part of the stream is malformed or truncated.
    public static func prefix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) throws(InflateError) -> [UInt8] {
        try decompress(bytes, from: start, expectedSize: count, stoppingPast: count).output
    }

    /// Decompresses until the end of the stream or, soon after the output passes `limit` bytes (at
    /// a back-reference or the end of a block), with more than `limit` bytes and the byte reached.
    private static func decompress(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, expectedSize: Int,
                                   stoppingPast limit: Int) throws(InflateError) -> (output: [UInt8], end: Int) {
        var reader = BitReader(bytes, start: start)
        var output = [UInt8]()
        let (most, overflow) = max(bytes.count - start, 0).multipliedReportingOverflow(by: largestRatio)
        output.reserveCapacity(min(max(expectedSize, 0), overflow ? .max : most, limit))
        var isFinal = false
        while !isFinal {
            isFinal = try reader.bits(1) == 1
            let blockStart = reader.bytePosition
            switch try reader.bits(2) {
            case 0:
                try copyStored(&reader, bytes: bytes, into: &output)
            case 1:
                try inflateBlock(&reader, literals: fixedCodes.literals, distances: fixedCodes.distances, into: &output, limit: limit)
            case 2:
                let codes = try readDynamicCodes(&reader)
                try inflateBlock(&reader, literals: codes.literals, distances: codes.distances, into: &output, limit: limit)
            default:
                throw InflateError(offset: blockStart, message: "invalid block type 3")
            }
            if output.count > limit { return (output, reader.bytePosition) }
        }
        return (output, reader.alignToByte())
    }

    /// The most output bytes per compressed byte DEFLATE can give: a back-reference of 258 bytes
    /// coded in 2 bits (RFC 1951 allows no more; zlib's technical notes give 1032:1).
    public static let largestRatio = 1032

    private static func limitExceeded(_ limit: Int, at offset: Int) -> InflateError {
        InflateError(offset: offset, message: "the data decompresses to more than \(limit) bytes", exceedsLimit: true)
    }

    /// Copies a stored block: after the header bits, the byte-aligned `LEN`, `NLEN = ~LEN`, then `LEN` bytes.
    private static func copyStored(_ reader: inout BitReader, bytes: UnsafeBufferPointer<UInt8>,
                                   into output: inout [UInt8]) throws(InflateError) {
        let start = reader.alignToByte()
        guard start + 4 <= bytes.count else { throw reader.endOfData() }
        let length = Int(bytes[start]) | Int(bytes[start + 1]) << 8
        let complement = Int(bytes[start + 2]) | Int(bytes[start + 3]) << 8
        guard length == ~complement & 0xFFFF else {
            throw InflateError(offset: start, message: "a stored block's length \(length) does not match its complement")
        }
        guard start + 4 + length <= bytes.count else { throw reader.endOfData() }
        output.append(contentsOf: bytes[(start + 4)..<(start + 4 + length)])
        reader.skip(to: start + 4 + length)
    }

    /// The codes of a block compressed with fixed codes (RFC 1951 §3.2.6): literal/length symbols
    /// 0–143 have 8 bits, 144–255 9, 256–279 7, 280–287 8; all 30 distance symbols 5 bits.
    private static let fixedCodes: (literals: HuffmanCode, distances: HuffmanCode) = {
        let literalLengths = [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
            + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)
        return (HuffmanCode(lengths: literalLengths)!, HuffmanCode(lengths: [UInt8](repeating: 5, count: 30))!)
    }()

    /// The order in which the code lengths of the code-length code are sent.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Reads the header of a dynamic block (RFC 1951 §3.2.7): the counts HLIT, HDIST, HCLEN, the
    /// code-length code, then the literal/length and distance code lengths run-length coded with it
    /// (16: repeat the previous length 3–6 times, 17: 3–10 zeros, 18: 11–138 zeros).
    private static func readDynamicCodes(_ reader: inout BitReader) throws(InflateError) -> (literals: HuffmanCode, distances: HuffmanCode) {
        let start = reader.bytePosition
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw InflateError(offset: start, message: "a dynamic block declares \(literalCount) literal/length and \(distanceCount) distance codes (at most 286 and 30)")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[codeLengthOrder[index]] = UInt8(try reader.bits(3)) }
        guard let codeLengthCode = HuffmanCode(lengths: codeLengthLengths) else {
            throw InflateError(offset: start, message: "a dynamic block's code-length code is over-subscribed")
        }
        var lengths = [UInt8]()
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengthCode.decode(&reader)
            let repeated: UInt8, count: Int
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
                continue
            case 16:
                guard let previous = lengths.last else {
                    throw InflateError(offset: reader.bytePosition, message: "a dynamic block repeats a code length before the first")
                }
                (repeated, count) = (previous, 3 + (try reader.bits(2)))
            case 17: (repeated, count) = (0, 3 + (try reader.bits(3)))
            default: (repeated, count) = (0, 11 + (try reader.bits(7)))
            }
            guard lengths.count + count <= literalCount + distanceCount else {
                throw InflateError(offset: reader.bytePosition, message: "a dynamic block's code lengths run past their count")
            }
            lengths.append(contentsOf: repeatElement(repeated, count: count))
        }
        guard lengths[256] != 0 else {
            throw InflateError(offset: start, message: "a dynamic block has no code for the end of the block")
        }
        guard let literals = HuffmanCode(lengths: lengths[..<literalCount]),
              let distances = HuffmanCode(lengths: lengths[literalCount...]) else {
            throw InflateError(offset: start, message: "a dynamic block's Huffman codes are over-subscribed")
        }
        return (literals, distances)
    }

    /// Base lengths of length symbols 257–285, and their extra bits.
    private static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                      35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtraBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                          3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    /// Base distances of distance symbols 0–29, and their extra bits.
    private static let distanceBases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtraBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                            7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Decodes a compressed block's symbols until its end-of-block symbol 256: a symbol below 256 is
    /// a literal byte; 257–285 a length, followed by a distance code, which copies `length` bytes
    /// from `distance` bytes back (overlapping copies repeat the recent bytes).
    /// Back-references are what can make the output outgrow the input a thousandfold, so the block
    /// stops early once one takes the output past `limit`.
    private static func inflateBlock(_ reader: inout BitReader, literals: HuffmanCode, distances: HuffmanCode,
                                     into output: inout [UInt8], limit: Int) throws(InflateError) {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else {
                throw InflateError(offset: reader.bytePosition, message: "invalid length symbol \(symbol)")
            }
            let length = lengthBases[lengthIndex] + (try reader.bits(lengthExtraBits[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < 30 else {
                throw InflateError(offset: reader.bytePosition, message: "invalid distance symbol \(distanceSymbol)")
            }
            let distance = distanceBases[distanceSymbol] + (try reader.bits(distanceExtraBits[distanceSymbol]))
            guard distance <= output.count else {
                throw InflateError(offset: reader.bytePosition,
                                   message: "a back-reference reaches \(distance) bytes back, before the start of the output (\(output.count) bytes)")
            }
            let from = output.count - distance
            if distance >= length {
                // Copied within the buffer: appending a slice of `output` to `output` first copied
                // the whole output (the slice shares its storage), which made decompression take
                // time quadratic in the size (10 minutes for MNIST's images).
                let end = output.count
                output.append(contentsOf: repeatElement(0, count: length))
                output.withUnsafeMutableBufferPointer { buffer in
                    (buffer.baseAddress! + end).update(from: buffer.baseAddress! + from, count: length)
                }
            } else {
                for index in from..<(from + length) { output.append(output[index]) }
            }
            if output.count > limit { return }
        }
    }
}
