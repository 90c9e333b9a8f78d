/// What an optimizer remembers between steps, in a form that can be saved with a checkpoint.
///
/// `slots` maps a buffer name to one array per parameter, in parameter order, each as long as its
/// parameter: `"momentum"` for `SGD` with momentum, `"first_moment"` and `"second_moment"` for
/// `Adam` and `AdamW`. Before the first step the buffers do not exist yet and `slots` is empty.
public struct OptimizerState: Codable, Equatable, Sendable {
    /// The optimizer that saved the state: `"sgd"`, `"adam"` or `"adamw"`.
    public var kind: String
    /// The number of updates applied so far.
    public var step: Int
    /// The per-parameter buffers by name, each in parameter order.
    public var slots: [String: [[Double]]]

    /// Creates a state of an optimizer of `kind` after `step` updates.
    public init(kind: String, step: Int, slots: [String: [[Double]]] = [:]) {
        self.kind = kind
        self.step = step
        self.slots = slots
    }

    /// Throws unless this state was saved by an optimizer of `kind`, holds exactly the slots named
    /// `slotNames`, and has in each slot one buffer per parameter with that parameter's count.
    func validate(kind expectedKind: String, slotNames: [String], parameters: [Parameter]) throws(OptimizerStateError) {
        guard kind == expectedKind else {
            throw .kindMismatch(expected: expectedKind, found: kind)
        }
        guard step >= 0 else {
            throw .negativeStep(step)
        }
        let expectedNames = slotNames.sorted(), foundNames = slots.keys.sorted()
        guard expectedNames == foundNames else {
            throw .slotMismatch(expected: expectedNames, found: foundNames)
        }
        for name in expectedNames {
            let buffers = slots[name] ?? []
            guard buffers.count == parameters.count else {
                throw .parameterCountMismatch(slot: name, expected: parameters.count, found: buffers.count)
            }
            for (index, (buffer, parameter)) in zip(buffers, parameters).enumerated() where buffer.count != parameter.count {
                throw .sizeMismatch(slot: name, parameterIndex: index, expected: parameter.count, found: buffer.count)
            }
        }
    }
}
