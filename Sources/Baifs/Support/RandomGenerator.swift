import Foundation

/// A seeded pseudo-random generator, xoshiro256** (Blackman and Vigna), whose whole state is four
/// 64-bit words that can be saved and restored, so that an interrupted run resumes exactly.
///
/// Every use of randomness in baifs takes one of these explicitly; nothing reads global randomness.
/// The derived draws (`uniform`, `normal`, `shuffle`) are written out here rather than taken from
/// the standard library, whose algorithms may change between Swift versions.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The four state words.
    public private(set) var state: [UInt64]

    /// Seeds the state from `seed` by SplitMix64, as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var splitMix = seed
        var words = [UInt64]()
        for _ in 0..<4 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            words.append(z ^ (z >> 31))
        }
        state = words
    }

    /// Restores a saved state.
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 },
                     "A xoshiro256** state is four words, not all zero; got \(state).")
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state[1] &* 5, 7) &* 9
        let shifted = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= shifted
        state[3] = rotateLeft(state[3], 45)
        return result
    }

    /// A double uniform in `[0, 1)`, from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A double uniform in `[lower, upper)`.
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * nextUnit()
    }

    /// An integer uniform in `0..<bound`, by rejection so that every value is equally likely.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound; got \(bound).")
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let draw = next()
            if draw >= threshold { return Int(draw % limit) }
        }
    }

    /// A standard normal draw, by the Box–Muller transform: `√(−2 ln u₁) · cos(2π u₂)`.
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        let u1 = 1 - nextUnit()  // in (0, 1], so the logarithm is finite
        let u2 = nextUnit()
        return mean + standardDeviation * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Shuffles `elements` in place by Fisher–Yates, from the last position down.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for position in stride(from: elements.count - 1, to: 0, by: -1) {
            let other = nextInt(below: position + 1)
            elements.swapAt(position, other)
        }
    }

    /// The integers `0..<count` in a random order.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }

    private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
