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

    /// A `.npy` file (version 1) of `descr` with `shape` and the element bytes `data`.
    static func npy(descr: String, shape: [Int], fortranOrder: Bool = false, data: [UInt8]) -> [UInt8] {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(tuple), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8) + data
    }

    /// The bytes of `values` as `.npy` `<f8` elements.
    static func float64(_ values: [Double]) -> [UInt8] {
        values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
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

    @Test func samplesWithoutValuesAreAnErrorNotATrap() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Images of height 0 passed reading and stopped in the normalisation's precondition.
        try Data(Self.idx(shape: [3, 0, 8], values: [])).write(to: URL(fileURLWithPath: "\(folder)/images"))
        try Data(Self.idx(shape: [3], values: [0, 1, 0])).write(to: URL(fileURLWithPath: "\(folder)/labels"))
        var generator = RandomGenerator(seed: 1)
        #expect(throws: DataFileError(path: "\(folder)/images", location: .file,
                                      message: "the features array has shape [3, 1, 0, 8], so its samples hold no values; every dimension after the first must be at least 1")) {
            try ArrayDataset(features: .idx("\(folder)/images", images: true), targets: .idx("\(folder)/labels", images: false),
                             options: .init(validationFraction: 0), generator: &generator)
        }
        try Data(Self.npy(descr: "<f8", shape: [3, 0], data: [])).write(to: URL(fileURLWithPath: "\(folder)/features.npy"))
        try Data(Self.npy(descr: "|u1", shape: [3], data: [0, 1, 0])).write(to: URL(fileURLWithPath: "\(folder)/labels.npy"))
        #expect(throws: DataFileError(path: "\(folder)/features.npy", location: .file,
                                      message: "the features array has shape [3, 0], so its samples hold no values; every dimension after the first must be at least 1")) {
            try ArrayDataset(features: .npy("\(folder)/features.npy"), targets: .npy("\(folder)/labels.npy"),
                             options: .init(normalization: .standardize, validationFraction: 0), generator: &generator)
        }
    }

    @Test func unsignedLabelsBeyondTwoToThe53AreAnErrorNotATrap() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Self.npy(descr: "<f8", shape: [3, 1], data: Self.float64([1, 2, 3]))).write(to: URL(fileURLWithPath: "\(folder)/features.npy"))
        // 2⁶⁴ − 1 converted to Int traps; 2⁵³ is the first label a double cannot tell from its neighbour.
        for (label, shown) in [(UInt64.max, "1.8446744073709552e+19"), (1 << 53, "9007199254740992.0")] {
            let data = [UInt64(0), 1, label].flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
            try Data(Self.npy(descr: "<u8", shape: [3], data: data)).write(to: URL(fileURLWithPath: "\(folder)/labels.npy"))
            var generator = RandomGenerator(seed: 1)
            #expect(throws: DataFileError(path: "\(folder)/labels.npy", location: .file,
                                          message: "row 2 holds \(shown), which is too large for a class label (at most 2^53 - 1)")) {
                try ArrayDataset(features: .npy("\(folder)/features.npy"), targets: .npy("\(folder)/labels.npy"),
                                 options: .init(validationFraction: 0), generator: &generator)
            }
        }
    }

    /// Features stored four ways (packed bytes, big-endian doubles, little-endian 16-bit integers,
    /// and Fortran order, which is decoded on reading): values of row `r`, feature `f`.
    static let layouts: [(name: String, value: @Sendable (Int, Int) -> Double, npy: @Sendable (Int, Int) -> [UInt8])] = [
        ("|u1", { r, f in Double((r * 3 + f * 50) % 256) }, { rows, width in
            (0..<(rows * width)).map { UInt8(($0 / width * 3 + $0 % width * 50) % 256) } }),
        (">f8", { r, f in Double(r) * 0.75 - Double(f * f) }, { rows, width in
            (0..<(rows * width)).flatMap { index in
                let value = Double(index / width) * 0.75 - Double(index % width * (index % width))
                return (0..<8).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * (7 - $0))) } } }),
        ("<i2", { r, f in Double(r * 500 - f * 7000) }, { rows, width in
            (0..<(rows * width)).flatMap { index in
                let value = UInt16(bitPattern: Int16(index / width * 500 - index % width * 7000))
                return [UInt8(value & 0xFF), UInt8(value >> 8)] } }),
        ("<f8 fortran", { r, f in Double(r) - Double(f) / 8 }, { rows, width in
            // Column-major: feature after feature.
            float64((0..<(rows * width)).map { index in Double(index % rows) - Double(index / rows) / 8 }) }),
    ]

    @Test(arguments: 0..<layouts.count)
    func everySetHoldsItsDrawnSamplesInFileOrderScaled(_ layout: Int) throws {
        let (name, value, npy) = Self.layouts[layout]
        let (rows, width) = (37, 3)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let descr = String(name.prefix(3))
        try Data(Self.npy(descr: descr, shape: [rows, width], fortranOrder: name.hasSuffix("fortran"), data: npy(rows, width)))
            .write(to: URL(fileURLWithPath: "\(folder)/features.npy"))
        try Data(Self.npy(descr: "|u1", shape: [rows], data: (0..<rows).map { UInt8($0 % 4) }))
            .write(to: URL(fileURLWithPath: "\(folder)/labels.npy"))

        var generator = RandomGenerator(seed: 9)
        let loaded = try ArrayDataset(features: .npy("\(folder)/features.npy"), targets: .npy("\(folder)/labels.npy"),
                                      options: .init(validationFraction: 0.3, testFraction: 0.2, scale: 0.5), generator: &generator)
        // The reference: every sample, scaled, split by `Dataset.split` with the same seed.
        let all = Dataset(sampleShape: [width], features: (0..<rows).flatMap { r in (0..<width).map { value(r, $0) * 0.5 } },
                          targets: .classes(labels: (0..<rows).map { $0 % 4 }, classCount: 4))
        var reference = RandomGenerator(seed: 9)
        let expected = all.split(validationFraction: 0.3, testFraction: 0.2, generator: &reference)
        #expect(loaded.training == expected.training)
        #expect(loaded.validation == expected.validation)
        #expect(loaded.test == expected.test)
        #expect((loaded.training.count, loaded.validation.count, loaded.test?.count) == (19, 11, 7))
        #expect(generator == reference)
    }

    @Test func nonFiniteValuesAndScaleOverflowsAreReportedInSampleOrderAfterEarlierProblems() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
        // Rows 2 (feature 1) and 3 (feature 0) of the training file and row 0 of the test file
        // overflow when multiplied by 1e300.
        try write("features.npy", Self.npy(descr: "<f8", shape: [4, 2], data: Self.float64([1, 0, 0, 1, 0, 1e10, 1e10, 1])))
        try write("test.npy", Self.npy(descr: "<f8", shape: [2, 2], data: Self.float64([1e10, 0, 0, 0])))
        try write("test-nan.npy", Self.npy(descr: "<f8", shape: [2, 2], data: Self.float64([0, 0, .nan, 0])))
        try write("infinite.npy", Self.npy(descr: "<f8", shape: [4, 2], data: Self.float64([1, 0, 0, 1, 0, -.infinity, 1, 1])))
        try write("labels.npy", Self.npy(descr: "|u1", shape: [4], data: [0, 1, 0, 1]))
        try write("gap.npy", Self.npy(descr: "|u1", shape: [4], data: [0, 2, 0, 2]))
        try write("three.npy", Self.npy(descr: "|u1", shape: [3], data: [0, 1, 0]))
        try write("test-labels.npy", Self.npy(descr: "|u1", shape: [2], data: [1, 0]))
        func load(_ features: String, _ labels: String, test: String? = nil, scale: Double = 1e300) throws(DataFileError) -> ArrayDataset {
            var generator = RandomGenerator(seed: 2)
            let testSet = try test.map { (file: String) throws(DataFileError) in
                (features: try ArrayDataset.Source.npy("\(folder)/\(file)"), targets: try ArrayDataset.Source.npy("\(folder)/test-labels.npy"))
            }
            return try ArrayDataset(features: .npy("\(folder)/\(features)"), targets: .npy("\(folder)/\(labels)"), testSet: testSet,
                                    options: .init(validationFraction: 0.5, scale: scale), generator: &generator)
        }
        let path = "\(folder)/features.npy"
        #expect(throws: DataFileError(path: path, location: .file, message: "feature 1 has values that the scale 1e+300 makes infinite")) {
            try load("features.npy", "labels.npy", test: "test.npy")
        }
        #expect(throws: DataFileError(path: "\(folder)/three.npy", location: .file,
                                      message: "the targets have 3 rows, but the features in \(path) have 4 samples; both need one row per sample")) {
            try load("features.npy", "three.npy")
        }
        #expect(throws: DataFileError(path: "\(folder)/gap.npy", location: .file,
                                      message: "class index 1 has no samples in \(folder)/gap.npy, whose labels run from 0 to 2: classes are numbered from 0 to the largest label without gaps; renumber the labels, or write them as names")) {
            try load("features.npy", "gap.npy")
        }
        #expect(throws: DataFileError(path: "\(folder)/infinite.npy", location: .file, message: "row 2 holds -inf, which is not a finite number")) {
            try load("infinite.npy", "three.npy")
        }
        #expect(throws: DataFileError(path: "\(folder)/test-nan.npy", location: .file, message: "row 1 holds nan, which is not a finite number")) {
            try load("features.npy", "labels.npy", test: "test-nan.npy")
        }
        let finite = try load("features.npy", "labels.npy", test: "test.npy", scale: 1e-300)
        #expect(finite.test?.features == [1e10 * 1e-300, 0, 0, 0])
        try write("small.npy", Self.npy(descr: "<f8", shape: [4, 2], data: Self.float64([1, 0, 0, 1, 0, 1, 1, 1])))
        #expect(throws: DataFileError(path: "\(folder)/small.npy", location: .file, message: "feature 0 has values that the scale 1e+300 makes infinite")) {
            try load("small.npy", "labels.npy", test: "test.npy")
        }
        // Integers stay finite under a scale below 2⁹⁰⁰ (2⁶² · 10²⁷⁰ ≈ 4.6 · 10²⁸⁸), not under 10³⁰⁰.
        let integers: [Int64] = [1, 0, 0, 1 << 62, 0, 1, 1, 1]
        try write("integers.npy", Self.npy(descr: "<i8", shape: [4, 2], data: integers.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }))
        #expect(throws: DataFileError(path: "\(folder)/integers.npy", location: .file, message: "feature 1 has values that the scale 1e+300 makes infinite")) {
            try load("integers.npy", "labels.npy")
        }
        let scaled = try load("integers.npy", "labels.npy", scale: 1e270)
        #expect((scaled.training.features + scaled.validation.features).contains(Double(1 << 62) * 1e270))
    }
}
