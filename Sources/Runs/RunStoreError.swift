/// A problem with the files of a run or sweep directory, or with an output path: one that
/// cannot be created, read, written, locked or is refused.
public struct RunStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The problem in one sentence, naming the path (printed after `error: `).
    public var message: String
    /// The error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
