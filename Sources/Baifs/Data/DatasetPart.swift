/// Which of the three sets a sample belongs to.
public enum DatasetPart: UInt8, Sendable, Equatable, CaseIterable {
    /// Used to fit the parameters.
    case training
    /// Held out to pick the best epoch and stop early.
    case validation
    /// Held out until the end, evaluated once.
    case test

    /// The part of each of `count` samples, drawn as `Dataset.split` draws them: a seeded
    /// permutation of the samples whose first `round(validationFraction · count)` go to
    /// validation, the next `round(testFraction · count)` to test, and the rest to training.
    ///
    /// The test set takes what the validation set leaves if the fractions add up to more than 1.
    /// With a test fraction of 0 this is exactly the validation split `Dataset.split(validationFraction:generator:)` makes.
    public static func draw(count: Int, validationFraction: Double, testFraction: Double = 0,
                            generator: inout RandomGenerator) -> [DatasetPart] {
        precondition((0...1).contains(validationFraction) && (0...1).contains(testFraction),
                     "The validation and test fractions lie in [0, 1]; got \(validationFraction) and \(testFraction).")
        let order = generator.permutation(count)
        let validationCount = Int((validationFraction * Double(count)).rounded())
        let testCount = min(count - validationCount, Int((testFraction * Double(count)).rounded()))
        var parts = [DatasetPart](repeating: .training, count: count)
        for index in order[..<validationCount] { parts[index] = .validation }
        for index in order[validationCount..<(validationCount + testCount)] { parts[index] = .test }
        return parts
    }
}
