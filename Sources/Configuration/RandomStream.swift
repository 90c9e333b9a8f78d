import Baifs

/// The three independent streams of random draws that a run takes from its config's `seed`.
///
/// The data stream is the seed itself; the others are the seed XOR-ed with a multiple of the
/// 64-bit golden ratio, `seed ⊕ (stream · 0x9E3779B97F4A7C15)`, so that changing how many samples
/// the data draws does not change the initial weights or the shuffling.
public enum RandomStream: UInt64, Sendable {
    /// Generated data sets and their split into training and validation.
    case data = 0
    /// The model's initial parameters.
    case initialization = 1
    /// The order of the training samples in each epoch.
    case shuffling = 2

    /// The seed of this stream for a config's `seed`.
    public func seed(from seed: UInt64) -> UInt64 {
        seed ^ (rawValue &* 0x9E37_79B9_7F4A_7C15)
    }

    /// A generator at the start of this stream for a config's `seed`.
    public func generator(seed: UInt64) -> RandomGenerator {
        RandomGenerator(seed: self.seed(from: seed))
    }
}
