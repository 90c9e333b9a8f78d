import Foundation

/// A training, a validation and possibly a test `Dataset` read from a CSV file of real data, with
/// the feature normalisation fitted on the training rows.
///
/// The file starts with a header row naming the columns; every other non-blank row is a sample.
/// Feature cells must be finite numbers; every feature is multiplied by `scale` after reading and
/// before normalisation. For classification, the target column holds class indices (non-negative
/// integers; `2.0` counts as 2), which must use every index from 0 to the largest; or, if any
/// cell is not such an integer, class names, whose classes are the sorted distinct names of the
/// training rows. Rows go to the validation and test sets either by a seeded random draw or by a
/// split column whose cells are `train` (or `training`), `validation` (or `val`) and `test`, in any
/// letter case. The dialect is described at `CSVReader`; the file is read in chunks.
///
/// Anything wrong with the file, or with the column names and shape in the options, is reported as
/// a `CSVError` pointing at the offending line and column.
public struct CSVDataset: Sendable, Equatable {
    /// The column holding the targets, and what kind of targets they are.
    public enum Target: Sendable, Equatable {
        /// Class labels: indices in `0..<classCount`, or names. With `classCount` `nil`, integer
        /// labels must use every index from 0 to the largest, which is the class count minus one.
        case classes(column: String, classCount: Int? = nil)
        /// One real value per sample: targets are `.values(width: 1)`.
        case values(column: String)

        /// The name of the target column.
        public var column: String {
            switch self {
            case .classes(let column, _), .values(let column): column
            }
        }
    }

    /// How rows are divided between training, validation and test.
    public enum Split: Sendable, Equatable {
        /// A validation set of `round(fraction · rows)` rows and a test set of
        /// `round(testFraction · rows)` rows (see `Options.testFraction`) chosen by one seeded
        /// shuffle, as `DatasetPart.draw`; `fraction` lies in `[0, 1)`.
        case validationFraction(Double)
        /// The named column says, per row, `train` (or `training`), `validation` (or `val`) or `test`.
        case column(String)
    }

    /// What to read from the file and how to prepare it.
    public struct Options: Sendable, Equatable {
        /// The target column and its kind.
        public var target: Target
        /// The feature columns, in the order their values are laid out; `nil` (the default) for every
        /// column except the target and the split column, in file order.
        public var featureColumns: [String]?
        /// The shape each sample's features are read as, such as `[C, H, W]` for images; its product
        /// must equal the number of feature columns. `nil` (the default) for a flat `[F]`.
        public var sampleShape: [Int]?
        /// How features are normalised, with statistics from the training rows only; `.none` by default.
        public var normalization: FeatureNormalization.Method
        /// How rows are divided; a random 20 % validation set by default.
        public var split: Split
        /// With a `.validationFraction` split, the fraction of rows drawn for the test set; 0 by default.
        public var testFraction: Double
        /// The factor every feature is multiplied by after reading, before normalisation; 1 by default.
        public var scale: Double

        /// Creates options; see the properties for the meaning and default of each.
        public init(target: Target, featureColumns: [String]? = nil, sampleShape: [Int]? = nil,
                    normalization: FeatureNormalization.Method = .none, split: Split = .validationFraction(0.2),
                    testFraction: Double = 0, scale: Double = 1) {
            self.target = target
            self.featureColumns = featureColumns
            self.sampleShape = sampleShape
            self.normalization = normalization
            self.split = split
            self.testFraction = testFraction
            self.scale = scale
        }
    }

    /// The training samples, scaled and normalised.
    public var training: Dataset
    /// The validation samples, scaled and normalised with the training statistics.
    public var validation: Dataset
    /// The test samples, scaled and normalised with the training statistics; `nil` if no row is a test row.
    public var test: Dataset?
    /// The normalisation fitted on the training rows, to apply to inputs at inference (after the scale).
    public var normalization: FeatureNormalization
    /// The factor features were multiplied by before normalisation.
    public var scale: Double
    /// The classes, for classification; `nil` for regression.
    public var classes: ClassList?
    /// The names of the feature columns, in the order of each sample's values.
    public var featureColumns: [String]

    /// Reads the CSV file at `path`, in chunks.
    ///
    /// - Parameters:
    ///   - path: The file's path; errors report it as given.
    ///   - options: The columns to read and how to prepare them.
    ///   - generator: Draws the validation and test rows when splitting by fraction; untouched otherwise.
    /// - Throws: `CSVError` if the file cannot be read or its contents do not fit `options`.
    public init(contentsOfFile path: String, options: Options, generator: inout RandomGenerator) throws(CSVError) {
        try self.init(contentsOfFile: path, options: options, generator: &generator, bulkReading: .default)
    }

    /// As `init(contentsOfFile:options:generator:)`, reading plain text as `bulkReading` says
    /// (`nil`: row by row).
    init(contentsOfFile path: String, options: Options, generator: inout RandomGenerator, bulkReading: BulkReading?) throws(CSVError) {
        var reader = try CSVReader(contentsOfFile: path)
        defer { reader.close() }
        try self.init(reader: &reader, source: .file(path), options: options, generator: &generator, bulkReading: bulkReading)
    }

    /// Reads CSV `text` as though it were the contents of the file at `path`.
    ///
    /// - Parameters:
    ///   - text: The CSV text.
    ///   - path: The path errors report.
    ///   - options: The columns to read and how to prepare them.
    ///   - generator: Draws the validation and test rows when splitting by fraction; untouched otherwise.
    /// - Throws: `CSVError` if the text does not fit `options`.
    public init(parsing text: String, path: String, options: Options, generator: inout RandomGenerator) throws(CSVError) {
        try self.init(parsing: text, path: path, options: options, generator: &generator, bulkReading: .default)
    }

    /// As `init(parsing:path:options:generator:)`, reading plain text as `bulkReading` says
    /// (`nil`: row by row).
    init(parsing text: String, path: String, options: Options, generator: inout RandomGenerator, bulkReading: BulkReading?) throws(CSVError) {
        let bytes = Array(text.utf8)
        var reader = CSVReader(bytes: bytes, path: path)
        try self.init(reader: &reader, source: .bytes(bytes, path: path), options: options, generator: &generator, bulkReading: bulkReading)
    }

    /// How plain text is read by `CSVBulkReader`: on how many threads, in chunks of how many bytes.
    struct BulkReading {
        var threads: Int
        var chunkSize: Int

        /// Every core, in chunks of 16 MiB.
        static let `default` = BulkReading(threads: processorCount, chunkSize: CSVBulkReader.chunkSize)
    }

    /// Where the text came from, to read it again for the location of a problem found after reading.
    private enum Source {
        case file(String)
        case bytes([UInt8], path: String)

        /// An upper bound on the rows, to size the features array when reading row by row.
        var lineCountUpperBound: Int {
            switch self {
            case .file(let path): CSVReader.lineCountUpperBound(ofFile: path)
            case .bytes(let bytes, _): CSVReader.lineCountUpperBound(of: bytes)
            }
        }

        /// The path errors report.
        var path: String {
            switch self {
            case .file(let path), .bytes(_, let path): path
            }
        }

        /// The line and column of cell `cell` of data row `row` (0-based, after the header).
        func location(row: Int, cell: Int) -> (line: Int, column: Int) {
            var reader: CSVReader
            switch self {
            case .file(let path): guard let opened = try? CSVReader(contentsOfFile: path) else { return (1, 1) }
                reader = opened
            case .bytes(let bytes, let path): reader = CSVReader(bytes: bytes, path: path)
            }
            defer { reader.close() }
            for _ in 0...(row + 1) { guard (try? reader.nextRow()) == true else { return (1, 1) } }
            return cell < reader.cellCount ? reader.location(at: cell) : reader.endLocation
        }
    }

    private init(reader: inout CSVReader, source: Source, options: Options, generator: inout RandomGenerator,
                 bulkReading: BulkReading?) throws(CSVError) {
        let path = reader.path
        guard let header = try reader.nextCells() else {
            throw CSVError(path: path, line: 1, column: 1, message: "the file is empty; expected a header row naming the columns")
        }
        let columns = try CSVColumns(header: header, options: options, path: path)
        if let bulkReading, let rows = Self.bulkRows(after: reader.offset, source: source, columns: columns, options: options,
                                                    reading: bulkReading, generator: &generator) {
            try self.init(rows: rows, source: source, header: header, columns: columns, options: options)
        } else {
            let rows = try Self.rows(reader: &reader, rowBound: source.lineCountUpperBound, header: header, columns: columns, options: options, generator: &generator)
            try self.init(rows: rows, source: source, header: header, columns: columns, options: options)
        }
    }

    /// The data rows read: the features (in file order, or divided into the sets already), the
    /// targets, and each row's set.
    private struct Rows {
        enum Features {
            /// Samples in file order, not yet scaled.
            case fileOrder([Double])
            /// Samples in their sets, scaled.
            case divided(DatasetPreparation.DividedFeatures)
        }

        var features: Features
        var targets: DatasetPreparation.RawTargets
        var parts: [DatasetPart]
        var sampleCount: Int
    }

    /// The rows read on all cores by `CSVBulkReader` (which draws the split first), or `nil` if the
    /// text is not plain enough for it or has a problem, which reading row by row then reports;
    /// `generator` is advanced only when the rows are returned.
    private static func bulkRows(after offset: Int, source: Source, columns: CSVColumns, options: Options, reading: BulkReading,
                                 generator: inout RandomGenerator) -> Rows? {
        guard case .validationFraction(let fraction) = options.split else { return nil }
        let input: CSVBulkReader.Input = switch source {
        case .file(let path): .file(path)
        case .bytes(let bytes, _): .bytes(bytes)
        }
        var roles = [CSVBulkReader.Role](repeating: .ignored, count: columns.names.count)
        for (position, column) in columns.features.enumerated() { roles[column] = .feature(position) }
        roles[columns.target] = .target
        let isClassification = if case .classes = options.target { true } else { false }
        var bulkReader = CSVBulkReader(input: input, offset: offset, roles: roles, width: columns.features.count,
                                       targetKind: isClassification ? .classes : .values, scale: options.scale,
                                       classIndex: { CSVColumns.classIndex($0) })
        bulkReader.threads = reading.threads
        bulkReader.chunkSize = reading.chunkSize
        var drawing = generator
        guard let read = bulkReader.read(draw: { count in
            DatasetPart.draw(count: count, validationFraction: fraction, testFraction: options.testFraction, generator: &drawing)
        }) else { return nil }
        generator = drawing
        let targets: DatasetPreparation.RawTargets
        switch options.target {
        case .classes(_, let classCount): targets = read.indices.map { .classIndices($0, classCount: classCount) } ?? .classNames(read.texts)
        case .values: targets = .values(read.values, width: 1)
        }
        return Rows(features: .divided(read.features), targets: targets, parts: read.parts, sampleCount: read.parts.count)
    }

    /// The rows read one at a time by `reader`, in file order; the split is drawn after reading.
    private static func rows(reader: inout CSVReader, rowBound: Int, header: CSVReader.Row, columns: CSVColumns, options: Options,
                             generator: inout RandomGenerator) throws(CSVError) -> Rows {
        let path = reader.path
        let featureIndices = columns.features
        let width = featureIndices.count

        var features = LargeBuffer.emptyArray(capacity: rowBound.multipliedReportingOverflow(by: width).overflow ? 0 : rowBound * width)
        var texts = [String](), indices = [Int](), values = [Double](), parts = [DatasetPart]()
        var allIndices = true
        let isClassification = if case .classes = options.target { true } else { false }
        while try reader.nextRow(keepingAtMost: columns.names.count) {
            guard reader.cellCount == columns.names.count else {
                let (line, column) = reader.cellCount > columns.names.count ? reader.location(at: columns.names.count) : reader.endLocation
                throw CSVError(path: path, line: line, column: column,
                               message: "row has \(Self.cells(reader.cellCount)); the header has \(columns.names.count)")
            }
            if let index = reader.appendNumbers(at: featureIndices, to: &features) {
                let text = reader.text(at: index), (line, column) = reader.location(at: index)
                let what = Double(text) == nil ? "is not a number" : "is not a finite number"
                throw CSVError(path: path, line: line, column: column, message: "\(Excerpt.quoted(text)) in column \(columns.shown(index)) \(what)")
            }
            let target = columns.target
            if isClassification {
                let text = reader.text(at: target)
                guard !text.isEmpty else {
                    let (line, column) = reader.location(at: target)
                    throw CSVError(path: path, line: line, column: column, message: "the cell in the target column \(columns.shown(target)) is empty; every row needs a class")
                }
                if allIndices, let index = CSVColumns.classIndex(text) { indices.append(index) } else { allIndices = false }
                texts.append(text)
            } else {
                guard let value = reader.number(at: target), value.isFinite else {
                    let text = reader.text(at: target), (line, column) = reader.location(at: target)
                    let what = Double(text) == nil ? "is not a number" : "is not a finite number"
                    throw CSVError(path: path, line: line, column: column, message: "\(Excerpt.quoted(text)) in column \(columns.shown(target)) \(what)")
                }
                values.append(value)
            }
            if let split = columns.split {
                guard let part = CSVColumns.part(reader.text(at: split)) else {
                    let (line, column) = reader.location(at: split)
                    throw CSVError(path: path, line: line, column: column,
                                   message: "\(Excerpt.quoted(reader.text(at: split))) in column \(columns.shown(split)) is not a split; use 'train', 'validation' or 'test'")
                }
                parts.append(part)
            }
        }

        let sampleCount = features.count / width
        guard sampleCount > 0 else {
            throw CSVError(path: path, line: header.endLine + 1, column: 1, message: "the file has a header but no data rows")
        }
        if case .validationFraction(let fraction) = options.split {
            parts = DatasetPart.draw(count: sampleCount, validationFraction: fraction, testFraction: options.testFraction, generator: &generator)
        }
        let targets: DatasetPreparation.RawTargets
        switch options.target {
        case .classes(_, let classCount): targets = allIndices ? .classIndices(indices, classCount: classCount) : .classNames(texts)
        case .values: targets = .values(values, width: 1)
        }
        return Rows(features: .fileOrder(features), targets: targets, parts: parts, sampleCount: sampleCount)
    }

    /// Prepares the datasets from `rows`, reporting problems found after reading at their place.
    private init(rows: Rows, source: Source, header: CSVReader.Row, columns: CSVColumns, options: Options) throws(CSVError) {
        let path = source.path
        let featureIndices = columns.features
        var rows = rows
        let sampleCount = rows.sampleCount, parts = rows.parts
        switch options.split {
        case .validationFraction(let fraction):
            guard parts.contains(.training) else {
                let fractions = options.testFraction > 0 ? "validation and test fractions of \(fraction) and \(options.testFraction) leave"
                    : "validation fraction of \(fraction) leaves"
                throw CSVError(path: path, line: header.line, column: 1, message: "a \(fractions) no training rows out of \(sampleCount)")
            }
        case .column(let name):
            guard parts.contains(.training) else {
                let cell = header.cells[columns.split ?? 0]
                throw CSVError(path: path, line: cell.line, column: cell.column, message: "no row has 'train' in the split column \(Excerpt.quoted(name))")
            }
        }

        let prepared: DatasetPreparation
        do {
            // Taken out of `rows`, so that the features are not copied when they are changed in place.
            var features = Rows.Features.fileOrder([])
            swap(&features, &rows.features)
            switch consume features {
            case .fileOrder(let features):
                prepared = try DatasetPreparation(features: features, sampleShape: columns.sampleShape, targets: rows.targets, parts: parts,
                                                  scale: options.scale, normalization: options.normalization)
            case .divided(let features):
                prepared = try DatasetPreparation(features: features, sampleShape: columns.sampleShape, targets: rows.targets, parts: parts,
                                                  normalization: options.normalization)
            }
        } catch {
            let message = error.message(labels: "column \(columns.shown(columns.target))", scale: options.scale, method: options.normalization)
            switch error {
            case .labelNotBelowClassCount(let sample, _, _), .unseenClass(let sample, _, _):
                let (line, column) = source.location(row: sample, cell: columns.target)
                throw CSVError(path: path, line: line, column: column, message: message)
            case .scaleOverflow(let feature), .normalizationOverflow(let feature):
                let cell = header.cells[featureIndices[feature]]
                throw CSVError(path: path, line: cell.line, column: cell.column, message: "column \(Excerpt.quoted(cell.text)) \(message)")
            case .classIndexGap, .noTrainingSamples:
                let cell = header.cells[columns.target]
                throw CSVError(path: path, line: cell.line, column: cell.column, message: message)
            }
        }
        training = prepared.training
        validation = prepared.validation
        test = prepared.test.count > 0 ? prepared.test : nil
        normalization = prepared.normalization
        classes = prepared.classes
        scale = options.scale
        featureColumns = featureIndices.map { columns.names[$0] }
    }

    /// `count` followed by "cell" or "cells".
    private static func cells(_ count: Int) -> String {
        count == 1 ? "1 cell" : "\(count) cells"
    }
}

/// The columns a `CSVDataset` reads, found by name in the header, and the reading of their cells.
private struct CSVColumns {
    /// The header's column names, left to right.
    let names: [String]
    /// The index of each column name.
    private let indices: [String: Int]
    /// The index of the target column.
    let target: Int
    /// The index of the split column, if rows are split by one.
    let split: Int?
    /// The indices of the feature columns, in the order their values are laid out.
    let features: [Int]
    /// The shape of one sample's features.
    let sampleShape: [Int]
    private let header: CSVReader.Row
    private let path: String

    /// Finds the columns `options` names in `header`, checking that the names exist, that no column
    /// has two roles, and that the sample shape holds the feature count.
    init(header: CSVReader.Row, options: CSVDataset.Options, path: String) throws(CSVError) {
        self.header = header
        self.path = path
        // Names are found through a dictionary: a header of 80,000 columns took 14 s when each
        // name was compared with every other.
        var names = [String]()
        var indices = [String: Int](minimumCapacity: header.cells.count)
        for (index, cell) in header.cells.enumerated() {
            guard !cell.text.isEmpty else {
                throw CSVError(path: path, line: cell.line, column: cell.column, message: "column \(index + 1) of the header has no name")
            }
            guard indices.updateValue(index, forKey: cell.text) == nil else {
                throw CSVError(path: path, line: cell.line, column: cell.column, message: "duplicate column name \(Excerpt.quoted(cell.text))")
            }
            names.append(cell.text)
        }
        self.names = names
        self.indices = indices

        let target = try Self.index(of: options.target.column, role: "target", names: names, indices: indices, header: header, path: path)
        var split: Int?
        if case .column(let name) = options.split {
            split = try Self.index(of: name, role: "split", names: names, indices: indices, header: header, path: path)
            guard split != target else {
                throw Self.error(at: header.cells[target], path: path,
                                 message: "column \(Excerpt.quoted(name)) cannot be both the target and the split column")
            }
        }
        self.target = target
        self.split = split

        var features = [Int]()
        if let requested = options.featureColumns {
            guard !requested.isEmpty else {
                throw Self.error(at: header.cells[0], path: path, message: "the list of feature columns is empty")
            }
            var listed = Set<Int>()
            for name in requested {
                let index = try Self.index(of: name, role: "feature", names: names, indices: indices, header: header, path: path)
                let conflict = index == target ? "is the target and cannot also be a feature"
                    : index == split ? "is the split column and cannot also be a feature"
                    : !listed.insert(index).inserted ? "is listed twice among the features" : nil
                if let conflict {
                    throw Self.error(at: header.cells[index], path: path, message: "column \(Excerpt.quoted(name)) \(conflict)")
                }
                features.append(index)
            }
        } else {
            features = names.indices.filter { $0 != target && $0 != split }
            guard !features.isEmpty else {
                throw Self.error(at: header.cells[0], path: path,
                                 message: "no feature columns: every column is the target or the split column")
            }
        }
        self.features = features

        let shape = options.sampleShape ?? [features.count]
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw Self.error(at: header.cells[0], path: path, message: "sample shape \(shape) needs at least one dimension, all positive")
        }
        var product = 1, overflow = false
        for dimension in shape where !overflow { (product, overflow) = product.multipliedReportingOverflow(by: dimension) }
        guard !overflow, product == features.count else {
            throw Self.error(at: header.cells[0], path: path,
                             message: "sample shape \(shape) holds \(overflow ? "too many" : String(product)) values, but there are \(features.count) feature columns")
        }
        sampleShape = shape
    }

    /// The name of column `column` as messages quote it.
    func shown(_ column: Int) -> String {
        Excerpt.quoted(names[column])
    }

    /// The class index `text` spells: a non-negative integer, possibly written with a zero
    /// fraction such as `2.0`; `nil` otherwise.
    static func classIndex(_ text: String) -> Int? {
        if let label = Int(text), label >= 0 { return label }
        if let value = Double(text), value >= 0, value < 0x1p53, value == value.rounded() { return Int(value) }
        return nil
    }

    /// The part a split-column cell names, in any letter case.
    static func part(_ text: String) -> DatasetPart? {
        switch text.lowercased() {
        case "train", "training": .training
        case "validation", "val": .validation
        case "test", "testing": .test
        default: nil
        }
    }

    /// The index of the column named `name`, or an error at the header's start that lists the
    /// columns and suggests the closest name.
    private static func index(of name: String, role: String, names: [String], indices: [String: Int], header: CSVReader.Row,
                              path: String) throws(CSVError) -> Int {
        if let index = indices[name] { return index }
        let shown = names.prefix(names.count <= 12 ? 12 : 10).map { Excerpt.plain($0, limit: 40) }
        let listed = names.count <= 12 ? shown : shown + ["… (\(names.count) columns)"]
        let suggestion = NameSuggestion.clause(for: name, among: names)
        throw error(at: header.cells[0], path: path,
                    message: "unknown \(role) column \(Excerpt.quoted(name))\(suggestion) (columns: \(listed.joined(separator: ", ")))")
    }

    private static func error(at cell: CSVReader.Cell, path: String, message: String) -> CSVError {
        CSVError(path: path, line: cell.line, column: cell.column, message: message)
    }
}
