import Foundation
@testable import Runs
import Testing

/// `RunRecord` reading `summary.json`'s test-set evaluation: present, with a best row or not, or
/// null.
struct RunRecordTests {
    /// A run directory with `config.yaml` and a summary whose `test` member is `test` (JSON text).
    func runDirectory(test: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-record-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name: tested\nseed: 1\n".write(toFile: "\(folder)/config.yaml", atomically: true, encoding: .utf8)
        try """
            {
              "name": "tested",
              "status": "completed",
              "final": {"epoch": 3.0, "step": 12.0, "train_loss": 0.5, "val_loss": null},
              "best": {"epoch": 2.0, "step": 8.0, "train_loss": 0.625, "val_loss": null},
              "test": \(test)
            }
            """.write(toFile: "\(folder)/summary.json", atomically: true, encoding: .utf8)
        return folder
    }

    @Test(arguments: [
        (#"{"final": {"loss": 0.25, "accuracy": 0.875}, "best": {"loss": 0.125, "accuracy": null}}"#,
         RunRecord.TestMetrics(final: ["loss": 0.25, "accuracy": 0.875], best: ["loss": 0.125])),
        (#"{"final": {"loss": 0.1, "accuracy": null}, "best": null}"#, RunRecord.TestMetrics(final: ["loss": 0.1], best: nil)),
        ("null", nil),
    ])
    func theTestEvaluationIsReadWhenPresent(test: String, expected: RunRecord.TestMetrics?) throws {
        let path = try runDirectory(test: test)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let record = try RunRecord.read(path)
        #expect(record.test == expected)
        #expect(record.final == RunRecord.SummaryRow(epoch: 3, metrics: ["train_loss": 0.5]))
        #expect(record.best == RunRecord.SummaryRow(epoch: 2, metrics: ["train_loss": 0.625]))
    }

    @Test func aTestMemberThatIsNotAnEvaluationIsAnError() throws {
        let path = try runDirectory(test: #"{"final": "0.25"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: RunStoreError.self) { try RunRecord.read(path) }
    }
}
