import Baifs
import Testing

struct DatasetTests {
    /// Ten samples of two features, sample `i` being `(i, −i)` with label `i % 3`.
    static func numbered(count: Int = 10) -> Dataset {
        Dataset(sampleShape: [2], features: (0..<count).flatMap { [Double($0), -Double($0)] },
                targets: .classes(labels: (0..<count).map { $0 % 3 }, classCount: 3))
    }

    /// The number each sample of a dataset made by `numbered` was created with.
    static func sampleNumbers(_ dataset: Dataset) -> [Int] {
        (0..<dataset.count).map { Int(dataset.features[2 * $0]) }
    }

    @Test func reportsCountsAndKind() {
        let dataset = Self.numbered()
        #expect(dataset.count == 10)
        #expect(dataset.featureCount == 2)
        #expect(dataset.isClassification)
        #expect(dataset.classCount == 3)
        let regression = Dataset(sampleShape: [1, 2, 2], features: Array(repeating: 0, count: 8), targets: .values([1, 2], width: 1))
        #expect(regression.count == 2)
        #expect(regression.featureCount == 4)
        #expect(!regression.isClassification)
        #expect(regression.classCount == nil)
    }

    @Test func subsetTakesSamplesInTheGivenOrder() {
        let subset = Self.numbered().subset([7, 2, 2, 0])
        #expect(subset.features == [7, -7, 2, -2, 2, -2, 0, 0])
        #expect(subset.targets == .classes(labels: [1, 2, 2, 0], classCount: 3))
        #expect(subset.sampleShape == [2])
    }

    @Test func subsetKeepsEveryTargetValueOfASample() {
        let dataset = Dataset(sampleShape: [1], features: [10, 20, 30], targets: .values([1, 2, 3, 4, 5, 6], width: 2))
        let subset = dataset.subset([2, 0])
        #expect(subset.features == [30, 10])
        #expect(subset.targets == .values([5, 6, 1, 2], width: 2))
    }

    @Test func emptySubsetHasNoSamples() {
        let subset = Self.numbered().subset([])
        #expect(subset.count == 0)
        #expect(subset.targets == .classes(labels: [], classCount: 3))
    }

    @Test(arguments: [0.0, 0.2, 0.25, 0.5])
    func splitPartitionsTheSamples(fraction: Double) {
        var generator = RandomGenerator(seed: 1)
        let (training, validation) = Self.numbered().split(validationFraction: fraction, generator: &generator)
        #expect(validation.count == Int((fraction * 10).rounded()))
        #expect(training.count + validation.count == 10)
        let all = Self.sampleNumbers(training) + Self.sampleNumbers(validation)
        #expect(all.sorted() == Array(0..<10))
    }

    @Test func splitKeepsTheOriginalOrderWithinEachPart() {
        var generator = RandomGenerator(seed: 2)
        let (training, validation) = Self.numbered(count: 50).split(validationFraction: 0.3, generator: &generator)
        #expect(Self.sampleNumbers(training) == Self.sampleNumbers(training).sorted())
        #expect(Self.sampleNumbers(validation) == Self.sampleNumbers(validation).sorted())
    }

    @Test func splitKeepsEachSampleWithItsLabel() {
        var generator = RandomGenerator(seed: 3)
        let (training, _) = Self.numbered(count: 30).split(validationFraction: 0.4, generator: &generator)
        guard case .classes(let labels, _) = training.targets else {
            Issue.record("A split of a classification set should have class targets.")
            return
        }
        #expect(labels == Self.sampleNumbers(training).map { $0 % 3 })
    }

    @Test func sameSeedGivesTheSameSplit() {
        var first = RandomGenerator(seed: 4), second = RandomGenerator(seed: 4)
        let dataset = Self.numbered(count: 40)
        #expect(dataset.split(validationFraction: 0.25, generator: &first) == dataset.split(validationFraction: 0.25, generator: &second))
    }

    @Test func differentSeedsGiveDifferentSplits() {
        var first = RandomGenerator(seed: 4), second = RandomGenerator(seed: 5)
        let dataset = Self.numbered(count: 40)
        #expect(dataset.split(validationFraction: 0.25, generator: &first).validation
                != dataset.split(validationFraction: 0.25, generator: &second).validation)
    }
}
