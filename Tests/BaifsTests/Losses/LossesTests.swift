import Autograd
import Baifs
import Foundation
import TestSupport
import Testing

struct LossesTests {
    @Test func meanSquaredErrorIsTheMeanOfSquaredDifferences() {
        let graph = Graph()
        let loss = mseLoss(predictions: tensor([[1, 2], [3, 4]], in: graph), targets: tensor([[0, 2], [5, 4]], in: graph))
        // ((1 − 0)² + 0² + (3 − 5)² + 0²) / 4 = 5/4.
        #expect(loss.value == 1.25)
    }

    @Test func summedSquaredErrorIsTheSumOfSquaredDifferencesWithItsGradient() {
        // PyTorch: F.mse_loss(p, t, reduction="sum") = Σ (p − t)², with gradient 2(p − t).
        let graph = Graph()
        let predictions = tensor([[1, 2], [3, 4]], in: graph)
        let loss = mseLoss(predictions: predictions, targets: tensor([[0, 2], [5, 4]], in: graph), reduction: .sum, samples: 10)
        #expect(loss.value == 5)
        loss.backward()
        #expect(predictions.gradients == [2, 0, -4, 0])
    }

    @Test func summedSquaredErrorOfAChunkedBatchIsTheSumOfItsChunks() {
        let graph = Graph()
        let outputs = tensor([[0.5], [-1], [2]], in: graph)
        let whole = Loss.summedSquaredError(outputs: outputs, targets: .values([1, 1, 1], width: 1))
        let first = Loss.summedSquaredError(outputs: tensor([[0.5], [-1]], in: graph), targets: .values([1, 1], width: 1), samples: 3)
        let second = Loss.summedSquaredError(outputs: tensor([[2]], in: graph), targets: .values([1], width: 1), samples: 3)
        #expect(whole.value == 0.25 + 4 + 1)
        #expect(first.value + second.value == whole.value)
        #expect(Loss.summedSquaredError.batchTotal(5.25, count: 3) == 5.25)
        #expect(Loss.meanSquaredError.batchTotal(1.75, count: 3) == 5.25)
        #expect(Loss.summedSquaredError.reduction == .sum && Loss.meanSquaredError.reduction == .mean && Loss.crossEntropy.reduction == nil)
    }

    @Test func crossEntropyMatchesTheDefinition() {
        let graph = Graph()
        let logits = tensor([[1, 2, 3], [0.5, -1, 2]], in: graph)
        let loss = crossEntropyLoss(logits: logits, labels: [2, 0])
        func negativeLogSoftmax(_ z: [Double], _ label: Int) -> Double {
            Foundation.log(z.map { Foundation.exp($0) }.reduce(0, +)) - z[label]
        }
        let expected = (negativeLogSoftmax([1, 2, 3], 2) + negativeLogSoftmax([0.5, -1, 2], 0)) / 2
        #expect(isApproximatelyEqual(loss.value, expected, relative: 1e-14))
        // ∂/∂z = (softmax(z) − onehot(y)) / N.
        loss.backward()
        let row0 = [1.0, 2, 3].map { Foundation.exp($0) }, total0 = row0.reduce(0, +)
        let expectedRow0 = [row0[0] / total0 / 2, row0[1] / total0 / 2, (row0[2] / total0 - 1) / 2]
        #expect(zip(Array(logits.gradients[0..<3]), expectedRow0).allSatisfy { isApproximatelyEqual($0, $1, relative: 1e-12) })
    }

    @Test func crossEntropyIsStableForHugeLogits() {
        let graph = Graph()
        let loss = crossEntropyLoss(logits: tensor([[1000, 0, -1000]], in: graph), labels: [1])
        #expect(isApproximatelyEqual(loss.value, 1000, relative: 1e-12))
        loss.backward()
        #expect(loss.value.isFinite)
    }

    @Test func squaredErrorTargetsForClassesAreSignsOrOneHot() {
        #expect(encodeForSquaredError(labels: [0, 1, 1], classCount: 2, width: 1) == [-1, 1, 1])
        #expect(encodeForSquaredError(labels: [2, 0], classCount: 3, width: 3) == [0, 0, 1, 1, 0, 0])
        #expect(predictedClass([0.3][...]) == 1)
        #expect(predictedClass([-0.3][...]) == 0)
        #expect(predictedClass([0.1, 0.7, 0.7][...]) == 1)
    }
}
