import Foundation

/// Numeric columns of a CSV file, read for prediction: the header names the columns, and each row
/// gives one sample's features in the order of `columns`.
public struct CSVFeatureTable: Sendable, Equatable {
    /// The columns read, in feature order.
    public var columns: [String]
    /// The features, row-major: `count × columns.count` values.
    public var features: [Double]
    /// The number of rows.
    public var count: Int

    /// Reads the file at `path`. With `columns`, exactly those columns are read, in that order (others
    /// are ignored); without, every column except those in `ignoring` is read, and there must be
    /// `featureCount` of them if it is given (checked at the header, before any row).
    public init(contentsOfFile path: String, columns: [String]?, ignoring: Set<String> = [], featureCount: Int? = nil) throws(CSVError) {
        var reader = try CSVReader(contentsOfFile: path)
        defer { reader.close() }
        try self.init(reader: &reader, columns: columns, ignoring: ignoring, featureCount: featureCount)
    }

    /// Reads CSV `text` as though it were the file at `path`.
    public init(parsing text: String, path: String, columns: [String]?, ignoring: Set<String> = [], featureCount: Int? = nil) throws(CSVError) {
        var reader = CSVReader(bytes: Array(text.utf8), path: path)
        try self.init(reader: &reader, columns: columns, ignoring: ignoring, featureCount: featureCount)
    }

    private init(reader: inout CSVReader, columns requested: [String]?, ignoring: Set<String>, featureCount: Int?) throws(CSVError) {
        let path = reader.path
        guard let header = try reader.nextCells() else {
            throw CSVError(path: path, line: 1, column: 1, message: "the file is empty; it needs a header row")
        }
        let names = header.cells.map(\.text)
        var indices: [Int] = []
        /// At most ten names, as excerpts.
        func list(_ names: [String]) -> String {
            names.prefix(10).map { Excerpt.plain($0, limit: 40) }.joined(separator: ", ") + (names.count > 10 ? ", … (\(names.count) in all)" : "")
        }
        if let requested {
            // The first column of each name, through a dictionary: linear in the columns.
            var indexByName = [String: Int](minimumCapacity: names.count)
            for (index, name) in names.enumerated().reversed() { indexByName[name] = index }
            for name in requested {
                guard let index = indexByName[name] else {
                    throw CSVError(path: path, line: header.line, column: header.cells[0].column,
                                   message: "the input has no column \(Excerpt.quoted(name)); the model needs the columns \(list(requested)) and the input has \(list(names))")
                }
                indices.append(index)
            }
        } else {
            indices = names.indices.filter { !ignoring.contains(names[$0]) }
        }
        columns = indices.map { names[$0] }
        if let featureCount, columns.count != featureCount {
            throw CSVError(path: path, line: header.line, column: header.cells[0].column,
                           message: "the model takes \(featureCount) features per row; the input has \(columns.count) columns (\(list(columns)))")
        }
        var features: [Double] = []
        var count = 0
        while try reader.nextRow(keepingAtMost: names.count) {
            guard reader.cellCount == names.count else {
                let (line, column) = reader.cellCount > names.count ? reader.location(at: names.count) : reader.endLocation
                throw CSVError(path: path, line: line, column: column,
                               message: "row has \(reader.cellCount) cells; the header has \(names.count)")
            }
            for index in indices {
                guard let value = reader.number(at: index), value.isFinite else {
                    let (line, column) = reader.location(at: index)
                    throw CSVError(path: path, line: line, column: column,
                                   message: "\(Excerpt.quoted(reader.text(at: index))) in column \(Excerpt.quoted(names[index])) is not a finite number")
                }
                features.append(value)
            }
            count += 1
        }
        self.features = features
        self.count = count
    }
}
