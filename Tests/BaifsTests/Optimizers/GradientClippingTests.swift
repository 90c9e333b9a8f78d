import Baifs
import Testing

struct GradientClippingTests {
    /// Two parameters whose gradients (3, −4) and (12) have global norm √(9 + 16 + 144) = 13.
    private static func makeParameters() -> [Parameter] {
        let first = Parameter(shape: [2], values: [0, 0]), second = Parameter(shape: [1], values: [0])
        first.gradients = [3, -4]
        second.gradients = [12]
        return [first, second]
    }

    private static func gradients(_ parameters: [Parameter]) -> [Double] {
        parameters.flatMap(\.gradients)
    }

    @Test func noClippingReportsTheNormAndLeavesGradients() {
        let parameters = Self.makeParameters()
        #expect(GradientClipping.none.apply(to: parameters) == 13)
        #expect(Self.gradients(parameters) == [3, -4, 12])
    }

    @Test func byValueClampsEachGradientAndReportsTheNormBeforeClipping() {
        let parameters = Self.makeParameters()
        #expect(GradientClipping.byValue(3.5).apply(to: parameters) == 13)
        #expect(Self.gradients(parameters) == [3, -3.5, 3.5])
    }

    @Test func byNormScalesAllGradientsTogether() {
        let parameters = Self.makeParameters()
        #expect(GradientClipping.byNorm(6.5).apply(to: parameters) == 13)
        // scale = 6.5 / (13 + 1e-6), just under one half.
        let scale = 6.5 / 13.000001
        let clipped = Self.gradients(parameters)
        for (value, expected) in zip(clipped, [3 * scale, -4 * scale, 12 * scale]) {
            #expect(abs(value - expected) <= 1e-15 * abs(expected))
        }
        let clippedNorm = gradientNorm(parameters)
        #expect(clippedNorm < 6.5 && clippedNorm > 6.5 - 1e-6)
    }

    @Test func byNormLeavesGradientsBelowTheLimit() {
        let parameters = Self.makeParameters()
        #expect(clipGradientsByNorm(parameters, maxNorm: 20) == 13)
        #expect(Self.gradients(parameters) == [3, -4, 12])
    }

    @Test func byNormAtExactlyTheNormStillScalesByTheEpsilonFactor() {
        // As in PyTorch, 13 / (13 + 1e-6) < 1, so gradients at the limit shrink very slightly.
        let parameters = Self.makeParameters()
        clipGradientsByNorm(parameters, maxNorm: 13)
        #expect(Self.gradients(parameters)[2] < 12 && Self.gradients(parameters)[2] > 12 - 1e-5)
    }

    @Test func zeroGradientsStayZero() {
        let parameter = Parameter(shape: [3], values: [1, 2, 3])
        #expect(GradientClipping.byNorm(1).apply(to: [parameter]) == 0)
        #expect(parameter.gradients == [0, 0, 0])
    }

    @Test func noParametersHaveNormZero() {
        #expect(gradientNorm([]) == 0)
        #expect(GradientClipping.byValue(1).apply(to: []) == 0)
    }

    @Test func normSumsSquaresOverEveryParameter() {
        // √(1 + 4 + 4) = 3 over parameters of different shapes.
        let first = Parameter(shape: [1, 2], values: [0, 0]), second = Parameter(shape: [1], values: [0])
        first.gradients = [1, -2]
        second.gradients = [2]
        #expect(gradientNorm([first, second]) == 3)
    }
}
