import Baifs
import Foundation
import Runs

/// How two runs differ: the config keys whose values differ, the final and best metrics side by
/// side with their differences, the first epoch at which `metrics.csv` differs, and how far
/// apart the parameters of their last checkpoints are.
///
/// Two runs are equal when their configs agree on every key but `name`, their statuses agree,
/// their `metrics.csv` files agree row for row, and their last checkpoints hold the same
/// parameters, value for value. `timing.json` is never compared.
public struct RunDiff: Sendable {
    /// A config key whose values differ (`nil` where a run has no such key).
    struct ConfigDifference: Sendable, Equatable {
        /// The key path, `optimizer.learning_rate`.
        var keyPath: String
        /// Run A's value.
        var a: String?
        /// Run B's value.
        var b: String?
    }

    /// One metric of the final or best row of both runs.
    struct MetricComparison: Sendable, Equatable {
        /// `final` or `best`.
        var row: String
        /// `epoch`, or a `metrics.csv` column.
        var metric: String
        /// Run A's value.
        var a: Double?
        /// Run B's value.
        var b: Double?
        /// `b − a`, when both are present.
        var delta: Double? { a.flatMap { a in b.map { $0 - a } } }
        /// Whether both are absent, or both present with the same bits.
        var isEqual: Bool { a?.bitPattern == b?.bitPattern }
    }

    /// The first epoch whose `metrics.csv` rows differ.
    struct Divergence: Sendable, Equatable {
        /// The epoch, as in the `epoch` column.
        var epoch: Int
        /// The columns that differ at that epoch (every column when only one run has the epoch).
        var columns: [String]
    }

    /// How far apart one parameter of the two last checkpoints is.
    struct ParameterDistance: Sendable, Equatable {
        /// The `state_dict` name, `layers.0.weight`.
        var name: String
        /// Its shape in A's checkpoint; `nil` if A has no such parameter.
        var shapeA: [Int]?
        /// Its shape in B's checkpoint; `nil` if B has no such parameter.
        var shapeB: [Int]?
        /// max |aᵢ − bᵢ|, when the shapes agree.
        var maximumAbsoluteDifference: Double?
        /// ‖a − b‖₂ = √Σ(aᵢ − bᵢ)², when the shapes agree.
        var l2Distance: Double?

        var isEqual: Bool { shapeA != nil && shapeA == shapeB && maximumAbsoluteDifference == 0 }
    }

    /// Run A, read with its last checkpoint's parameters.
    let a: RunRecord
    /// Run B, read the same way.
    let b: RunRecord
    /// The config keys whose values differ, `name` aside: in A's order, then B's own.
    let config: [ConfigDifference]
    /// The epoch and every metric either run has, of the final and then the best row.
    let metrics: [MetricComparison]
    /// `nil` when the rows agree.
    let divergence: Divergence?
    /// Per parameter, in the order of A's checkpoint (then B's own); empty if neither has one.
    let parameters: [ParameterDistance]
    /// Things that could not be compared, in sentences (a run without a checkpoint or summary).
    let notes: [String]

    /// Whether the runs are equal (see the type's description).
    public var isEqual: Bool {
        config.isEmpty && a.status == b.status && metrics.allSatisfy(\.isEqual) && divergence == nil
            && parameters.allSatisfy(\.isEqual) && (a.parameters == nil) == (b.parameters == nil)
    }

    /// Reads both run directories and compares them.
    public init(_ pathA: String, _ pathB: String) throws(RunStoreError) {
        let a = try RunRecord.read(pathA, parameters: true)
        let b = try RunRecord.read(pathB, parameters: true)
        self.a = a
        self.b = b
        config = Self.configDifferences(a, b)
        metrics = Self.metricComparisons(a, b)
        divergence = Self.firstDivergence(a, b)
        parameters = Self.parameterDistances(a.parameters ?? [], b.parameters ?? [])
        var notes: [String] = []
        for (label, run) in [("A", a), ("B", b)] {
            if run.status == nil { notes.append("\(label) (\(run.path)) has no summary.json.") }
            if run.parameters == nil { notes.append("\(label) (\(run.path)) has no checkpoints/last.json.") }
        }
        self.notes = notes
    }

    // MARK: - Comparisons

    static func configDifferences(_ a: RunRecord, _ b: RunRecord) -> [ConfigDifference] {
        var keys = a.config.map(\.keyPath)
        for key in b.config.map(\.keyPath) where !keys.contains(key) { keys.append(key) }
        return keys.filter { $0 != "name" }.compactMap { key in
            let (valueA, valueB) = (a.configValue(key), b.configValue(key))
            return valueA == valueB ? nil : ConfigDifference(keyPath: key, a: valueA, b: valueB)
        }
    }

    static func metricComparisons(_ a: RunRecord, _ b: RunRecord) -> [MetricComparison] {
        var comparisons: [MetricComparison] = []
        for (label, rowA, rowB) in [("final", a.final, b.final), ("best", a.best, b.best)] {
            guard rowA != nil || rowB != nil else { continue }
            comparisons.append(MetricComparison(row: label, metric: "epoch", a: rowA?.epoch.map(Double.init),
                                                b: rowB?.epoch.map(Double.init)))
            let names = Metric.allCases.map(\.rawValue) + ["learning_rate", "grad_norm"]
            for name in names where rowA?.metrics[name] != nil || rowB?.metrics[name] != nil {
                comparisons.append(MetricComparison(row: label, metric: name, a: rowA?.metrics[name], b: rowB?.metrics[name]))
            }
        }
        return comparisons
    }

    static func firstDivergence(_ a: RunRecord, _ b: RunRecord) -> Divergence? {
        var columns = a.metricColumns
        for column in b.metricColumns where !columns.contains(column) { columns.append(column) }
        func cell(_ run: RunRecord, _ row: [String], _ column: String) -> String? {
            run.metricColumns.firstIndex(of: column).flatMap { row.indices.contains($0) ? row[$0] : nil }
        }
        for index in 0..<max(a.metricRows.count, b.metricRows.count) {
            let rowA = a.metricRows.indices.contains(index) ? a.metricRows[index] : nil
            let rowB = b.metricRows.indices.contains(index) ? b.metricRows[index] : nil
            let epoch = (rowA ?? rowB).flatMap { row in cell(rowA != nil ? a : b, row, "epoch").flatMap { Int($0) } } ?? index + 1
            guard let rowA, let rowB else {
                return Divergence(epoch: epoch, columns: columns.filter { $0 != "epoch" })
            }
            let differing = columns.filter { cell(a, rowA, $0) != cell(b, rowB, $0) }
            if !differing.isEmpty { return Divergence(epoch: epoch, columns: differing) }
        }
        return nil
    }

    static func parameterDistances(_ a: [Checkpoint.NamedParameter], _ b: [Checkpoint.NamedParameter]) -> [ParameterDistance] {
        let byNameB = Dictionary(b.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let namesA = Set(a.map(\.name))
        var distances: [ParameterDistance] = []
        for parameter in a {
            guard let other = byNameB[parameter.name] else {
                distances.append(ParameterDistance(name: parameter.name, shapeA: parameter.shape, shapeB: nil))
                continue
            }
            var distance = ParameterDistance(name: parameter.name, shapeA: parameter.shape, shapeB: other.shape)
            if parameter.shape == other.shape {
                var maximum = 0.0, sumOfSquares = 0.0
                for (x, y) in zip(parameter.values, other.values) {
                    let difference = abs(x - y)
                    maximum = max(maximum, difference)
                    sumOfSquares += difference * difference
                }
                distance.maximumAbsoluteDifference = maximum
                distance.l2Distance = sumOfSquares.squareRoot()
            }
            distances.append(distance)
        }
        for parameter in b where !namesA.contains(parameter.name) {
            distances.append(ParameterDistance(name: parameter.name, shapeA: nil, shapeB: parameter.shape))
        }
        return distances
    }
}
