import Baifs
import Foundation

/// The columns of a run's `metrics.csv`: one row per epoch, each cell a number or empty.
public struct MetricsTable: Sendable, Equatable {
    /// The column names, as in the header.
    public var columns: [String]
    /// The rows, one value (or `nil` for an empty cell) per column.
    public var rows: [[Double?]]

    /// Creates a table of `columns` and `rows`.
    public init(columns: [String], rows: [[Double?]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "Every row of a metrics table has one value per column.")
        self.columns = columns
        self.rows = rows
    }

    /// The table that `RunDirectory.writeMetrics` writes for `history`: the same numbers.
    public init(history: [EpochMetrics], columns: [String]) {
        self.columns = columns
        rows = history.map { metrics in
            columns.map { column in
                switch column {
                case "epoch": Double(metrics.epoch)
                case "step": Double(metrics.step)
                case "learning_rate": metrics.learningRate
                case "grad_norm": metrics.gradientNorm
                default: Metric(rawValue: column).flatMap { metrics.value(of: $0) }
                }
            }
        }
    }

    /// Reads `metrics.csv` text.
    ///
    /// - Parameters:
    ///   - text: The CSV text: a header, then one row per epoch.
    ///   - path: The file the text came from, for error messages.
    /// - Throws: `RunStoreError` naming the line and column of a cell that is not a number, or a
    ///   row with the wrong number of cells.
    public init(csv text: String, path: String) throws(RunStoreError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let header = lines.first, !header.isEmpty else {
            throw RunStoreError("\(path):1:1: error: metrics.csv is empty; it needs a header such as epoch,step,train_loss,…")
        }
        columns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard columns.contains("epoch") else {
            throw RunStoreError("\(path):1:1: error: the header has no epoch column (columns: \(columns.joined(separator: ", ")))")
        }
        var rows: [[Double?]] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == columns.count else {
                throw RunStoreError("\(path):\(offset + 1):1: error: \(cells.count) cells, but the header has \(columns.count) columns")
            }
            var row: [Double?] = []
            var column = 1
            for cell in cells {
                if cell.isEmpty {
                    row.append(nil)
                } else if let value = Double(cell) {
                    row.append(value)
                } else {
                    throw RunStoreError("\(path):\(offset + 1):\(column): error: \(Excerpt.quoted(cell)) is not a number")
                }
                column += cell.count + 1
            }
            rows.append(row)
        }
        self.rows = rows
    }

    /// Reads the `metrics.csv` of the run directory at `path`.
    public init(runDirectory path: String) throws(RunStoreError) {
        let file = "\(path)/metrics.csv"
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw RunStoreError("\(file): error: cannot read the metrics (\(FileProblem.reason(error)))")
        }
        try self.init(csv: text, path: file)
    }

    /// The values of `column`, one per row (`nil` where the cell is empty), or `nil` if there is
    /// no such column.
    public func values(of column: String) -> [Double?]? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return rows.map { $0[index] }
    }
}
