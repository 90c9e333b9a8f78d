import Baifs
import Foundation

/// A TensorBoard event file that scalars are appended to as a run trains.
///
/// The file is a sequence of TFRecords, each
///
///     length: UInt64 (little-endian) · maskedCRC32C(length) · data · maskedCRC32C(data)
///
/// whose data is a serialized `tensorflow.Event` protocol buffer:
/// `Event{wall_time = 1, step = 2, file_version = 3, summary = 5}` with
/// `Summary{value = 1: Value{tag = 1, simple_value = 2}}`. The first event holds only
/// `file_version: "brain.Event:2"`. TensorBoard reads every file named `*tfevents*` in a folder,
/// so a resumed run starts a new file beside the old ones.
public final class TensorBoardEventFile {
    /// The file's path.
    public let path: String
    private let file: AppendingFile

    /// Creates a new event file in `directory` (made if missing), named
    /// `events.out.tfevents.SECONDS.HOST.PID.N` with the first `N` not taken, and writes the
    /// file-version event.
    ///
    /// - Throws: `RunStoreError` if the folder or the file cannot be made.
    public init(directory: String, wallTime: Double = Date().timeIntervalSince1970) throws(RunStoreError) {
        // Most often the folder's parent exists and the folder does not: one mkdir(2).
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw RunStoreError("cannot create \(directory): \(FileProblem.reason(error))")
            }
        }
        let host = hostName.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let stem = "\(directory)/events.out.tfevents.\(Int(wallTime)).\(host).\(ProcessInfo.processInfo.processIdentifier)"
        var number = 0
        var descriptor: Int32 = -1
        var candidate = ""
        repeat {
            number += 1
            candidate = "\(stem).\(number)"
            descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        } while descriptor < 0 && errno == EEXIST && number < 1000
        guard descriptor >= 0 else {
            throw RunStoreError("cannot create an event file in \(directory): \(String(cString: strerror(errno)))")
        }
        path = candidate
        file = AppendingFile(descriptor: descriptor, path: candidate)
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.int64(2, 0)
        event.string(3, "brain.Event:2")
        try append(event.bytes)
    }

    /// Appends one event with the scalar summaries `values` (tag and value; values are stored as
    /// 32-bit floats, as TensorBoard's `simple_value` is) at global step `step`.
    ///
    /// - Throws: `RunStoreError` if the file cannot be written.
    public func appendScalars(_ values: [(tag: String, value: Double)], step: Int,
                              wallTime: Double = Date().timeIntervalSince1970) throws(RunStoreError) {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.int64(2, Int64(step))
        event.message(5) { summary in
            for (tag, value) in values {
                summary.message(1) { entry in
                    entry.string(1, tag)
                    entry.float(2, Float(value))
                }
            }
        }
        try append(event.bytes)
    }

    /// Appends one event whose data is `event`, a serialized `tensorflow.Event`.
    public func append(_ event: [UInt8]) throws(RunStoreError) {
        try file.append(Self.record(event))
    }

    /// The largest step of a summary event in the event files of `directory`, or `nil` if there
    /// is none: a resumed run writes only later steps, so that no step is written twice. A record
    /// cut short (a process killed while writing it) ends the reading of its file.
    public static func lastSummaryStep(in directory: String) -> Int? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var last: Int?
        for name in names where name.contains("tfevents") {
            guard let bytes = FileManager.default.contents(atPath: "\(directory)/\(name)").map(Array.init) else { continue }
            var offset = 0
            while offset + 12 <= bytes.count {
                let length = bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
                guard length >= 0, length <= bytes.count - offset - 16 else { break }
                let data = bytes[offset + 12..<offset + 12 + length]
                if let step = summaryStep(of: data) { last = max(last ?? step, step) }
                offset += 16 + length
            }
        }
        return last
    }

    /// The `step` of a serialized `Event` that has a `summary`, or `nil`.
    private static func summaryStep(of event: ArraySlice<UInt8>) -> Int? {
        var index = event.startIndex, step = 0, hasSummary = false
        func varint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while index < event.endIndex, shift < 64 {
                let byte = event[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        while index < event.endIndex {
            guard let key = varint() else { return nil }
            switch key & 7 {
            case 0:
                guard let value = varint() else { return nil }
                if key >> 3 == 2 { step = Int(truncatingIfNeeded: value) }
            case 1: index += 8
            case 5: index += 4
            case 2:
                guard let length = varint(), length <= UInt64(event.endIndex - index) else { return nil }
                if key >> 3 == 5 { hasSummary = true }
                index += Int(length)
            default: return nil
            }
        }
        return hasSummary ? step : nil
    }

    /// `data` framed as a TFRecord.
    package static func record(_ data: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { length.append(contentsOf: $0) }
        var record = length
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { record.append(contentsOf: $0) }
        record.append(contentsOf: data)
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { record.append(contentsOf: $0) }
        return record
    }
}
