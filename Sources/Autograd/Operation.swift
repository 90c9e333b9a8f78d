/// What a node of the tape computes from its inputs.
///
/// Every operation is a scalar add, a scalar multiply, one scalar function, or a fused node
/// whose value and backward rule are written out as sums and products of its scalar inputs
/// (a dot product is the sum rule over the product rule). Nothing hides the math in a vector kernel.
public enum Operation: UInt8, Sendable, CaseIterable, BitwiseCopyable {
    /// A value with no inputs: a constant, an input, or a parameter.
    case leaf
    /// `a + b`.
    case add
    /// `a · b`.
    case multiply
    /// `aᵖ` with a constant exponent `p` (held by a leaf that is not differentiated).
    case power
    /// `eᵃ`.
    case exp
    /// `ln a`.
    case log
    /// `tanh a`.
    case tanh
    /// `max(0, a)`.
    case relu
    /// `1 / (1 + e⁻ᵃ)`.
    case sigmoid
    /// `Σᵢ xᵢ` over a list of nodes.
    case sum
    /// `max over i of xᵢ`; the gradient goes to the first maximal input.
    case maximum
    /// `bias + Σᵢ aᵢ·bᵢ` with the inputs at evenly spaced positions of the tape.
    case stridedDot
    /// `bias + Σᵢ aᵢ·bᵢ` with the inputs listed node by node.
    case gatheredDot
    /// `bias + Σ_{c,u,v} W[c, u, v]·x[c, top + u, left + v]`: the dot product of a convolution kernel
    /// with one window of its input, the inputs found from the window's geometry.
    case convolutionDot

    /// The name shown in graph drawings and error messages.
    public var symbol: String {
        switch self {
        case .leaf: "leaf"
        case .add: "+"
        case .multiply: "*"
        case .power: "pow"
        case .exp: "exp"
        case .log: "log"
        case .tanh: "tanh"
        case .relu: "relu"
        case .sigmoid: "sigmoid"
        case .sum: "sum"
        case .maximum: "max"
        case .stridedDot, .gatheredDot, .convolutionDot: "dot"
        }
    }
}
