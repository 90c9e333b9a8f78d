/// Malformed compressed data: what is wrong and the index of the byte where it was found, counted
/// from the start of the buffer being read.
public struct InflateError: Error, Equatable, Sendable {
    /// The byte at which the problem was found.
    public var offset: Int
    /// What is wrong, as a sentence fragment without a final period.
    public var message: String
    /// Whether the data is not malformed as far as read, but decompresses to more than the limit
    /// it was read with, which the caller may explain.
    public var exceedsLimit: Bool

    /// Creates the error `message` at byte `offset` of the compressed data.
    public init(offset: Int, message: String, exceedsLimit: Bool = false) {
        self.offset = offset
        self.message = message
        self.exceedsLimit = exceedsLimit
    }
}
