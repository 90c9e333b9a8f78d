/// A canonical Huffman code of DEFLATE (RFC 1951 §3.2.2), decoded from the code lengths of its
/// symbols.
///
/// Codes are assigned in order of length, and within a length in order of symbol; they are stored
/// in the stream most significant bit first, while the stream itself is read least significant bit
/// first. Codes of up to `fastBits` bits are decoded with one look-up of the next `fastBits`
/// (bit-reversed) bits; longer ones by walking the code lengths (as zlib's `puff.c` does).
struct HuffmanCode {
    /// Bits looked up at once.
    static let fastBits = 9
    /// `fast[bits]` for the next `fastBits` stream bits: `symbol << 4 | length` of the code they
    /// start with, or 0 if that code is longer than `fastBits` (or unassigned).
    private var fast: [UInt16]
    /// `counts[length]`: how many codes have that length (1…15).
    private var counts: [Int]
    /// The symbols, ordered by code (by length, then by symbol).
    private var symbols: [Int]

    /// Builds the code in which symbol `s` has length `lengths[s]` (0 for unused).
    ///
    /// - Returns: `nil` if the lengths are over-subscribed (more codes of some length than fit),
    ///   which no valid stream has. An incomplete code is accepted; its unassigned codes are
    ///   reported when met.
    init?(lengths: some Collection<UInt8>) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            if left < 0 { return nil }
        }
        // offsets[length]: the index in `symbols` of the first code of that length.
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        var symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[Int(length)]] = symbol
            offsets[Int(length)] += 1
        }
        var fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        var code = 0, index = 0
        for length in 1...Self.fastBits {
            for _ in 0..<counts[length] {
                var reversed = 0
                for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
                let entry = UInt16(symbols[index] << 4 | length)
                for high in stride(from: reversed, to: 1 << Self.fastBits, by: 1 << length) { fast[high] = entry }
                code += 1
                index += 1
            }
            code <<= 1
        }
        self.fast = fast
        self.counts = counts
        self.symbols = symbols
    }

    /// Reads one code from `reader` and returns its symbol.
    func decode(_ reader: inout BitReader) throws(InflateError) -> Int {
        reader.refill()
        let entry = Int(fast[Int(reader.peek(Self.fastBits))])
        if entry != 0 {
            let length = entry & 15
            guard length <= reader.bitCount else { throw reader.endOfData() }
            reader.consume(length)
            return entry >> 4
        }
        // first: the first code of `length` bits; index: its position in `symbols`.
        var code = 0, first = 0, index = 0
        for length in 1...15 {
            guard reader.bitCount > 0 else { throw reader.endOfData() }
            code |= Int(reader.peek(1))
            reader.consume(1)
            let count = counts[length]
            if code - first < count { return symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw InflateError(offset: reader.bytePosition, message: "invalid Huffman code")
    }
}
