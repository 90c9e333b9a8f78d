import Foundation
@testable import Configuration
import Testing

/// `SafetensorsFile`: the byte layout of the format, and a round trip.
struct SafetensorsFileTests {
    let file = SafetensorsFile(
        tensors: [
            .init(name: "layers.0.weight", shape: [2, 3], values: [1, -2, 0.5, 0.1, 1e-3, 3]),
            .init(name: "layers.0.bias", shape: [2], values: [0.25, -0.125]),
        ],
        metadata: [("format", "pt"), ("epoch", "3")], dataType: .float32)

    @Test func layoutIsAHeaderLengthAJSONHeaderAndLittleEndianData() throws {
        let bytes = [UInt8](file.data)
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect((8 + headerLength) % 8 == 0)
        let header = try #require(String(bytes: bytes[8..<(8 + headerLength)], encoding: .utf8))
        #expect(header.hasPrefix("{\"__metadata__\":{\"format\":\"pt\",\"epoch\":\"3\"},\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"))
        #expect(header.trimmingCharacters(in: .whitespaces).hasSuffix("\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}"))
        #expect(bytes.count == 8 + headerLength + 32)
        // -2 as a little-endian float32 is 00 00 00 C0.
        let second = 8 + headerLength + 4
        #expect(Array(bytes[second..<(second + 4)]) == [0x00, 0x00, 0x00, 0xC0])
    }

    @Test func readsBackWhatItWrites() throws {
        let read = try SafetensorsFile(data: file.data)
        #expect(read.tensors.map(\.name) == ["layers.0.weight", "layers.0.bias"])
        #expect(read.tensors.map(\.shape) == [[2, 3], [2]])
        #expect(read.tensors[0].values == file.tensors[0].values.map { Double(Float($0)) })
        #expect(read.metadata.map(\.key) == ["epoch", "format"])
        var exact = file
        exact.dataType = .float64
        #expect(try SafetensorsFile(data: exact.data).tensors == exact.tensors)
        #expect(exact.data.count > file.data.count)
    }

    @Test func rejectsTruncatedFiles() {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: Data([1, 2, 3])) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: file.data.dropLast(4)) }
    }

    /// A file with `header` as its JSON header and `dataBytes` zero bytes of data.
    static func file(header: String, dataBytes: Int = 8) -> Data {
        var length = UInt64(header.utf8.count)
        return Data(bytes: &length, count: 8) + Data(header.utf8) + Data(count: dataBytes)
    }

    @Test func hugeNumbersInTheFileAreErrorsNotOverflows() {
        var huge = UInt64(1) << 63
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: Data(bytes: &huge, count: 8) + Data(count: 8)) }
        for tensor in [#"{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}"#,
                       #"{"dtype":"F64","shape":[-1,-8],"data_offsets":[0,64]}"#,
                       #"{"dtype":"F64","shape":[1],"data_offsets":[-9223372036854775807,9223372036854775807]}"#,
                       #"{"dtype":"F64","shape":[1],"data_offsets":[9223372036854775800,9223372036854775807]}"#] {
            #expect(throws: SafetensorsError.self, "\(tensor)") { try SafetensorsFile(data: Self.file(header: #"{"w":"# + tensor + "}")) }
        }
    }
}
