/// Why a saved `OptimizerState` cannot be restored into an optimizer.
public enum OptimizerStateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state was saved by a different kind of optimizer.
    case kindMismatch(expected: String, found: String)
    /// The step count is negative.
    case negativeStep(Int)
    /// The state holds other buffers than this optimizer keeps (names sorted).
    case slotMismatch(expected: [String], found: [String])
    /// A buffer slot holds a different number of arrays than there are parameters.
    case parameterCountMismatch(slot: String, expected: Int, found: Int)
    /// The buffer for the parameter at `parameterIndex` has a different count than the parameter.
    case sizeMismatch(slot: String, parameterIndex: Int, expected: Int, found: Int)

    /// The problem, in a sentence.
    public var description: String {
        switch self {
        case let .kindMismatch(expected, found):
            "The optimizer state was saved by '\(found)' and cannot be restored into '\(expected)'."
        case let .negativeStep(step):
            "The optimizer state has a negative step count, \(step)."
        case let .slotMismatch(expected, found):
            "The optimizer state holds the buffers \(found); this optimizer expects \(expected)."
        case let .parameterCountMismatch(slot, expected, found):
            "The optimizer state's '\(slot)' buffers are for \(found) parameters; there are \(expected)."
        case let .sizeMismatch(slot, parameterIndex, expected, found):
            "The optimizer state's '\(slot)' buffer for parameter \(parameterIndex) holds \(found) values; the parameter holds \(expected)."
        }
    }
}
