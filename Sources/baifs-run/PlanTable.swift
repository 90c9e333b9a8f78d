import Autograd
import Baifs
import Foundation
import Inspection

/// A `ModelPlan` as a text table: one row per part of the model with its graph per sample, then
/// the nodes recorded once per pass, and the whole graph of one training batch.
struct PlanTable {
    let plan: ModelPlan
    let title: String

    var text: String {
        let header = ["layer", "type", "sizes", "output", "parameters", "tape nodes", "scalar ops", "backward terms"]
        var rows: [[String]] = plan.rows.map { row in
            [row.name, row.type, row.detail, row.name == "loss" ? "" : "\(row.outputShape)", Self.grouped(row.parameterCount),
             Self.grouped(row.cost.perSample.tapeNodes), Self.grouped(row.cost.perSample.scalarOperations),
             Self.grouped(row.cost.perSample.backwardTerms)]
        }
        let total = plan.total
        rows.append(["total per sample", "", "", "", Self.grouped(plan.parameterCount), Self.grouped(total.perSample.tapeNodes),
                     Self.grouped(total.perSample.scalarOperations), Self.grouped(total.perSample.backwardTerms)])
        rows.append(["once per graph", "", "parameter leaves, constants", "", "", Self.grouped(total.perPass.tapeNodes),
                     Self.grouped(total.perPass.scalarOperations), Self.grouped(total.perPass.backwardTerms)])
        let batch = plan.trainingBatch
        let chunks = plan.chunksPerBatch == 1 ? "one graph" : "\(plan.chunksPerBatch) graphs of ≤ \(plan.chunkSize)"
        rows.append(["batch of \(plan.batchSize)", "", chunks, "", "", Self.grouped(batch.tapeNodes), Self.grouped(batch.scalarOperations),
                     Self.grouped(batch.backwardTerms)])
        var table = TextTable(headers: header, alignments: header.indices.map { $0 >= 4 ? .right : .left })
        table.rows = rows
        let widths = table.columnWidths
        let lines = table.lines
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        let summary = "\(plan.trainingSamples) training and \(plan.validationSamples) validation samples, "
            + "\(plan.stepsPerEpoch) steps of \(plan.batchSize) per epoch"
        let body = [title, summary, "", lines[0], rule] + lines.dropFirst().dropLast(3) + [rule] + lines.suffix(3)
        return body.joined(separator: "\n")
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }
}
