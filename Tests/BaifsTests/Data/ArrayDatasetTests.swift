import Baifs
import Foundation
import TestSupport
import Testing

struct ArrayDatasetTests {
    /// An IDX file of unsigned bytes with dimensions `shape` and elements `values`.
    static func idx(shape: [Int], values: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 8, UInt8(shape.count)]
        for dimension in shape { bytes += (0..<4).map { UInt8((dimension >> (8 * (3 - $0))) & 0xFF) } }
        return bytes + values
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("array-dataset-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func load(features: String, targets: String, _ options: ArrayDataset.Options) throws(DataFileError) -> ArrayDataset {
        var generator = RandomGenerator(seed: 1)
        return try ArrayDataset(features: .npy(Fixtures.path("npy/\(features)")), targets: .npy(Fixtures.path("npy/\(targets)")),
                                options: options, generator: &generator)
    }

    @Test func stringTargetsOfAnArchiveAreSortedClassNames() throws {
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("npy/arrays.npz"))
        var generator = RandomGenerator(seed: 1)
        let loaded = try ArrayDataset(features: .npz(archive, name: "features"), targets: .npz(archive, name: "targets"),
                                      options: .init(validationFraction: 0), generator: &generator)
        #expect(loaded.classes == .names(["a", "b"]))
        #expect(loaded.training == Dataset(sampleShape: [2], features: [0, 1, 2, 3, 4, 5], targets: .classes(labels: [1, 0, 1], classCount: 2)))
        #expect(loaded.validation.count == 0)
        #expect(loaded.test == nil)
        #expect(generator == RandomGenerator(seed: 1))
    }

    @Test func compressedArchiveSplitsIntoTrainingValidationAndTest() throws {
        let archive = try NPZArchive(contentsOfFile: Fixtures.path("npy/compressed.npz"))
        var generator = RandomGenerator(seed: 3)
        let loaded = try ArrayDataset(features: .npz(archive, name: "features"), targets: .npz(archive, name: "targets"),
                                      options: .init(normalization: .standardize, validationFraction: 0.2, testFraction: 0.1),
                                      generator: &generator)
        #expect((loaded.training.count, loaded.validation.count, loaded.test?.count) == (210, 60, 30))
        #expect(loaded.classes == .indices(count: 3))
        let features = loaded.training.features
        for feature in 0..<2 {
            let column: [Double] = (0..<210).map { features[2 * $0 + feature] }
            let mean: Double = column.reduce(0, +) / 210
            #expect(abs(mean) < 1e-12)
        }
    }

    @Test func imagesKeepTheirShapeAndAreScaled() throws {
        let loaded = try Self.load(features: "images.npy", targets: "u1.npy",
                                   .init(task: .regression, validationFraction: 0, scale: 0.5))
        #expect(loaded.training.sampleShape == [1, 2, 4])
        #expect(loaded.training.features == (0..<16).map { Double($0) / 2 })
        #expect(loaded.training.targets == .values([0, 1, 2, 3, 4, 5], width: 3))
        let reshaped = try Self.load(features: "images.npy", targets: "u1.npy", .init(task: .regression, sampleShape: [8], validationFraction: 0))
        #expect(reshaped.training.sampleShape == [8])
    }

    @Test func aLabelFeatureCountMismatchIsAnErrorInTheTargetsFile() {
        #expect(throws: DataFileError(path: Fixtures.path("npy/names.npy"), location: .file,
                                      message: "the targets have 4 rows, but the features in \(Fixtures.path("npy/images.npy")) have 2 samples; both need one row per sample")) {
            try Self.load(features: "images.npy", targets: "names.npy", .init())
        }
    }

    @Test func targetsAndShapesMustFitTheTask() {
        #expect(throws: DataFileError(path: Fixtures.path("npy/version2.npy"), location: .file,
                                      message: "the targets have 4 rows, but the features in \(Fixtures.path("npy/images.npy")) have 2 samples; both need one row per sample")) {
            try Self.load(features: "images.npy", targets: "version2.npy", .init())
        }
        #expect(throws: DataFileError(path: Fixtures.path("npy/le-f4.npy"), location: .file, message: "class labels need shape [N]; got [2, 3]")) {
            try Self.load(features: "images.npy", targets: "le-f4.npy", .init())
        }
        #expect(throws: DataFileError(path: Fixtures.path("npy/images.npy"), location: .file,
                                      message: "sample shape [3, 3] does not hold a row of 8 values (the features have shape [2, 1, 2, 4])")) {
            try Self.load(features: "images.npy", targets: "u1.npy", .init(task: .regression, sampleShape: [3, 3]))
        }
    }

    @Test func idxFilesWithTestFilesAndGzipMakeOneChannelImages() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let images = Self.idx(shape: [6, 2, 3], values: (0..<36).map { UInt8($0 * 7) })
        let labels = Self.idx(shape: [6], values: [0, 1, 2, 0, 1, 2])
        try Data(gzipStored(images)).write(to: URL(fileURLWithPath: "\(folder)/train-images.gz"))
        try Data(labels).write(to: URL(fileURLWithPath: "\(folder)/train-labels"))
        try Data(Self.idx(shape: [2, 2, 3], values: Array(repeating: 255, count: 12))).write(to: URL(fileURLWithPath: "\(folder)/test-images"))
        try Data(gzipStored(Self.idx(shape: [2], values: [2, 1]))).write(to: URL(fileURLWithPath: "\(folder)/test-labels.gz"))

        var generator = RandomGenerator(seed: 5)
        let loaded = try ArrayDataset(
            features: .idx("\(folder)/train-images.gz", images: true), targets: .idx("\(folder)/train-labels", images: false),
            testSet: (.idx("\(folder)/test-images", images: true), .idx("\(folder)/test-labels.gz", images: false)),
            options: .init(validationFraction: 1.0 / 3, scale: 1.0 / 255), generator: &generator)
        #expect(loaded.training.sampleShape == [1, 2, 3])
        #expect((loaded.training.count, loaded.validation.count, loaded.test?.count) == (4, 2, 2))
        #expect(loaded.test?.features == Array(repeating: 1, count: 12))
        #expect(loaded.test?.targets == .classes(labels: [2, 1], classCount: 3))
        #expect(loaded.classes == .indices(count: 3))
        #expect(loaded.training.features.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func integerLabelsWithAGapAreAnErrorInTheLabelsFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Self.idx(shape: [3, 1, 1], values: [1, 2, 3])).write(to: URL(fileURLWithPath: "\(folder)/images"))
        try Data(Self.idx(shape: [3], values: [1, 2, 3])).write(to: URL(fileURLWithPath: "\(folder)/labels"))
        var generator = RandomGenerator(seed: 5)
        #expect(throws: DataFileError(path: "\(folder)/labels", location: .file,
                                      message: "the class indices in \(folder)/labels run from 1 to 3, so class 0 has no samples: classes are numbered from 0, which would make 4 classes; subtract 1 from every label, or write the labels as names")) {
            try ArrayDataset(features: .idx("\(folder)/images", images: true), targets: .idx("\(folder)/labels", images: false),
                             options: .init(validationFraction: 0), generator: &generator)
        }
    }
}
