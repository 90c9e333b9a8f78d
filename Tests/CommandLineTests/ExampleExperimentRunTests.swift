import Foundation
import Testing

/// The shipped examples, run with their defaults through the built executable, reach the accuracy
/// the README states.
struct ExampleExperimentRunTests {
    @Test(arguments: [("experiments/mlp.yaml", 0.97), ("experiments/resnet.yaml", 0.95)])
    func exampleReachesItsStatedValidationAccuracy(file: String, accuracy: Double) throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let result = try BaifsRunProcess.run([file, "--quiet"], in: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let summaryData = try Data(contentsOf: folder.appendingPathComponent(result.lastLine).appendingPathComponent("summary.json"))
        let summary = try #require(try JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
        let final = try #require(summary["final"] as? [String: Any])
        let reached = try #require(final["val_accuracy"] as? Double)
        #expect(reached >= accuracy)
    }
}
