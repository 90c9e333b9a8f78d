/// Why training stopped with an error instead of going on with garbage.
public enum TrainingError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The loss of a batch was NaN or infinite.
    case nonFiniteLoss(epoch: Int, step: Int, value: Double)
    /// The gradients of a batch contained NaN or infinite values.
    case nonFiniteGradient(epoch: Int, step: Int)
    /// The datasets do not fit the model or the loss.
    case incompatibleData(String)

    /// The problem, in a sentence.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let step, let value):
            "the training loss became \(value.messageText) at epoch \(epoch), step \(step); training stopped. Lower the learning rate or clip the gradients."
        case .nonFiniteGradient(let epoch, let step):
            "the gradients became NaN or infinite at epoch \(epoch), step \(step); training stopped. Lower the learning rate or clip the gradients."
        case .incompatibleData(let message):
            message
        }
    }
}
