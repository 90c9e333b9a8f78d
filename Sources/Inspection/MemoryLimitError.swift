/// Training would need more memory than allowed.
public struct MemoryLimitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The bytes training needs.
    public var needed: UInt64
    /// The bytes allowed.
    public var limit: UInt64
    /// Where the limit comes from: `physical memory`, `--memory-limit`.
    public var limitSource: String
    /// The samples per training batch.
    public var batchSize: Int
    /// The part of the model whose graph takes the most memory, and its bytes for a batch.
    public var largestPart: (name: String, bytes: UInt64)?

    public static func == (lhs: MemoryLimitError, rhs: MemoryLimitError) -> Bool {
        lhs.description == rhs.description
    }

    /// The error as printed: the bytes needed at the peak, the limit and its source, the largest
    /// part, and what to reduce (`training.batch_size` or the model).
    public var description: String {
        var text = "training needs about \(ModelPlan.formatBytes(needed)) at its peak (the graphs of one batch of \(batchSize), the parameters and optimizer state, the process and its data), "
            + "more than the \(ModelPlan.formatBytes(limit)) of \(limitSource)"
        if let largestPart {
            text += " (\(largestPart.name) alone takes \(ModelPlan.formatBytes(largestPart.bytes)))"
        }
        return text + "; reduce training.batch_size or the model"
    }
}
