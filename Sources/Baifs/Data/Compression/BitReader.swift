/// Reads a byte buffer as a stream of bits, least significant bit of each byte first, as DEFLATE
/// stores them (RFC 1951 §3.1.1).
struct BitReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte not yet in `buffer`.
    private(set) var position: Int
    /// Up to 64 bits read ahead; the next bit is the lowest.
    private var buffer: UInt64 = 0
    /// How many bits of `buffer` are valid.
    private(set) var bitCount = 0

    /// Reads `bytes` from `start`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int) {
        self.bytes = bytes
        self.position = start
    }

    /// The index of the byte holding the next bit.
    var bytePosition: Int { position - bitCount / 8 - (bitCount % 8 == 0 ? 0 : 1) }

    /// Fills the read-ahead buffer with as many whole bytes as fit (fewer at the end of the data).
    @inline(__always) mutating func refill() {
        while bitCount <= 56 && position < bytes.count {
            buffer |= UInt64(bytes[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    /// The next `count` bits as a number, without consuming them (missing bits at the end read as 0).
    @inline(__always) func peek(_ count: Int) -> UInt64 {
        buffer & ((1 << UInt64(count)) - 1)
    }

    @inline(__always) mutating func consume(_ count: Int) {
        buffer >>= UInt64(count)
        bitCount -= count
    }

    /// Reads a `count`-bit number (at most 32 bits), first bit lowest.
    @inline(__always) mutating func bits(_ count: Int) throws(InflateError) -> Int {
        if bitCount < count { refill() }
        guard bitCount >= count else { throw endOfData() }
        let value = Int(peek(count))
        consume(count)
        return value
    }

    /// Drops the bits up to the next byte boundary and returns the index of that byte, from which
    /// reading goes on byte-wise.
    mutating func alignToByte() -> Int {
        consume(bitCount % 8)
        let next = position - bitCount / 8
        buffer = 0
        bitCount = 0
        position = next
        return next
    }

    /// Goes on reading bits at byte `index`.
    mutating func skip(to index: Int) {
        precondition(bitCount == 0, "Skip only after aligning to a byte.")
        position = index
    }

    /// The error for data that stops in the middle of the compressed stream.
    func endOfData() -> InflateError {
        InflateError(offset: bytes.count, message: "the compressed data ends early (the file is truncated)")
    }
}
