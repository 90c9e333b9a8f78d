@testable import Runs
import Testing

/// `Checkpoint.parametersInFileOrder(text:)`: the `state_dict` order that JSON decoding loses.
struct CheckpointParameterOrderTests {
    @Test func namesAreReadInFileOrderAtTheRightDepth() {
        let text = """
            {"format_version": 1, "optimizer": {"slots": {"a": []}},
             "parameters": {"layers.0.weight": {"shape": [1], "values": [1]}, "odd \\"name\\"": {"shape": [1], "values": [2]},
                            "layers.0.bias": {"shape": [1], "values": [3]}},
             "solver": {"history": [{"epoch": 1}]}}
            """
        #expect(Checkpoint.parameterNames(inJSON: text) == ["layers.0.weight", "odd \"name\"", "layers.0.bias"])
    }
}
