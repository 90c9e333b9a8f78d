import Foundation
@testable import Runs
import Testing

/// The event file's framing and protocol buffers, decoded here by hand; CommandLineTests read the
/// files of real runs with TensorBoard's own reader.
struct TensorBoardEventFileTests {
    /// The records of a TFRecord file, each checked against its two masked CRCs.
    static func records(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var records: [[UInt8]] = [], offset = 0
        func littleEndian<T: FixedWidthInteger>(_ type: T.Type, at position: Int) -> T {
            bytes[position..<position + MemoryLayout<T>.size].reversed().reduce(T(0)) { $0 << 8 | T($1) }
        }
        while offset < bytes.count {
            let length = Int(littleEndian(UInt64.self, at: offset))
            #expect(littleEndian(UInt32.self, at: offset + 8) == CRC32C.masked(bytes[offset..<offset + 8]))
            let data = Array(bytes[offset + 12..<offset + 12 + length])
            #expect(littleEndian(UInt32.self, at: offset + 12 + length) == CRC32C.masked(data))
            records.append(data)
            offset += 16 + length
        }
        #expect(offset == bytes.count)
        return records
    }

    @Test func protobufFieldsHaveTheirKeysAndEncodings() {
        var writer = ProtobufWriter()
        writer.int64(2, 300)
        writer.double(1, 1.5)
        writer.float(2, 0.25)
        writer.string(1, "ab")
        #expect(writer.bytes == [0x10, 0xAC, 0x02,
                                 0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,
                                 0x15, 0, 0, 0x80, 0x3E,
                                 0x0A, 2, 0x61, 0x62])
        var negative = ProtobufWriter()
        negative.int64(2, -1)
        #expect(negative.bytes == [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    @Test func writesTheFileVersionThenOneEventPerCallOfScalars() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-tb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = try TensorBoardEventFile(directory: folder, wallTime: 1000)
        try file.appendScalars([("loss/train", 0.5), ("learning_rate", 0.1)], step: 12, wallTime: 1001)
        let second = try TensorBoardEventFile(directory: folder, wallTime: 1000)
        #expect(second.path != file.path)
        #expect(URL(fileURLWithPath: file.path).lastPathComponent.hasPrefix("events.out.tfevents.1000."))

        let records = try Self.records(Array(try Data(contentsOf: URL(fileURLWithPath: file.path))))
        try #require(records.count == 2)
        var version = ProtobufWriter()
        version.double(1, 1000)
        version.int64(2, 0)
        version.string(3, "brain.Event:2")
        #expect(records[0] == version.bytes)

        var value1 = ProtobufWriter(), value2 = ProtobufWriter(), summary = ProtobufWriter(), event = ProtobufWriter()
        value1.string(1, "loss/train")
        value1.float(2, 0.5)
        value2.string(1, "learning_rate")
        value2.float(2, Float(0.1))
        summary.bytes(1, value1.bytes)
        summary.bytes(1, value2.bytes)
        event.double(1, 1001)
        event.int64(2, 12)
        event.bytes(5, summary.bytes)
        #expect(records[1] == event.bytes)
        // After the wall time (key and 8 bytes): the step as a varint, then the summary's key 0x2A.
        #expect(records[1][9...10] == [0x10, 12])
        #expect(records[1][11] == 0x2A)
    }
}
