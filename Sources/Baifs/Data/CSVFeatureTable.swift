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
    /// are ignored); without, every column except those in `ignoring` is read.
    public init(contentsOfFile path: String, columns: [String]?, ignoring: Set<String> = []) throws(CSVError) {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch {
            throw CSVError(path: path, line: 1, column: 1, message: "cannot read file: \(error.reason)")
        }
        try self.init(bytes: [UInt8](data), path: path, columns: columns, ignoring: ignoring)
    }

    /// Reads CSV `text` as though it were the file at `path`.
    public init(parsing text: String, path: String, columns: [String]?, ignoring: Set<String> = []) throws(CSVError) {
        try self.init(bytes: Array(text.utf8), path: path, columns: columns, ignoring: ignoring)
    }

    private init(bytes: [UInt8], path: String, columns requested: [String]?, ignoring: Set<String>) throws(CSVError) {
        var reader = CSVReader(bytes: bytes, path: path)
        guard let header = try reader.nextRow() else {
            throw CSVError(path: path, line: 1, column: 1, message: "the file is empty; it needs a header row")
        }
        let names = header.cells.map(\.text)
        var indices: [Int] = []
        if let requested {
            // The first column of each name, through a dictionary: linear in the columns.
            var indexByName = [String: Int](minimumCapacity: names.count)
            for (index, name) in names.enumerated().reversed() { indexByName[name] = index }
            for name in requested {
                guard let index = indexByName[name] else {
                    func list(_ names: [String]) -> String {
                        names.prefix(10).map { Excerpt.plain($0, limit: 40) }.joined(separator: ", ") + (names.count > 10 ? ", … (\(names.count) in all)" : "")
                    }
                    throw CSVError(path: path, line: header.line, column: header.cells[0].column,
                                   message: "the input has no column \(Excerpt.quoted(name)); the model needs the columns \(list(requested)) and the input has \(list(names))")
                }
                indices.append(index)
            }
        } else {
            indices = names.indices.filter { !ignoring.contains(names[$0]) }
        }
        columns = indices.map { names[$0] }
        var features: [Double] = []
        var count = 0
        while let row = try reader.nextRow(keepingAtMost: names.count) {
            guard row.count == names.count else {
                let cell = row.count > names.count ? row.cells[names.count] : CSVReader.Cell(text: "", line: row.endLine, column: row.endColumn)
                throw CSVError(path: path, line: cell.line, column: cell.column,
                               message: "row has \(row.count) cells; the header has \(names.count)")
            }
            for index in indices {
                let cell = row.cells[index]
                guard let value = Double(cell.text), value.isFinite else {
                    throw CSVError(path: path, line: cell.line, column: cell.column,
                                   message: "\(Excerpt.quoted(cell.text)) in column \(Excerpt.quoted(names[index])) is not a finite number")
                }
                features.append(value)
            }
            count += 1
        }
        self.features = features
        self.count = count
    }
}
