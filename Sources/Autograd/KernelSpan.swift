import AutogradKernels
import Foundation

/// A run of consecutive dot-product nodes that one layer appended at once (every output of a linear
/// layer, or of a stride-1 convolution, over a batch), with the geometry they share stored once
/// instead of node by node.
///
/// The nodes are ordinary `.stridedDot` or `.convolutionDot` nodes, and `Tape.dot(ofNode:)` and
/// `Tape.window(ofNode:)` give each one's inputs as for any other. The span only lets the forward
/// and backward passes run them together through `AutogradKernels`, which compute exactly what the
/// node-by-node rules compute: each dot summed term by term in its own order, each gradient entry
/// receiving its contributions in reverse node order. Kernels only put independent sums side by
/// side in the lanes of a vector, so the results do not depend on the instruction set.
struct KernelSpan: BitwiseCopyable {
    enum Kind: UInt8 {
        /// `y[n, o] = b[o] + Σᵢ x[n, i]·W[o, i]`, node `n·outputs + o`; `channels` is the input size.
        case linear
        /// A stride-1 convolution, node `((n·outputs + o)·outputHeight + r)·outputWidth + j`.
        case convolution
        /// Leaves (a parameter bound into the graph, say), which pass nothing back: the backward
        /// pass steps over them at once instead of visiting each.
        case leaves
        /// One elementwise `operation` (`relu`, `tanh`, `add`) on consecutive inputs: node `i` of the
        /// span reads `input + i` (and `weight + i`, the second operand of an add). Its nodes keep
        /// their own operation and input columns; the span runs their backward rules as one loop.
        case elementwise
    }

    var kind: Kind
    /// The operation of an elementwise span (`.leaf` for other kinds).
    var operation: Operation = .leaf
    /// False when the input nodes are constants, whose gradient is not computed.
    var differentiatesInput: Bool
    var firstNode: Int32
    var nodeCount: Int32
    /// The first node of the input, of the weight, and of the bias (-1 for none); each is contiguous.
    var input: Int32
    var weight: Int32
    var bias: Int32
    var batch: Int32
    var channels: Int32
    var height: Int32
    var width: Int32
    var outputs: Int32
    var kernel: Int32
    var padding: Int32

    var outputHeight: Int { Int(height) + 2 * Int(padding) - Int(kernel) + 1 }
    var outputWidth: Int { Int(width) + 2 * Int(padding) - Int(kernel) + 1 }
    var lastNode: Int { Int(firstNode) + Int(nodeCount) - 1 }

    /// The strided dot of node `firstNode + position` of a linear span.
    func dot(at position: Int) -> StridedDot {
        let (sample, output) = position.quotientAndRemainder(dividingBy: Int(outputs))
        let inputs = Int(channels)
        return StridedDot(first: input + Int32(sample * inputs), firstStride: 1,
                          second: weight + Int32(output * inputs), secondStride: 1,
                          count: channels, bias: bias >= 0 ? bias + Int32(output) : -1)
    }

    /// The window of node `firstNode + position` of a convolution span, as `conv2d` describes it.
    func window(at position: Int) -> ConvolutionWindow {
        let (outputHeight, outputWidth) = (self.outputHeight, self.outputWidth)
        let (height, width, kernel, padding) = (Int(self.height), Int(self.width), Int(self.kernel), Int(self.padding))
        let column = position % outputWidth
        let row = (position / outputWidth) % outputHeight
        let output = (position / (outputWidth * outputHeight)) % Int(outputs)
        let sample = position / (outputWidth * outputHeight * Int(outputs))
        let (top, left) = (row - padding, column - padding)
        let rows = max(0, -top)..<min(kernel, height - top)
        let columns = max(0, -left)..<min(kernel, width - left)
        let terms = Int(channels) * kernel * kernel
        return ConvolutionWindow(
            weight: weight + Int32(output * terms + max(0, rows.lowerBound) * kernel + columns.lowerBound),
            input: input + Int32(sample * Int(channels) * height * width + (top + rows.lowerBound) * width + left + columns.lowerBound),
            bias: bias >= 0 ? bias + Int32(output) : -1, channels: channels,
            rows: Int32(max(0, rows.count)), columns: Int32(max(0, columns.count)),
            weightRowStride: Int32(kernel), inputRowStride: Int32(width),
            weightPlaneStride: Int32(kernel * kernel), inputPlaneStride: Int32(height * width))
    }
}

/// Switches for the fused kernels; they change speed only, never results.
public enum FusedKernels {
    /// Whether linear layers and stride-1 convolutions on consecutive nodes run through the fused
    /// kernels (the default) or node by node (also with `BAIFS_KERNELS=off` in the environment).
    /// Results are bit-identical either way.
    nonisolated(unsafe) public static var isEnabled = getenv("BAIFS_KERNELS").map { String(cString: $0) } != "off"

    /// The fewest products (batch × outputs × terms) for which a layer goes through a kernel:
    /// smaller ones are faster node by node. It changes speed only, never results.
    nonisolated(unsafe) public static var minimumProducts = 1024

    /// The instruction sets the kernels are compiled for.
    public enum InstructionSet: Int, Sendable, CaseIterable, CustomStringConvertible {
        /// Plain C for the baseline of the architecture (SSE2 on x86-64, NEON on arm64).
        case portable = 0
        /// 256-bit AVX2 vectors, on x86-64 processors that have them.
        case avx2 = 1
        /// 512-bit AVX-512 vectors, on x86-64 processors that have them.
        case avx512 = 2

        /// The name used by `BAIFS_KERNELS`: `portable`, `avx2` or `avx512`.
        public var description: String { String(cString: baifs_kernels_level_name(Int32(rawValue))) }
    }

    /// The instruction set in use: the best the processor has, unless set lower (here or with
    /// the environment variable `BAIFS_KERNELS=portable|avx2|avx512`). Setting one the processor
    /// lacks gives the best below it.
    public static var instructionSet: InstructionSet {
        get { InstructionSet(rawValue: Int(baifs_kernels_level())) ?? .portable }
        set { _ = baifs_kernels_set_level(Int32(newValue.rawValue)) }
    }
}
