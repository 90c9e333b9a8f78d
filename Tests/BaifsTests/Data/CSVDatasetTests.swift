import Baifs
import Foundation
import TestSupport
import Testing

struct CSVDatasetTests {
    /// 45 rows (15 per class, interleaved) of four flower measurements, a class index in `species`
    /// and `split`, which marks every fifth row `validation` and the others `train`.
    static let irisPath = "\(Fixtures.folder)/iris-like.csv"

    static let measurements = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

    static func load(_ text: String, _ options: CSVDataset.Options, seed: UInt64 = 1) throws(CSVError) -> CSVDataset {
        var generator = RandomGenerator(seed: seed)
        return try CSVDataset(parsing: text, path: "data.csv", options: options, generator: &generator)
    }

    /// The printed error from reading `text` with `options`, or `nil` if it reads.
    static func failure(_ text: String, _ options: CSVDataset.Options) -> String? {
        do {
            _ = try load(text, options)
            return nil
        } catch {
            return error.description
        }
    }

    static func labels(_ dataset: Dataset) -> [Int] {
        guard case .classes(let labels, _) = dataset.targets else { return [] }
        return labels
    }

    /// Feature `feature` of every sample of `dataset`.
    static func column(_ feature: Int, of dataset: Dataset) -> [Double] {
        (0..<dataset.count).map { dataset.features[$0 * dataset.featureCount + feature] }
    }

    // MARK: - Reading the fixture

    @Test func readsTheFixtureSplitByColumn() throws {
        var generator = RandomGenerator(seed: 1)
        let options = CSVDataset.Options(target: .classes(column: "species"), split: .column("split"))
        let loaded = try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &generator)
        #expect(loaded.featureColumns == Self.measurements)
        #expect(loaded.training.count == 36)
        #expect(loaded.validation.count == 9)
        #expect(loaded.training.sampleShape == [4])
        #expect(loaded.training.classCount == 3)
        #expect(loaded.validation.classCount == 3)
        #expect(Array(loaded.training.features.prefix(4)) == [5.1, 3.2, 1.6, 0.1])
        #expect(Array(loaded.validation.features.prefix(4)) == [6.1, 2.8, 4.3, 1.4])
        // Rows 0, 1, 2, 3, 5 (0-based, after the header) are training rows, row 4 validation.
        #expect(Array(Self.labels(loaded.training).prefix(5)) == [0, 1, 2, 0, 2])
        #expect(Array(Self.labels(loaded.validation).prefix(3)) == [1, 0, 2])
        #expect(loaded.normalization == .identity(featureCount: 4))
        #expect(generator == RandomGenerator(seed: 1))
    }

    @Test func readsTheFixtureSplitByFraction() throws {
        let options = CSVDataset.Options(target: .classes(column: "species"), featureColumns: Self.measurements,
                                         split: .validationFraction(0.2))
        var first = RandomGenerator(seed: 1), again = RandomGenerator(seed: 1), other = RandomGenerator(seed: 2)
        let loaded = try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &first)
        #expect(loaded.training.count == 36)
        #expect(loaded.validation.count == 9)
        #expect(try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &again) == loaded)
        #expect(try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &other).validation != loaded.validation)
    }

    @Test func featureColumnsCanBeChosenAndReordered() throws {
        let options = CSVDataset.Options(target: .classes(column: "species"), featureColumns: ["petal_width", "sepal_length"],
                                         split: .column("split"))
        var generator = RandomGenerator(seed: 1)
        let loaded = try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &generator)
        #expect(loaded.featureColumns == ["petal_width", "sepal_length"])
        #expect(Array(loaded.training.features.prefix(4)) == [0.1, 5.1, 1.2, 5.9])
    }

    @Test func featuresCanBeReshapedToImages() throws {
        let options = CSVDataset.Options(target: .classes(column: "species"), sampleShape: [1, 2, 2], split: .column("split"))
        var generator = RandomGenerator(seed: 1)
        let loaded = try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &generator)
        #expect(loaded.training.sampleShape == [1, 2, 2])
        #expect(loaded.validation.sampleShape == [1, 2, 2])
        #expect(Array(loaded.training.features.prefix(4)) == [5.1, 3.2, 1.6, 0.1])
    }

    @Test func standardizingTheFixtureUsesTrainingRowsOnly() throws {
        var generator = RandomGenerator(seed: 1)
        let raw = try CSVDataset(contentsOfFile: Self.irisPath,
                                 options: .init(target: .classes(column: "species"), split: .column("split")),
                                 generator: &generator)
        let standardized = try CSVDataset(contentsOfFile: Self.irisPath,
                                          options: .init(target: .classes(column: "species"), normalization: .standardize,
                                                         split: .column("split")),
                                          generator: &generator)
        for feature in 0..<4 {
            let values = Self.column(feature, of: raw.training)
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            #expect(isApproximatelyEqual(standardized.normalization.offsets[feature], mean, relative: 1e-12, absolute: 1e-12))
            #expect(isApproximatelyEqual(standardized.normalization.scales[feature], variance.squareRoot(), relative: 1e-12, absolute: 1e-12))

            let normalized = Self.column(feature, of: standardized.training)
            let normalizedMean = normalized.reduce(0, +) / Double(normalized.count)
            let normalizedVariance = normalized.map { $0 * $0 }.reduce(0, +) / Double(normalized.count)
            #expect(abs(normalizedMean) < 1e-12)
            #expect(abs(normalizedVariance - 1) < 1e-12)

            let validation = zip(Self.column(feature, of: raw.validation), Self.column(feature, of: standardized.validation))
            #expect(validation.allSatisfy { isApproximatelyEqual((($0 - mean) / variance.squareRoot()), $1, relative: 1e-6, absolute: 1e-8) })
        }
        #expect(standardized.training.targets == raw.training.targets)
    }

    // MARK: - Normalisation, computed by hand

    /// `x` on training rows is 1, 2, 6 (mean 3, population variance 14/3, range 1 to 6); `y` is
    /// constant; the validation rows have `x` 3 and 10.
    static let normalizationText = """
        x,y,target,split
        1,5,0.5,train
        2,5,1.5,train
        3,5,2.5,validation
        6,5,3.5,train
        10,5,4.5,val
        """

    @Test func standardizeFitsMeanAndDeviationOfTrainingRows() throws {
        let loaded = try Self.load(Self.normalizationText, .init(target: .values(column: "target"), normalization: .standardize,
                                                                split: .column("split")))
        let deviation = (14.0 / 3).squareRoot()
        #expect(loaded.normalization == FeatureNormalization(method: .standardize, offsets: [3, 5], scales: [deviation, 1]))
        #expect(loaded.training.features == [-2 / deviation, 0, -1 / deviation, 0, 3 / deviation, 0])
        #expect(loaded.validation.features == [0, 0, 7 / deviation, 0])
        #expect(loaded.training.targets == .values([0.5, 1.5, 3.5], width: 1))
        #expect(loaded.validation.targets == .values([2.5, 4.5], width: 1))
    }

    @Test func minMaxMapsTrainingRangeToUnitInterval() throws {
        let loaded = try Self.load(Self.normalizationText, .init(target: .values(column: "target"), normalization: .minMax,
                                                                split: .column("split")))
        #expect(loaded.normalization == FeatureNormalization(method: .minMax, offsets: [1, 5], scales: [5, 1]))
        #expect(loaded.training.features == [0, 0, 0.2, 0, 1, 0])
        #expect(loaded.validation.features == [0.4, 0, 1.8, 0])
    }

    @Test func normalizationAppliesToNewInputs() throws {
        let loaded = try Self.load(Self.normalizationText, .init(target: .values(column: "target"), normalization: .minMax,
                                                                split: .column("split")))
        #expect(loaded.normalization.apply(to: [11, 5, 1, 7]) == [2, 0, 0, 2])
    }

    // MARK: - Targets

    @Test func classCountIsLargestLabelPlusOneUnlessGiven() throws {
        let text = "x,label\n1,0\n2,3\n3,1.0\n4,2\n"
        let loaded = try Self.load(text, .init(target: .classes(column: "label"), split: .validationFraction(0)))
        #expect(loaded.training.classCount == 4)
        #expect(loaded.classes == .indices(count: 4))
        let given = try Self.load(text, .init(target: .classes(column: "label"), split: .validationFraction(0)))
        #expect(given.training.targets == .classes(labels: [0, 3, 1, 2], classCount: 4))
        let wider = try Self.load("x,label\n1,0\n2,3\n", .init(target: .classes(column: "label", classCount: 6), split: .validationFraction(0)))
        #expect(wider.training.targets == .classes(labels: [0, 3], classCount: 6))
    }

    @Test func integerLabelsWithAGapAreAnErrorWithAHint() {
        let fromOne = "x,label\n" + (1...10).map { "\($0),\($0)" }.joined(separator: "\n")
        #expect(Self.failure(fromOne, .init(target: .classes(column: "label"), split: .validationFraction(0)))
                == "data.csv:1:3: error: the class indices in column 'label' run from 1 to 10, so class 0 has no samples: classes are numbered from 0, which would make 11 classes; subtract 1 from every label, or write the labels as names")
        #expect(Self.failure("x,label\n1,0\n2,3\n3,1\n", .init(target: .classes(column: "label"), split: .validationFraction(0)))
                == "data.csv:1:3: error: class index 2 has no samples in column 'label', whose labels run from 0 to 3: classes are numbered from 0 to the largest label without gaps; renumber the labels, or write them as names")
    }

    @Test func labelsThatAreNotAllClassIndicesAreSortedClassNames() throws {
        let text = "x,label\n1,cat\n2,dog\n3,ant\n4,dog\n5,2\n"
        let loaded = try Self.load(text, .init(target: .classes(column: "label"), split: .validationFraction(0)))
        #expect(loaded.classes == .names(["2", "ant", "cat", "dog"]))
        #expect(loaded.training.targets == .classes(labels: [2, 3, 1, 3, 0], classCount: 4))
        #expect(loaded.classes?.label(of: 1) == "ant")
        let negative = try Self.load("x,label\n1,-1\n2,1\n", .init(target: .classes(column: "label"), split: .validationFraction(0)))
        #expect(negative.classes == .names(["-1", "1"]))
    }

    @Test func aClassNameUnseenInTrainingIsAnErrorAtItsCell() {
        let text = "x,species,split\n1,setosa,train\n2,virginica,train\n3,  virginca,validation\n4,setosa,test\n"
        #expect(Self.failure(text, .init(target: .classes(column: "species"), split: .column("split")))
                == "data.csv:4:5: error: class 'virginca' in column 'species' does not occur in the training rows, whose classes are setosa, virginica; did you mean 'virginica'?")
        #expect(Self.failure("x,label\n1,a\n2,\n", .init(target: .classes(column: "label")))
                == "data.csv:3:3: error: the cell in the target column 'label' is empty; every row needs a class")
    }

    @Test func longClassNamesAreShownAsExcerpts() {
        // Names of 300 characters were quoted whole: one error line ran past 1,000 characters.
        let long = String(repeating: "n", count: 300)
        let text = "x,species,split\n1,\(long)1,train\n2,\(long)2,train\n3,\(long)3\u{1B},validation\n"
        let name = String(repeating: "n", count: 40)
        #expect(Self.failure(text, .init(target: .classes(column: "species"), split: .column("split")))
                == "data.csv:4:3: error: class '\(String(repeating: "n", count: 80))…' in column 'species' does not occur in the training rows, whose classes are \(name)…, \(name)…; did you mean '\(String(repeating: "n", count: 80))…'?")
    }

    // MARK: - Test rows and scale

    @Test func testRowsComeFromTheSplitColumn() throws {
        let text = "x,label,split\n1,a,train\n2,b,Test\n3,b,train\n4,a,val\n5,b,testing\n"
        let loaded = try Self.load(text, .init(target: .classes(column: "label"), split: .column("split")))
        #expect(loaded.training.features == [1, 3])
        #expect(loaded.validation.features == [4])
        #expect(loaded.test?.features == [2, 5])
        #expect(loaded.test?.targets == .classes(labels: [1, 1], classCount: 2))
        let none = try Self.load("x,label,split\n1,0,train\n2,1,val\n", .init(target: .classes(column: "label"), split: .column("split")))
        #expect(none.test == nil)
    }

    @Test func testFractionDrawsFromTheSameShuffleAndLeavesValidationAsBefore() throws {
        let text = "x,y\n" + (0..<50).map { "\($0),\($0 % 7)" }.joined(separator: "\n")
        let before = try Self.load(text, .init(target: .values(column: "y"), split: .validationFraction(0.2)), seed: 9)
        let withTest = try Self.load(text, .init(target: .values(column: "y"), split: .validationFraction(0.2), testFraction: 0.3), seed: 9)
        #expect(before.test == nil)
        #expect(withTest.validation == before.validation)
        #expect(withTest.test?.count == 15)
        #expect(withTest.training.count == 25)
        let all = Set(withTest.training.features + withTest.validation.features + (withTest.test?.features ?? []))
        #expect(all == Set((0..<50).map(Double.init)))
        #expect(Self.failure(text, .init(target: .values(column: "y"), split: .validationFraction(0.5), testFraction: 0.5))
                == "data.csv:1:1: error: a validation and test fractions of 0.5 and 0.5 leave no training rows out of 50")
    }

    @Test func scaleMultipliesFeaturesBeforeNormalisation() throws {
        let text = "p,q,label,split\n0,255,0,train\n51,0,1,train\n255,102,0,val\n"
        let scaled = try Self.load(text, .init(target: .classes(column: "label"), split: .column("split"), scale: 1.0 / 255))
        #expect(scaled.training.features == [0, 1, 0.2, 0])
        #expect(scaled.validation.features == [1, 0.4])
        #expect(scaled.scale == 1.0 / 255)
        let normalized = try Self.load(text, .init(target: .classes(column: "label"), normalization: .minMax, split: .column("split"),
                                                   scale: 1.0 / 255))
        #expect(normalized.normalization.offsets == [0, 0])
        #expect(normalized.normalization.scales == [0.2, 1])
        #expect(Self.failure("a,y\n1e300,0\n2,1\n", .init(target: .classes(column: "y"), split: .validationFraction(0), scale: 1e10))
                == "data.csv:1:1: error: column 'a' has values that the scale 10000000000.0 makes infinite")
    }

    // MARK: - The CSV dialect

    @Test func readsQuotesWhitespaceCarriageReturnsAndByteOrderMark() throws {
        let text = "\u{FEFF}\"x, first\" ,\t\"y \"\"b\"\"\",label\r\n 1.5 , \"-2\",\"1\"\r\n\r\n3,4e1,0\r\n\r\n"
        let loaded = try Self.load(text, .init(target: .classes(column: "label"), split: .validationFraction(0)))
        #expect(loaded.featureColumns == ["x, first", "y \"b\""])
        #expect(loaded.training.features == [1.5, -2, 3, 40])
        #expect(loaded.training.targets == .classes(labels: [1, 0], classCount: 2))
    }

    @Test func readsCellsQuotedAsRsWriteCsvWritesThem() throws {
        // Rows 1, 2, 51 and 101 of iris as `write.csv(frame, row.names = FALSE)` writes them (text
        // quoted), then with every cell quoted, with `\r\n` line ends, and with quoted spaces.
        let labelsQuoted = "\"sepal_length\",\"sepal_width\",\"species\"\n5.1,3.5,\"setosa\"\n4.9,3,\"setosa\"\n7,3.2,\"versicolor\"\n6.3,3.3,\"virginica\"\n"
        let allQuoted = "\"sepal_length\",\"sepal_width\",\"species\"\n\"5.1\",\"3.5\",\"setosa\"\n\"4.9\",\"3\",\"setosa\"\n"
            + "\"7\",\"3.2\",\"versicolor\"\n\"6.3\",\"3.3\",\"virginica\"\n"
        let options = CSVDataset.Options(target: .classes(column: "species"), split: .validationFraction(0))
        for text in [labelsQuoted, allQuoted, allQuoted.replacingOccurrences(of: "\n", with: "\r\n")] {
            let loaded = try Self.load(text, options)
            #expect(loaded.featureColumns == ["sepal_length", "sepal_width"])
            #expect(loaded.training.features == [5.1, 3.5, 4.9, 3, 7, 3.2, 6.3, 3.3])
            #expect(loaded.training.targets == .classes(labels: [0, 0, 1, 2], classCount: 3))
            #expect(loaded.classes == .names(["setosa", "versicolor", "virginica"]))
        }
        // Whitespace inside quotes is part of the text.
        let spaced = try Self.load(allQuoted.replacingOccurrences(of: "\"virginica\"", with: "\" setosa\""), options)
        #expect(spaced.classes == .names([" setosa", "setosa", "versicolor"]))
    }

    @Test func rejectsQuotedCellsThatAreNoNumbersOrNoClasses() {
        let options = CSVDataset.Options(target: .classes(column: "label"))
        #expect(Self.failure("x1,x2,label\n1,\"\",0\n", options) == "data.csv:2:3: error: '' in column 'x2' is not a number")
        #expect(Self.failure("x1,x2,label\n1,\" 2\",0\n", options) == "data.csv:2:3: error: ' 2' in column 'x2' is not a number")
        #expect(Self.failure("x1,x2,label\n1, \"2\"\"\",0\n", options) == "data.csv:2:4: error: '2\"' in column 'x2' is not a number")
        #expect(Self.failure("\"x1\",\"x2\",\"label\"\n\"1\",\"2\",\"0\"\n\"inf\",\"2\",\"1\"\n", options)
                == "data.csv:3:1: error: 'inf' in column 'x1' is not a finite number")
        #expect(Self.failure("x1,x2,label\n1,2,\"\"\n", options)
                == "data.csv:2:5: error: the cell in the target column 'label' is empty; every row needs a class")
    }

    @Test func splitNamesIgnoreLetterCase() throws {
        let loaded = try Self.load("x,label,split\n1,0,Train\n2,1,VALIDATION\n3,0,training\n4,1,Val\n",
                                   .init(target: .classes(column: "label"), split: .column("split")))
        #expect(loaded.training.features == [1, 3])
        #expect(loaded.validation.features == [2, 4])
    }

    // MARK: - Errors

    @Test func errorPrintsInCompilerStyle() {
        #expect(CSVError(path: "a/b.csv", line: 3, column: 7, message: "oops").description == "a/b.csv:3:7: error: oops")
    }

    @Test func rejectsRowWithTooFewCellsAtItsEnd() {
        #expect(Self.failure("a,b,c,label\n1,2,3,0\n4,5,6\n", .init(target: .classes(column: "label")))
                == "data.csv:3:6: error: row has 3 cells; the header has 4")
    }

    @Test func rejectsRowWithTooManyCellsAtTheFirstExtraCell() {
        #expect(Self.failure("a,b,c,label\n1,2,3,0\n4,5,6,1, 7\n", .init(target: .classes(column: "label")))
                == "data.csv:3:10: error: row has 5 cells; the header has 4")
    }

    @Test func rejectsNonNumericCell() {
        #expect(Self.failure("x1,x2,label\n1,2,0\n1.5, abc,0\n", .init(target: .classes(column: "label")))
                == "data.csv:3:6: error: 'abc' in column 'x2' is not a number")
    }

    @Test func rejectsEmptyAndNonFiniteCells() {
        #expect(Self.failure("x1,x2,label\n1,,0\n", .init(target: .classes(column: "label")))
                == "data.csv:2:3: error: '' in column 'x2' is not a number")
        #expect(Self.failure("x1,x2,label\nnan,1,0\n", .init(target: .classes(column: "label")))
                == "data.csv:2:1: error: 'nan' in column 'x1' is not a finite number")
    }

    @Test func columnsCountUnicodeScalars() {
        #expect(Self.failure("name,x,label\n\"é\",abc,0\n", .init(target: .classes(column: "label"), featureColumns: ["x"]))
                == "data.csv:2:5: error: 'abc' in column 'x' is not a number")
        #expect(Self.failure("x,y,label\n1,π,0\n", .init(target: .classes(column: "label")))
                == "data.csv:2:3: error: 'π' in column 'y' is not a number")
    }

    @Test func rejectsUnknownColumnSuggestingTheClosestName() {
        let text = "x1,x2,label,split\n1,2,0,train\n"
        #expect(Self.failure(text, .init(target: .classes(column: "lable")))
                == "data.csv:1:1: error: unknown target column 'lable'; did you mean 'label'? (columns: x1, x2, label, split)")
        #expect(Self.failure(text, .init(target: .classes(column: "label"), split: .column("Split")))
                == "data.csv:1:1: error: unknown split column 'Split'; did you mean 'split'? (columns: x1, x2, label, split)")
        #expect(Self.failure(text, .init(target: .classes(column: "label"), featureColumns: ["x1", "height"]))
                == "data.csv:1:1: error: unknown feature column 'height' (columns: x1, x2, label, split)")
    }

    @Test func unknownColumnInAWideFileListsOnlyTheFirstColumns() {
        let names = (0..<20).map { "pixel\($0)" } + ["label"]
        let text = names.joined(separator: ",") + "\n" + Array(repeating: "0", count: 21).joined(separator: ",") + "\n"
        #expect(Self.failure(text, .init(target: .classes(column: "digit")))
                == "data.csv:1:1: error: unknown target column 'digit' (columns: pixel0, pixel1, pixel2, pixel3, pixel4, "
                   + "pixel5, pixel6, pixel7, pixel8, pixel9, … (21 columns))")
    }

    @Test func rejectsClassLabelAtOrAboveAGivenClassCount() {
        #expect(Self.failure("x,label\n1,0\n2,2\n", .init(target: .classes(column: "label", classCount: 2)))
                == "data.csv:3:3: error: class 2 in column 'label' is not below the class count 2")
    }

    @Test func rejectsNonNumericRegressionTarget() {
        #expect(Self.failure("x,y\n1,2\n2,?\n", .init(target: .values(column: "y")))
                == "data.csv:3:3: error: '?' in column 'y' is not a number")
    }

    @Test func rejectsUnknownSplitValue() {
        #expect(Self.failure("x,label,split\n1,0,train\n2,1,holdout\n", .init(target: .classes(column: "label"), split: .column("split")))
                == "data.csv:3:5: error: 'holdout' in column 'split' is not a split; use 'train', 'validation' or 'test'")
    }

    @Test func rejectsSplitColumnWithoutTrainingRows() {
        #expect(Self.failure("x,label,split\n1,0,val\n2,1,validation\n", .init(target: .classes(column: "label"), split: .column("split")))
                == "data.csv:1:9: error: no row has 'train' in the split column 'split'")
    }

    @Test func rejectsFractionThatLeavesNoTrainingRows() {
        #expect(Self.failure("x,label\n1,0\n", .init(target: .classes(column: "label"), split: .validationFraction(0.9)))
                == "data.csv:1:1: error: a validation fraction of 0.9 leaves no training rows out of 1")
    }

    @Test func rejectsSampleShapeThatDoesNotHoldTheFeatures() {
        let options = CSVDataset.Options(target: .classes(column: "species"), sampleShape: [1, 3, 3], split: .column("split"))
        var generator = RandomGenerator(seed: 1)
        #expect(throws: CSVError(path: Self.irisPath, line: 1, column: 1,
                                 message: "sample shape [1, 3, 3] holds 9 values, but there are 4 feature columns")) {
            try CSVDataset(contentsOfFile: Self.irisPath, options: options, generator: &generator)
        }
        #expect(Self.failure("a,b,label\n1,2,0\n", .init(target: .classes(column: "label"), sampleShape: [2, 0]))
                == "data.csv:1:1: error: sample shape [2, 0] needs at least one dimension, all positive")
    }

    @Test func rejectsEmptyFile() {
        let options = CSVDataset.Options(target: .classes(column: "label"))
        #expect(Self.failure("", options) == "data.csv:1:1: error: the file is empty; expected a header row naming the columns")
        #expect(Self.failure("\n  \r\n", options) == "data.csv:1:1: error: the file is empty; expected a header row naming the columns")
    }

    @Test func rejectsHeaderWithoutRows() {
        #expect(Self.failure("x,label\n\n", .init(target: .classes(column: "label")))
                == "data.csv:2:1: error: the file has a header but no data rows")
    }

    @Test func rejectsMissingFile() {
        var generator = RandomGenerator(seed: 1)
        #expect(throws: CSVError(path: "no/such/data.csv", line: 1, column: 1, message: "cannot read file: no such file")) {
            try CSVDataset(contentsOfFile: "no/such/data.csv", options: .init(target: .classes(column: "label")), generator: &generator)
        }
    }

    @Test func rejectsUnclosedQuote() {
        #expect(Self.failure("x,label\n1,\"0\n", .init(target: .classes(column: "label")))
                == "data.csv:2:3: error: a quoted cell is not closed before the end of the file")
    }

    @Test func rejectsTextAfterClosingQuote() {
        #expect(Self.failure("x,label\n\"1\"2,0\n", .init(target: .classes(column: "label")))
                == "data.csv:2:4: error: expected a comma or the end of the line after a closing quote")
    }

    @Test func rejectsDuplicateAndEmptyColumnNames() {
        #expect(Self.failure("x,y,x,label\n1,2,3,0\n", .init(target: .classes(column: "label")))
                == "data.csv:1:5: error: duplicate column name 'x'")
        #expect(Self.failure("x,,label\n1,2,0\n", .init(target: .classes(column: "label")))
                == "data.csv:1:3: error: column 2 of the header has no name")
    }

    @Test func rejectsAColumnWithTwoRoles() {
        let text = "x,y,label,split\n1,2,0,train\n"
        #expect(Self.failure(text, .init(target: .classes(column: "label"), featureColumns: ["x", "label"]))
                == "data.csv:1:5: error: column 'label' is the target and cannot also be a feature")
        #expect(Self.failure(text, .init(target: .classes(column: "label"), featureColumns: ["split"], split: .column("split")))
                == "data.csv:1:11: error: column 'split' is the split column and cannot also be a feature")
        #expect(Self.failure(text, .init(target: .classes(column: "label"), featureColumns: ["y", "x", "y"]))
                == "data.csv:1:3: error: column 'y' is listed twice among the features")
        #expect(Self.failure(text, .init(target: .classes(column: "split"), split: .column("split")))
                == "data.csv:1:11: error: column 'split' cannot be both the target and the split column")
        #expect(Self.failure("label\n0\n", .init(target: .classes(column: "label")))
                == "data.csv:1:1: error: no feature columns: every column is the target or the split column")
    }

    @Test(arguments: [FeatureNormalization.Method.minMax, .standardize])
    func featuresTooLargeToNormaliseAreAnErrorAtTheirColumn(method: FeatureNormalization.Method) {
        let text = "a,b,y\n1e308,1,0\n-1e308,2,1\n0,3,0\n5,4,1\n"
        #expect(throws: CSVError(path: "data.csv", line: 1, column: 1,
                                 message: "column 'a' cannot be normalised with \(method.rawValue): its values are so large that its statistics overflow; rescale the data or set normalize: none")) {
            try Self.load(text, .init(target: .classes(column: "y"), normalization: method, split: .validationFraction(0)))
        }
    }

    // MARK: - Hostile files

    @Test func aWideFileReadsInTimeLinearInItsColumns() throws {
        // Each header name was compared with every other: 80,000 columns took 14 s.
        let count = 200_000
        let names = (0..<count).map { "f\($0)" } + ["y"]
        let row = Array(repeating: "0.5", count: count).joined(separator: ",")
        let text = names.joined(separator: ",") + "\n" + row + ",0\n" + row + ",1\n"
        let loaded = try Self.load(text, .init(target: .classes(column: "y"), split: .validationFraction(0)))
        #expect(loaded.featureColumns.count == count)
        #expect(loaded.training.features.count == 2 * count)
        let picked = try Self.load(text, .init(target: .classes(column: "y"), featureColumns: Array(names.dropLast().reversed()),
                                              split: .validationFraction(0)))
        #expect(picked.featureColumns.first == "f\(count - 1)")
    }

    @Test func aRowOfMillionsOfCellsIsCountedWithoutBeingKept() {
        let text = "a,b,y\n" + Array(repeating: "1", count: 2_000_000).joined(separator: ",") + "\n"
        #expect(Self.failure(text, .init(target: .classes(column: "y"))) == "data.csv:2:7: error: row has 2000000 cells; the header has 3")
    }

    @Test func hugeAndMultiLineCellsAreQuotedAsAnExcerptOnOneLine() {
        let huge = String(repeating: "x", count: 10_000_000)
        #expect(Self.failure("a,y\n\(huge),1\n", .init(target: .classes(column: "y")))
                == "data.csv:2:1: error: '\(String(repeating: "x", count: 80))…' in column 'a' is not a number")
        let lines = "\"" + String(repeating: "line\n", count: 100_000) + "\""
        #expect(Self.failure("a,y\n\(lines),1\n", .init(target: .classes(column: "y")))
                == "data.csv:2:1: error: '\(String(repeating: "line\\n", count: 16))…' in column 'a' is not a number")
        let escapes = Self.failure("a,y\n\u{1B}[2J,1\n", .init(target: .classes(column: "y")))
        #expect(escapes == "data.csv:2:1: error: '\\u{1B}[2J' in column 'a' is not a number")
        let names = (0..<12).map { "\"\($0)" + String(repeating: "\n", count: 1000) + "\"" }.joined(separator: ",")
        let unknown = Self.failure(names + ",y\n" + Array(repeating: "1", count: 13).joined(separator: ",") + "\n",
                                   .init(target: .classes(column: "label")))
        #expect(unknown?.count ?? 0 < 1_000)
        #expect(unknown?.contains("\n") == false)
    }

    @Test func aBinaryFileIsRefusedWithoutShowingIt() {
        // /proc/self/environ as a CSV path echoed the environment in the unknown-column error.
        let environment = "PATH=/usr/bin\0HOME=/root\0SECRET=hunter2\0"
        let message = Self.failure(environment, .init(target: .classes(column: "y")))
        #expect(message == "data.csv:1:14: error: the file holds a NUL byte here, so it is not a text CSV file")
        var generator = RandomGenerator(seed: 1)
        do {
            _ = try CSVDataset(contentsOfFile: "/proc/self/environ", options: .init(target: .classes(column: "y")), generator: &generator)
            Issue.record("The environment was read as a CSV file.")
        } catch {
            #expect(error.message == "the file holds a NUL byte here, so it is not a text CSV file")
        }
        #expect(throws: CSVError(path: "/dev/zero", line: 1, column: 1, message: "cannot read file: it is a character device, not a file")) {
            try CSVDataset(contentsOfFile: "/dev/zero", options: .init(target: .classes(column: "y")), generator: &generator)
        }
    }

    @Test func aHugeClassIndexIsAGapNotAnAllocation() {
        // A flag per class index up to the largest label: 2⁶³ − 1 overflowed, 10¹⁵ ran out of memory.
        for label in ["9223372036854775807", "1000000000000000"] {
            let message = Self.failure("x,label\n1,0\n2,\(label)\n", .init(target: .classes(column: "label")))
            #expect(message?.hasPrefix("data.csv:1:3: error: class indices 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … have no samples in column 'label', whose labels run from 0 to \(label)") == true,
                    "\(message ?? "read")")
        }
        let late = Self.failure("x,label\n1,9223372036854775806\n2,9223372036854775807\n", .init(target: .classes(column: "label")))
        #expect(late?.contains("which would make more than 9223372036854775807 classes") == true, "\(late ?? "read")")
    }
}
