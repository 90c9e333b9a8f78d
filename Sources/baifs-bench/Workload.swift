/// What one benchmark measured.
struct WorkloadResult {
    var microsecondsPerStep: Double
    var nodesPerStep: Int
    var tapeNodesPerStep: Int
    var referenceMicrosecondsPerStep: Double
    var nanosecondsPerNode: Double { microsecondsPerStep * 1000 / Double(nodesPerStep) }
}

/// A named training step timed on the engine and by hand.
struct Workload: Sendable {
    let name: String
    let measure: @Sendable () -> WorkloadResult

    /// The workloads of BENCHMARKS.md that the engine runs.
    static let all: [Workload] = [
        Workload(name: "mlp-64") {
            // MLP 64→32→10, ReLU hidden, batch 32, MSE, SGD with learning rate 0.1.
            var engine = EngineMLPStep(sizes: [64, 32, 10], batch: 32, learningRate: 0.1, seed: 1) { $0.relu() }
            let reference = ReferenceMLPStep(sizes: [64, 32, 10], batch: 32, learningRate: 0.1, seed: 1, activation: .relu)
            checkSameComputation(name: "mlp-64", engine: { engine.step() }, reference: { reference.step() })
            let time = medianMicroseconds { engine.step() }
            let referenceTime = medianMicroseconds { reference.step() }
            return WorkloadResult(microsecondsPerStep: time.median, nodesPerStep: engine.graph.scalarOperationCount,
                                  tapeNodesPerStep: engine.graph.nodeCount, referenceMicrosecondsPerStep: referenceTime.median)
        },
    ]
}

/// Stops the benchmark unless the engine and the hand-written step give the same losses over a few
/// steps from the same start, so that the two timings are of the same computation.
func checkSameComputation(name: String, engine: () -> Double, reference: () -> Double) {
    for step in 0..<3 {
        let (engineLoss, referenceLoss) = (engine(), reference())
        let tolerance = 1e-12 * max(1, abs(referenceLoss))
        precondition(abs(engineLoss - referenceLoss) <= tolerance,
                     "\(name): the engine's loss \(engineLoss) differs from the hand-written step's \(referenceLoss) at step \(step).")
    }
}
