import Foundation

/// A training and a validation `Dataset` read from a CSV file of real data, with the feature
/// normalisation fitted on the training rows.
///
/// The file starts with a header row naming the columns; every other non-blank row is a sample.
/// Feature cells must be finite numbers. The target column holds a class index (a non-negative
/// integer; `2.0` counts as 2) or a real value. Rows go to the validation set either by a seeded
/// random draw or by a split column whose cells are `train` (or `training`) and `validation` (or
/// `val`), in any letter case. The dialect is described at `CSVReader`.
///
/// Anything wrong with the file, or with the column names and shape in the options, is reported as
/// a `CSVError` pointing at the offending line and column.
public struct CSVDataset: Sendable, Equatable {
    /// The column holding the targets, and what kind of targets they are.
    public enum Target: Sendable, Equatable {
        /// Class indices in `0..<classCount`. With `classCount` `nil`, the class count is the largest
        /// label in the file plus one.
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

    /// How rows are divided between training and validation.
    public enum Split: Sendable, Equatable {
        /// A validation set of `round(fraction · rows)` rows chosen by a seeded shuffle, as
        /// `Dataset.split(validationFraction:generator:)`; `fraction` lies in `[0, 1)`.
        case validationFraction(Double)
        /// The named column says, per row, `train` (or `training`) or `validation` (or `val`).
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

        /// Creates options; see the properties for the meaning and default of each.
        public init(target: Target, featureColumns: [String]? = nil, sampleShape: [Int]? = nil,
                    normalization: FeatureNormalization.Method = .none, split: Split = .validationFraction(0.2)) {
            self.target = target
            self.featureColumns = featureColumns
            self.sampleShape = sampleShape
            self.normalization = normalization
            self.split = split
        }
    }

    /// The training samples, normalised.
    public var training: Dataset
    /// The validation samples, normalised with the training statistics.
    public var validation: Dataset
    /// The normalisation fitted on the training rows, to apply to inputs at inference.
    public var normalization: FeatureNormalization
    /// The names of the feature columns, in the order of each sample's values.
    public var featureColumns: [String]

    /// Reads the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file's path; errors report it as given.
    ///   - options: The columns to read and how to prepare them.
    ///   - generator: Draws the validation rows when splitting by fraction; untouched otherwise.
    /// - Throws: `CSVError` if the file cannot be read or its contents do not fit `options`.
    public init(contentsOfFile path: String, options: Options, generator: inout RandomGenerator) throws(CSVError) {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw CSVError(path: path, line: 1, column: 1, message: "cannot read file: \(error.reason)")
        }
        try self.init(bytes: [UInt8](data), path: path, options: options, generator: &generator)
    }

    /// Reads CSV `text` as though it were the contents of the file at `path`.
    ///
    /// - Parameters:
    ///   - text: The CSV text.
    ///   - path: The path errors report.
    ///   - options: The columns to read and how to prepare them.
    ///   - generator: Draws the validation rows when splitting by fraction; untouched otherwise.
    /// - Throws: `CSVError` if the text does not fit `options`.
    public init(parsing text: String, path: String, options: Options, generator: inout RandomGenerator) throws(CSVError) {
        try self.init(bytes: Array(text.utf8), path: path, options: options, generator: &generator)
    }

    private init(bytes: [UInt8], path: String, options: Options, generator: inout RandomGenerator) throws(CSVError) {
        var reader = CSVReader(bytes: bytes, path: path)
        guard let header = try reader.nextRow() else {
            throw CSVError(path: path, line: 1, column: 1, message: "the file is empty; expected a header row naming the columns")
        }
        let columns = try CSVColumns(header: header, options: options, path: path)

        var features = [Double]()
        var labels = [Int]()
        var values = [Double]()
        var validationRows = [Bool]()
        var largestLabel = -1
        while let row = try reader.nextRow(keepingAtMost: columns.names.count) {
            guard row.count == columns.names.count else {
                let extra = row.count > columns.names.count ? row.cells[columns.names.count] : nil
                throw CSVError(path: path, line: extra?.line ?? row.endLine, column: extra?.column ?? row.endColumn,
                               message: "row has \(Self.cells(row.count)); the header has \(columns.names.count)")
            }
            for index in columns.features {
                features.append(try columns.number(in: row.cells[index], column: index))
            }
            let targetCell = row.cells[columns.target]
            switch options.target {
            case .classes(_, let classCount):
                let label = try columns.classIndex(in: targetCell)
                if let classCount, label >= classCount {
                    throw CSVError(path: path, line: targetCell.line, column: targetCell.column,
                                   message: "class \(label) in column \(columns.shown(columns.target)) is not below the class count \(classCount)")
                }
                labels.append(label)
                largestLabel = max(largestLabel, label)
            case .values:
                values.append(try columns.number(in: targetCell, column: columns.target))
            }
            if let split = columns.split {
                validationRows.append(try columns.isValidation(row.cells[split]))
            }
        }

        let sampleCount = features.count / columns.features.count
        guard sampleCount > 0 else {
            throw CSVError(path: path, line: header.endLine + 1, column: 1, message: "the file has a header but no data rows")
        }
        let targets: Dataset.Targets = switch options.target {
        case .classes(_, let classCount): .classes(labels: labels, classCount: classCount ?? largestLabel + 1)
        case .values: .values(values, width: 1)
        }
        let all = Dataset(sampleShape: columns.sampleShape, features: features, targets: targets)

        let rawTraining: Dataset, rawValidation: Dataset
        switch options.split {
        case .validationFraction(let fraction):
            (rawTraining, rawValidation) = all.split(validationFraction: fraction, generator: &generator)
            guard rawTraining.count > 0 else {
                throw CSVError(path: path, line: header.line, column: 1,
                               message: "a validation fraction of \(fraction) leaves no training rows out of \(sampleCount)")
            }
        case .column(let name):
            let trainingRows = validationRows.indices.filter { !validationRows[$0] }
            guard !trainingRows.isEmpty else {
                let cell = header.cells[columns.split ?? 0]
                throw CSVError(path: path, line: cell.line, column: cell.column,
                               message: "no row has 'train' in the split column \(Excerpt.quoted(name))")
            }
            rawTraining = all.subset(trainingRows)
            rawValidation = all.subset(validationRows.indices.filter { validationRows[$0] })
        }

        let statistics = FeatureNormalization.statistics(method: options.normalization, fittedTo: rawTraining.features,
                                                         featureCount: rawTraining.featureCount)
        if let feature = FeatureNormalization.firstInvalidFeature(offsets: statistics.offsets, scales: statistics.scales) {
            let cell = header.cells[columns.features[feature]]
            throw CSVError(path: path, line: cell.line, column: cell.column,
                           message: "column \(Excerpt.quoted(cell.text)) cannot be normalised with \(options.normalization.rawValue): its values are so large that its statistics overflow; rescale the data or set normalize: none")
        }
        normalization = FeatureNormalization(method: options.normalization, offsets: statistics.offsets, scales: statistics.scales)
        training = normalization.apply(to: rawTraining)
        validation = normalization.apply(to: rawValidation)
        featureColumns = columns.features.map { columns.names[$0] }
    }

    /// Class indices must be below this: a million classes, more than any model here could output
    /// (and `largest + 1` classes can then never overflow).
    public static let classLimit = 1_000_000

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

    /// The finite number in `cell` of column `column`.
    func number(in cell: CSVReader.Cell, column: Int) throws(CSVError) -> Double {
        guard let value = Double(cell.text) else {
            throw Self.error(at: cell, path: path, message: "\(Excerpt.quoted(cell.text)) in column \(shown(column)) is not a number")
        }
        guard value.isFinite else {
            throw Self.error(at: cell, path: path, message: "\(Excerpt.quoted(cell.text)) in column \(shown(column)) is not a finite number")
        }
        return value
    }

    /// The class index in `cell` of the target column: a non-negative integer below
    /// `CSVDataset.classLimit`, possibly written with a zero fraction such as `2.0`.
    func classIndex(in cell: CSVReader.Cell) throws(CSVError) -> Int {
        if let label = Int(cell.text), label >= 0, label < CSVDataset.classLimit { return label }
        if let value = Double(cell.text), value >= 0, value < Double(CSVDataset.classLimit), value == value.rounded() { return Int(value) }
        throw Self.error(at: cell, path: path,
                         message: "\(Excerpt.quoted(cell.text)) in column \(shown(target)) is not a class index (an integer from 0 to \(CSVDataset.classLimit - 1))")
    }

    /// Whether `cell` of the split column puts its row in the validation set.
    func isValidation(_ cell: CSVReader.Cell) throws(CSVError) -> Bool {
        switch cell.text.lowercased() {
        case "train", "training": return false
        case "validation", "val": return true
        default:
            throw Self.error(at: cell, path: path,
                             message: "\(Excerpt.quoted(cell.text)) in column \(shown(split ?? 0)) is not a split; use 'train' or 'validation'")
        }
    }

    /// The index of the column named `name`, or an error at the header's start that lists the
    /// columns and suggests the closest name.
    private static func index(of name: String, role: String, names: [String], indices: [String: Int], header: CSVReader.Row,
                              path: String) throws(CSVError) -> Int {
        if let index = indices[name] { return index }
        let shown = names.prefix(names.count <= 12 ? 12 : 10).map { Excerpt.plain($0, limit: 40) }
        let listed = names.count <= 12 ? shown : shown + ["… (\(names.count) columns)"]
        let suggestion = NameSuggestion.closest(to: name, among: names).map { "; did you mean \(Excerpt.quoted($0))?" } ?? ""
        throw error(at: header.cells[0], path: path,
                    message: "unknown \(role) column \(Excerpt.quoted(name))\(suggestion) (columns: \(listed.joined(separator: ", ")))")
    }

    private static func error(at cell: CSVReader.Cell, path: String, message: String) -> CSVError {
        CSVError(path: path, line: cell.line, column: cell.column, message: message)
    }
}
