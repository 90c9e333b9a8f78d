import Foundation

/// A checkpoint's long arrays of numbers, parsed straight into doubles, and the rest of the
/// document (the skeleton) with each of them replaced by `[]`, for `JSONDecoder`.
///
/// The arrays are those at `parameters.NAME.values` and `optimizer.slots.NAME.INDEX`: nearly all of
/// a checkpoint's bytes. `JSONDecoder` alone would hold a map of every number of the file besides
/// the file and the decoded arrays (about 3 bytes per byte of the file); this way reading takes
/// the file's bytes and 8 bytes per value (see `ModelPlan.checkpointReadingBytesPerFileByte`).
/// Used for run checkpoints (`Checkpoint.read`) and for `init_from` (`ParameterSet`).
/// An array that holds anything but numbers (a `null`) is left in the skeleton, for the
/// decoder to report.
package struct CheckpointNumberArrays {
    /// The document with the extracted arrays replaced by `[]`.
    package var skeleton: Data
    /// The extracted arrays by key path (`["parameters", "layers.0.weight", "values"]`,
    /// `["optimizer", "slots", "momentum", "0"]`).
    package var arrays: [[String]: [Double]] = [:]

    package init(scanning data: Data) {
        var skeleton = Data()
        var arrays: [[String]: [Double]] = [:]
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var scanner = Scanner(bytes: bytes)
            scanner.run(skeleton: &skeleton, arrays: &arrays)
        }
        self.skeleton = skeleton
        self.arrays = arrays
    }

    /// Whether the array at `path` is one to extract.
    static func isExtracted(_ path: [String]) -> Bool {
        (path.count == 3 && path[0] == "parameters" && path[2] == "values")
            || (path.count == 4 && path[0] == "optimizer" && path[1] == "slots")
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var position = 0
        /// Per open container: whether it is an object, and the key (or index) of the value being read.
        var containers: [(isObject: Bool, key: String, index: Int)] = []
        var lastString = ""

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        mutating func run(skeleton: inout Data, arrays: inout [[String]: [Double]]) {
            var copiedUpTo = 0
            skeleton.reserveCapacity(min(bytes.count, 1 << 20))
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    lastString = readString()
                    continue
                case UInt8(ascii: ":"):
                    if !containers.isEmpty { containers[containers.count - 1].key = lastString }
                case UInt8(ascii: ","):
                    if let last = containers.last, !last.isObject {
                        containers[containers.count - 1].index += 1
                        containers[containers.count - 1].key = String(last.index + 1)
                    }
                case UInt8(ascii: "{"):
                    containers.append((true, "", 0))
                case UInt8(ascii: "["):
                    let path = containers.map(\.key)
                    if CheckpointNumberArrays.isExtracted(path), let (values, end) = numbers(from: position + 1) {
                        skeleton.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copiedUpTo..<position]))
                        skeleton.append(contentsOf: Array("[]".utf8))
                        arrays[path] = values
                        position = end
                        copiedUpTo = end
                        continue
                    }
                    containers.append((false, "0", 0))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if !containers.isEmpty { containers.removeLast() }
                default:
                    break
                }
                position += 1
            }
            skeleton.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copiedUpTo..<bytes.count]))
        }

        /// Reads the string that starts at `position` (a quote) and moves past it.
        mutating func readString() -> String {
            let start = position + 1
            var end = start
            var hasEscape = false
            while end < bytes.count && bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") { hasEscape = true; end += 1 }
                end += 1
            }
            position = min(end + 1, bytes.count)
            let literal = UnsafeRawBufferPointer(rebasing: bytes[(start - 1)..<position])
            if hasEscape, let decoded = try? JSONDecoder().decode(String.self, from: Data(literal)) { return decoded }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<min(end, bytes.count)]), as: UTF8.self)
        }

        /// The numbers of the array whose elements start at `start` and the offset after its `]`;
        /// `nil` if it holds anything but numbers.
        func numbers(from start: Int) -> ([Double], Int)? {
            var values: [Double] = []
            var index = start
            var token = [CChar](repeating: 0, count: 64)
            func skipSpace() {
                while index < bytes.count, CheckpointChecksum.isSpace(bytes[index]) { index += 1 }
            }
            skipSpace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") { return ([], index + 1) }
            while index < bytes.count {
                skipSpace()
                let tokenStart = index
                while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
                let length = index - tokenStart
                guard length > 0, length < token.count else { return nil }
                for offset in 0..<length { token[offset] = CChar(bitPattern: bytes[tokenStart + offset]) }
                token[length] = 0
                var parsedEnd: UnsafeMutablePointer<CChar>?
                let value = token.withUnsafeMutableBufferPointer { buffer -> Double? in
                    let value = strtod(buffer.baseAddress!, &parsedEnd)
                    return parsedEnd == buffer.baseAddress! + length ? value : nil
                }
                guard let value, value.isFinite else { return nil }
                values.append(value)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: "]") { return (values, index + 1) }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
            return nil
        }

        static func isNumberByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
    }
}
