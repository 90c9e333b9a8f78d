import Autograd

/// A layer or a model: a function of a batched tensor with named, trainable parameters and
/// named submodules, in the manner of PyTorch's `nn.Module`.
///
/// Inputs carry the batch on their first axis: `[N, features]` for linear layers, `[N, C, H, W]`
/// for convolutions. Parameter names follow PyTorch's `state_dict`: a module's own parameters by
/// their local names, then each child's under `childName.`, so an MLP's first weight is
/// `layers.0.weight`.
public protocol Module: AnyObject, CustomStringConvertible {
    /// A one-line summary of this module's own settings, such as `Linear(in: 2, out: 16, bias: true)`.
    var summary: String { get }
    /// This module's own parameters, by local name, in order.
    var ownParameters: [(name: String, parameter: Parameter)] { get }
    /// This module's submodules, by local name, in order.
    var children: [(name: String, module: any Module)] { get }
    /// Returns the output obtained from applying the module to the batched `input`.
    func callAsFunction(_ input: TensorGrad) -> TensorGrad
    /// The shape of one sample's output for one sample's input shape (no batch axis), or a
    /// `ShapeError` that says why the input does not fit.
    func outputShape(for inputShape: [Int]) throws(ShapeError) -> [Int]
}

/// Why an input shape does not fit a module.
public struct ShapeError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What was expected and what was given, in one sentence.
    public var message: String
    /// The dotted name of the module where the mismatch is, when known (`layers.2`).
    public var modulePath: String?

    /// Creates the error with `message`, at the module `modulePath` (`layers.2`) if known.
    public init(_ message: String, modulePath: String? = nil) {
        self.message = message
        self.modulePath = modulePath
    }

    /// `layers.2: message`, or the message alone.
    public var description: String { modulePath.map { "\($0): \(message)" } ?? message }
}

extension Module {
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, module: any Module)] { [] }

    /// Every parameter of the module tree with its dotted name, in `state_dict` order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var result = ownParameters
        for (childName, child) in children {
            result += child.namedParameters.map { ("\(childName).\($0.name)", $0.parameter) }
        }
        return result
    }

    /// Every parameter of the module tree, in `state_dict` order.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The number of trainable values.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Sets the gradient of every parameter to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradients() }
    }

    /// Adds to each parameter's gradients those of its leaves in `graph` (after `backward()`).
    public func collectGradients(from graph: Graph) {
        for parameter in parameters { parameter.collectGradients(from: graph) }
    }

    /// The module tree, one module per line, as PyTorch prints it.
    public var description: String {
        guard !children.isEmpty else { return summary }
        var lines = ["\(summary)("]
        for (name, child) in children {
            let childLines = child.description.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("  (\(name)): " + childLines[0])
            lines += childLines.dropFirst().map { "  " + $0 }
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}
