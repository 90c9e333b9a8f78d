@testable import Runs
import Testing

/// The HParams events byte for byte against what TensorBoard's own protocol buffers serialize
/// (`tensorboard.compat.proto.event_pb2` with `plugin_data_pb2.HParamsPluginData`, tensorboard
/// 2.21) for the same values.
struct TensorBoardHParamsTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test func sessionStartMatchesTensorBoardsSerialization() {
        let event = TensorBoardHParams.sessionStartEvent(hyperparameters: [("kind", .string("mlp")), ("lr", .number(0.5))],
                                                        groupName: "g", wallTime: 2)
        #expect(Self.hex(event) == "0900000000000000402a5d0a5b0a1c5f68706172616d735f2f73657373696f6e5f73746172745f696e666f4a3b0a390a07"
                + "68706172616d73122e1a2c0a0d0a046b696e6412051a036d6c700a0f0a026c72120911000000000000e03f220167290000000000000040")
    }

    @Test func sessionEndMatchesTensorBoardsSerialization() {
        let event = TensorBoardHParams.sessionEndEvent(status: .success, wallTime: 3)
        #expect(Self.hex(event) == "0900000000000008402a3a0a380a1a5f68706172616d735f2f73657373696f6e5f656e645f696e666f4a1a0a180a07"
                + "68706172616d73120d220b0801110000000000000840")
    }
}
