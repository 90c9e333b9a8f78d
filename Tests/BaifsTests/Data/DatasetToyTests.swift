import Baifs
import Foundation
import Testing

struct DatasetToyTests {
    /// The toy sets, so that properties shared by all of them can be checked for each.
    enum Toy: String, CaseIterable, Sendable {
        case twoMoons, concentricCircles, xor, spirals, sine

        func make(count: Int, seed: UInt64) -> Dataset {
            var generator = RandomGenerator(seed: seed)
            switch self {
            case .twoMoons: return .twoMoons(count: count, generator: &generator)
            case .concentricCircles: return .concentricCircles(count: count, generator: &generator)
            case .xor: return .xor(count: count, generator: &generator)
            case .spirals: return .spirals(count: count, generator: &generator)
            case .sine: return .sine(count: count, generator: &generator)
            }
        }
    }

    /// The points of `dataset`, whose samples have two features.
    static func points(_ dataset: Dataset) -> [(x: Double, y: Double)] {
        (0..<dataset.count).map { (dataset.features[2 * $0], dataset.features[2 * $0 + 1]) }
    }

    static func labels(_ dataset: Dataset) -> [Int] {
        guard case .classes(let labels, _) = dataset.targets else { return [] }
        return labels
    }

    @Test(arguments: Toy.allCases)
    func sameSeedGivesIdenticalDataset(toy: Toy) {
        #expect(toy.make(count: 60, seed: 5) == toy.make(count: 60, seed: 5))
    }

    @Test(arguments: Toy.allCases)
    func differentSeedsGiveDifferentDatasets(toy: Toy) {
        #expect(toy.make(count: 60, seed: 5).features != toy.make(count: 60, seed: 6).features)
    }

    @Test(arguments: Toy.allCases)
    func hasTheRequestedCountAndShape(toy: Toy) {
        let dataset = toy.make(count: 61, seed: 1)
        #expect(dataset.count == 61)
        #expect(dataset.sampleShape == (toy == .sine ? [1] : [2]))
    }

    @Test(arguments: [Toy.twoMoons, .concentricCircles, .xor, .spirals])
    func classesAreBalanced(toy: Toy) throws {
        let dataset = toy.make(count: 120, seed: 2)
        let classCount = try #require(dataset.classCount)
        let labels = Self.labels(dataset)
        for label in 0..<classCount {
            #expect(labels.filter { $0 == label }.count == 120 / classCount)
        }
    }

    @Test func spiralsHaveOneClassPerArm() {
        var generator = RandomGenerator(seed: 3)
        let dataset = Dataset.spirals(count: 100, classes: 5, generator: &generator)
        #expect(dataset.classCount == 5)
        #expect(Self.labels(dataset) == (0..<100).map { $0 % 5 })
    }

    @Test func moonsLieOnTheirHalfCirclesWithoutNoise() {
        var generator = RandomGenerator(seed: 4)
        let dataset = Dataset.twoMoons(count: 200, noise: 0, generator: &generator)
        for (point, label) in zip(Self.points(dataset), Self.labels(dataset)) {
            if label == 0 {
                // (cos t, sin t) for t in [0, π]: the upper half of the unit circle.
                #expect(abs(point.x * point.x + point.y * point.y - 1) < 1e-12)
                #expect(point.y >= 0)
            } else {
                // (1 − cos t, 0.5 − sin t): the lower half of the unit circle centred at (1, 0.5).
                let dx = point.x - 1, dy = point.y - 0.5
                #expect(abs(dx * dx + dy * dy - 1) < 1e-12)
                #expect(point.y <= 0.5)
            }
        }
    }

    @Test func moonsNoiseMovesPointsOffTheCurves() {
        var generator = RandomGenerator(seed: 4)
        let dataset = Dataset.twoMoons(count: 200, noise: 0.1, generator: &generator)
        let offCurve = zip(Self.points(dataset), Self.labels(dataset)).filter { point, label in
            let centre = label == 0 ? (x: 0.0, y: 0.0) : (x: 1.0, y: 0.5)
            let radius = ((point.x - centre.x) * (point.x - centre.x) + (point.y - centre.y) * (point.y - centre.y)).squareRoot()
            return abs(radius - 1) > 0.01
        }
        #expect(offCurve.count > 150)
    }

    @Test(arguments: [0.3, 0.5, 0.8])
    func circlesInnerRadiusIsTheFactorWithoutNoise(factor: Double) {
        var generator = RandomGenerator(seed: 5)
        let dataset = Dataset.concentricCircles(count: 100, noise: 0, factor: factor, generator: &generator)
        for (point, label) in zip(Self.points(dataset), Self.labels(dataset)) {
            let radius = (point.x * point.x + point.y * point.y).squareRoot()
            #expect(abs(radius - (label == 0 ? 1 : factor)) < 1e-12)
        }
    }

    @Test func xorClassesFollowTheSignsOfTheCoordinates() {
        var generator = RandomGenerator(seed: 6)
        let dataset = Dataset.xor(count: 400, noise: 0.1, generator: &generator)
        for (point, label) in zip(Self.points(dataset), Self.labels(dataset)) {
            // With noise 0.1 a point leaves its quadrant only beyond ten standard deviations.
            #expect(label == (point.x * point.y < 0 ? 1 : 0))
        }
    }

    @Test func xorClustersSpreadByTheNoise() {
        var generator = RandomGenerator(seed: 7)
        let dataset = Dataset.xor(count: 4000, noise: 0.3, generator: &generator)
        let deviations = Self.points(dataset).flatMap { point in
            [point.x - (point.x > 0 ? 1 : -1), point.y - (point.y > 0 ? 1 : -1)]
        }
        let mean = deviations.reduce(0, +) / Double(deviations.count)
        let spread = (deviations.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(deviations.count)).squareRoot()
        #expect(abs(mean) < 0.02)
        #expect(abs(spread - 0.3) < 0.02)
    }

    @Test func spiralArmsFollowTheirAngleWithoutNoise() {
        var generator = RandomGenerator(seed: 8)
        let dataset = Dataset.spirals(count: 300, classes: 3, noise: 0, generator: &generator)
        for (point, label) in zip(Self.points(dataset), Self.labels(dataset)) {
            let radius = (point.x * point.x + point.y * point.y).squareRoot()
            #expect(radius < 1)
            guard radius > 1e-6 else { continue }
            // θ = 2πk/3 + 4r, compared on the circle.
            let expected = 2 * Double.pi * Double(label) / 3 + 4 * radius
            #expect(abs(point.x - radius * cos(expected)) < 1e-9)
            #expect(abs(point.y - radius * sin(expected)) < 1e-9)
        }
    }

    @Test func sineTargetsEqualSineOfTheInputWithoutNoise() throws {
        var generator = RandomGenerator(seed: 9)
        let dataset = Dataset.sine(count: 200, noise: 0, generator: &generator)
        guard case .values(let values, let width) = dataset.targets else {
            Issue.record("Sine targets should be values.")
            return
        }
        #expect(width == 1)
        for (x, y) in zip(dataset.features, values) {
            #expect(x >= -Double.pi && x < Double.pi)
            #expect(y == sin(x))
        }
    }

    @Test func sineInputsCoverTheWholeInterval() {
        var generator = RandomGenerator(seed: 10)
        let inputs = Dataset.sine(count: 500, generator: &generator).features
        #expect(inputs.min()! < -3)
        #expect(inputs.max()! > 3)
    }
}
