import Baifs
import Testing

struct DatasetImagesTests {
    /// The image sets, so that properties shared by both can be checked for each.
    enum Task: String, CaseIterable, Sendable {
        case bars, shapes

        func make(count: Int, noise: Double? = nil, seed: UInt64) -> Dataset {
            var generator = RandomGenerator(seed: seed)
            switch (self, noise) {
            case (.bars, nil): return .bars(count: count, generator: &generator)
            case (.bars, let noise?): return .bars(count: count, noise: noise, generator: &generator)
            case (.shapes, nil): return .shapes(count: count, generator: &generator)
            case (.shapes, let noise?): return .shapes(count: count, noise: noise, generator: &generator)
            }
        }
    }

    static func labels(_ dataset: Dataset) -> [Int] {
        guard case .classes(let labels, _) = dataset.targets else { return [] }
        return labels
    }

    /// The lit pixels, as (row, column), of clean image `index` of `dataset`.
    static func litPixels(_ dataset: Dataset, _ index: Int) -> [(row: Int, column: Int)] {
        (0..<64).filter { dataset.features[index * 64 + $0] == 1 }.map { ($0 / 8, $0 % 8) }
    }

    /// The images of `dataset`, each shifted by whole pixels (filling with 0) so that its centre of
    /// mass, weighting pixels by their positive part, lands nearest the image centre (3.5, 3.5).
    static func centredImages(_ dataset: Dataset) -> [[Double]] {
        (0..<dataset.count).map { sample in
            let image = Array(dataset.features[(sample * 64)..<((sample + 1) * 64)])
            var mass = 0.0, rowMoment = 0.0, columnMoment = 0.0
            for (index, value) in image.enumerated() where value > 0 {
                mass += value
                rowMoment += value * Double(index / 8)
                columnMoment += value * Double(index % 8)
            }
            guard mass > 0 else { return image }
            let rowShift = Int((3.5 - rowMoment / mass).rounded()), columnShift = Int((3.5 - columnMoment / mass).rounded())
            var centred = [Double](repeating: 0, count: 64)
            for row in 0..<8 {
                for column in 0..<8 {
                    let sourceRow = row - rowShift, sourceColumn = column - columnShift
                    if (0..<8).contains(sourceRow) && (0..<8).contains(sourceColumn) {
                        centred[row * 8 + column] = image[sourceRow * 8 + sourceColumn]
                    }
                }
            }
            return centred
        }
    }

    /// The fraction of `test` images whose nearest `training` image, by Euclidean distance between
    /// the centred images, has the same label.
    ///
    /// Centring gives the classifier the indifference to position that convolution and pooling give
    /// a CNN, so a high accuracy shows that the classes are told apart by their figures wherever
    /// they sit.
    static func centredNearestNeighbourAccuracy(training: Dataset, test: Dataset) -> Double {
        let trainingImages = centredImages(training), testImages = centredImages(test)
        let trainingLabels = labels(training), testLabels = labels(test)
        var correct = 0
        for (image, label) in zip(testImages, testLabels) {
            var best = (distance: Double.infinity, label: -1)
            for (candidate, candidateLabel) in zip(trainingImages, trainingLabels) {
                var distance = 0.0
                for (value, other) in zip(image, candidate) { distance += (value - other) * (value - other) }
                if distance < best.distance { best = (distance, candidateLabel) }
            }
            if best.label == label { correct += 1 }
        }
        return Double(correct) / Double(testImages.count)
    }

    @Test(arguments: Task.allCases)
    func imagesAreOneChannelEightByEight(task: Task) {
        let dataset = task.make(count: 40, seed: 1)
        #expect(dataset.sampleShape == [1, 8, 8])
        #expect(dataset.count == 40)
        #expect(dataset.features.count == 40 * 64)
        #expect(dataset.classCount == 4)
    }

    @Test(arguments: Task.allCases)
    func classesAreBalanced(task: Task) {
        #expect(Self.labels(task.make(count: 100, seed: 2)) == (0..<100).map { $0 % 4 })
    }

    @Test(arguments: Task.allCases)
    func sameSeedGivesIdenticalImages(task: Task) {
        #expect(task.make(count: 30, seed: 3) == task.make(count: 30, seed: 3))
    }

    @Test(arguments: Task.allCases)
    func differentSeedsGiveDifferentImages(task: Task) {
        #expect(task.make(count: 30, seed: 3).features != task.make(count: 30, seed: 4).features)
        #expect(task.make(count: 30, noise: 0, seed: 3).features != task.make(count: 30, noise: 0, seed: 4).features)
    }

    @Test(arguments: Task.allCases)
    func noiseIsAddedToTheSameCleanFigures(task: Task) {
        // The figures take the same draws whatever the noise, so a noisy set minus the clean set
        // from the same seed is the noise alone.
        let clean = task.make(count: 200, noise: 0, seed: 5), noisy = task.make(count: 200, noise: 0.2, seed: 5)
        #expect(clean.targets == noisy.targets)
        let differences = zip(noisy.features, clean.features).map { $0 - $1 }
        let mean = differences.reduce(0, +) / Double(differences.count)
        let spread = (differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(differences.count)).squareRoot()
        #expect(abs(mean) < 0.01)
        #expect(abs(spread - 0.2) < 0.01)
    }

    @Test(arguments: Task.allCases)
    func cleanImagesAreBinary(task: Task) {
        #expect(task.make(count: 100, noise: 0, seed: 6).features.allSatisfy { $0 == 0 || $0 == 1 })
    }

    @Test func cleanBarsAreStraightRunsOfFiveToEightPixels() {
        let dataset = Task.bars.make(count: 400, noise: 0, seed: 7)
        for (index, label) in Self.labels(dataset).enumerated() {
            let pixels = Self.litPixels(dataset, index)
            #expect((5...8).contains(pixels.count))
            // Along its direction a bar keeps one of these constant, and they vary by one per step.
            let (constant, varying): ([Int], [Int]) = switch label {
            case 0: (pixels.map(\.row), pixels.map(\.column))
            case 1: (pixels.map(\.column), pixels.map(\.row))
            case 2: (pixels.map { $0.row - $0.column }, pixels.map(\.row))
            default: (pixels.map { $0.row + $0.column }, pixels.map(\.row))
            }
            #expect(Set(constant).count == 1, "Image \(index) of class \(label) is not one straight bar.")
            #expect(varying.sorted() == Array(varying.min()!...varying.max()!), "Image \(index) has a gap.")
        }
    }

    @Test func cleanShapesHaveThePixelCountsOfTheirSizes() {
        let dataset = Task.shapes.make(count: 400, noise: 0, seed: 8)
        // Outlines of side 4–7 light 4(s − 1) pixels, filled squares of side 3–6 light s², and pluses
        // and crosses 3, 5 or 7 across light 2s − 1.
        let allowed: [Set<Int>] = [[12, 16, 20, 24], [9, 16, 25, 36], [5, 9, 13], [5, 9, 13]]
        var seenSizes = [Set<Int>](repeating: [], count: 4)
        for (index, label) in Self.labels(dataset).enumerated() {
            let count = Self.litPixels(dataset, index).count
            #expect(allowed[label].contains(count), "Image \(index) of class \(label) lights \(count) pixels.")
            seenSizes[label].insert(count)
        }
        #expect(seenSizes == allowed)
    }

    @Test func cleanPlusesAndCrossesHaveTheirStrokes() {
        let dataset = Task.shapes.make(count: 400, noise: 0, seed: 9)
        for (index, label) in Self.labels(dataset).enumerated() where label >= 2 {
            let pixels = Self.litPixels(dataset, index)
            // A plus lies on one row and one column; a cross on one diagonal and one antidiagonal.
            let first = label == 2 ? pixels.map(\.row) : pixels.map { $0.row - $0.column }
            let second = label == 2 ? pixels.map(\.column) : pixels.map { $0.row + $0.column }
            let onFirst = Dictionary(grouping: first, by: { $0 }).max { $0.value.count < $1.value.count }!.key
            let onSecond = Dictionary(grouping: second, by: { $0 }).max { $0.value.count < $1.value.count }!.key
            #expect(zip(first, second).allSatisfy { $0 == onFirst || $1 == onSecond },
                    "Image \(index) of class \(label) has a pixel off its strokes.")
        }
    }

    @Test(arguments: Task.allCases)
    func cleanClassesAreDistinguishableByCentredNearestNeighbour(task: Task) {
        let accuracy = Self.centredNearestNeighbourAccuracy(training: task.make(count: 400, noise: 0, seed: 10),
                                                            test: task.make(count: 200, noise: 0, seed: 11))
        #expect(accuracy >= 0.95)
    }

    @Test(arguments: Task.allCases)
    func classesStayDistinguishableAtTheDefaultNoise(task: Task) {
        let accuracy = Self.centredNearestNeighbourAccuracy(training: task.make(count: 400, seed: 12),
                                                            test: task.make(count: 200, seed: 13))
        #expect(accuracy >= 0.9)
    }
}
