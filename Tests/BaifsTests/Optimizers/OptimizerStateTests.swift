import Baifs
import Foundation
import Testing

struct OptimizerStateTests {
    /// The optimizers whose state is checked, each with every buffer in use.
    enum Configuration: String, CaseIterable, Sendable {
        case sgdWithMomentum, sgdWithNesterov, sgdWithoutMomentum, adam, adamW

        func make() -> any Optimizer {
            switch self {
            case .sgdWithMomentum: SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 0.01)
            case .sgdWithNesterov: SGD(learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01)
            case .sgdWithoutMomentum: SGD(learningRate: 0.05, weightDecay: 0.01)
            case .adam: Adam(learningRate: 0.01, weightDecay: 0.01)
            case .adamW: AdamW(learningRate: 0.01)
            }
        }
    }

    /// Parameters of two shapes with seeded values.
    private static func makeParameters() -> [Parameter] {
        var generator = RandomGenerator(seed: 5)
        return [Parameter(shape: [2, 3], uniformBound: 1, generator: &generator),
                Parameter(shape: [4], uniformBound: 1, generator: &generator)]
    }

    /// Sets seeded gradients that depend on the step and on the current values, then updates.
    private static func step(_ optimizer: inout any Optimizer, _ parameters: [Parameter], generator: inout RandomGenerator) {
        for parameter in parameters {
            for index in parameter.gradients.indices {
                parameter.gradients[index] = parameter.values[index] + generator.uniform(-1, 1)
            }
        }
        optimizer.update(parameters)
    }

    @Test(arguments: Configuration.allCases)
    func restoredStateContinuesBitForBit(configuration: Configuration) throws {
        var straightGenerator = RandomGenerator(seed: 17)
        var straight = configuration.make()
        let straightParameters = Self.makeParameters()
        for _ in 0..<5 { Self.step(&straight, straightParameters, generator: &straightGenerator) }

        var resumedGenerator = RandomGenerator(seed: 17)
        var interrupted = configuration.make()
        let resumedParameters = Self.makeParameters()
        for _ in 0..<2 { Self.step(&interrupted, resumedParameters, generator: &resumedGenerator) }
        // Save through JSON as a checkpoint would, into a freshly made optimizer.
        let saved = try JSONEncoder().encode(interrupted.state)
        var resumed = configuration.make()
        try resumed.restore(JSONDecoder().decode(OptimizerState.self, from: saved), parameters: resumedParameters)
        #expect(resumed.state == interrupted.state)
        for _ in 0..<3 { Self.step(&resumed, resumedParameters, generator: &resumedGenerator) }

        for (straightParameter, resumedParameter) in zip(straightParameters, resumedParameters) {
            #expect(straightParameter.values.map(\.bitPattern) == resumedParameter.values.map(\.bitPattern))
        }
        #expect(resumed.state == straight.state)
    }

    @Test(arguments: Configuration.allCases)
    func initialStateRestoresBeforeTheFirstStep(configuration: Configuration) throws {
        var optimizer = configuration.make()
        try optimizer.restore(configuration.make().state, parameters: Self.makeParameters())
        #expect(optimizer.state.step == 0 && optimizer.state.slots.isEmpty)
    }

    @Test func restoringAnotherKindOfStateThrows() {
        var sgd: any Optimizer = SGD(learningRate: 0.1, momentum: 0.9)
        #expect(throws: OptimizerStateError.kindMismatch(expected: "sgd", found: "adam")) {
            try sgd.restore(OptimizerState(kind: "adam", step: 0), parameters: [])
        }
        var adam: any Optimizer = Adam()
        #expect(throws: OptimizerStateError.kindMismatch(expected: "adam", found: "adamw")) {
            try adam.restore(AdamW().state, parameters: [])
        }
    }

    @Test func restoringANegativeStepThrows() {
        var sgd = SGD(learningRate: 0.1)
        #expect(throws: OptimizerStateError.negativeStep(-1)) {
            try sgd.restore(OptimizerState(kind: "sgd", step: -1), parameters: [])
        }
    }

    @Test func restoringWithMissingOrExtraBuffersThrows() {
        let parameter = Parameter(shape: [2], values: [1, 2])
        var adam = Adam()
        #expect(throws: OptimizerStateError.slotMismatch(expected: ["first_moment", "second_moment"], found: ["first_moment"])) {
            try adam.restore(OptimizerState(kind: "adam", step: 3, slots: ["first_moment": [[0, 0]]]), parameters: [parameter])
        }
        var sgd = SGD(learningRate: 0.1)
        #expect(throws: OptimizerStateError.slotMismatch(expected: [], found: ["momentum"])) {
            try sgd.restore(OptimizerState(kind: "sgd", step: 3, slots: ["momentum": [[0, 0]]]), parameters: [parameter])
        }
    }

    @Test func restoringForADifferentNumberOfParametersThrows() {
        let parameters = [Parameter(shape: [2], values: [1, 2]), Parameter(shape: [1], values: [3])]
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        #expect(throws: OptimizerStateError.parameterCountMismatch(slot: "momentum", expected: 2, found: 1)) {
            try sgd.restore(OptimizerState(kind: "sgd", step: 1, slots: ["momentum": [[0, 0]]]), parameters: parameters)
        }
    }

    @Test func restoringBuffersOfTheWrongSizeThrows() {
        let parameters = [Parameter(shape: [2], values: [1, 2]), Parameter(shape: [1], values: [3])]
        var adamW = AdamW()
        let state = OptimizerState(kind: "adamw", step: 4, slots: [
            "first_moment": [[0, 0], [0]],
            "second_moment": [[0, 0], [0, 0, 0]],
        ])
        #expect(throws: OptimizerStateError.sizeMismatch(slot: "second_moment", parameterIndex: 1, expected: 1, found: 3)) {
            try adamW.restore(state, parameters: parameters)
        }
    }

    @Test func aFailedRestoreLeavesTheOptimizerUnchanged() {
        let parameter = Parameter(shape: [1], values: [1])
        parameter.gradients = [1]
        var adam = Adam()
        adam.update([parameter])
        let before = adam.state
        _ = try? adam.restore(OptimizerState(kind: "adam", step: 2, slots: ["first_moment": [[0]]]), parameters: [parameter])
        #expect(adam.state == before)
    }

    @Test func errorsDescribeTheMismatch() {
        #expect(OptimizerStateError.kindMismatch(expected: "sgd", found: "adam").description
                == "The optimizer state was saved by 'adam' and cannot be restored into 'sgd'.")
        #expect(OptimizerStateError.sizeMismatch(slot: "momentum", parameterIndex: 1, expected: 4, found: 3).description
                == "The optimizer state's 'momentum' buffer for parameter 1 holds 3 values; the parameter holds 4.")
    }

    @Test func stateEncodesAsJSONWithItsFieldNames() throws {
        let state = OptimizerState(kind: "sgd", step: 2, slots: ["momentum": [[0.5, -0.25]]])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(state), as: UTF8.self)
        #expect(json == #"{"kind":"sgd","slots":{"momentum":[[0.5,-0.25]]},"step":2}"#)
    }
}
