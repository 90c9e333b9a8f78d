import Baifs
import Foundation

/// A JSON document built in code and written with a fixed layout, so that the same value always
/// gives the same bytes: keys in the order given, numbers in Swift's shortest round-trip form
/// (`0.1`, `1e-05`), one key per line for objects, arrays of numbers on one line.
///
/// Not `indirect`: arrays and objects hold their elements in array storage already, and a number
/// stays inline instead of in a box of its own.
public enum JSONValue: Equatable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A signed integer, in decimal digits.
    case integer(Int64)
    /// An unsigned integer up to 2⁶⁴ − 1 (a random generator's state word, a byte count), in decimal digits.
    case unsignedInteger(UInt64)
    /// A double in its shortest round-trip form (`0.1`, `1e-05`, `2.0`); NaN and infinities as `null`.
    case number(Double)
    /// A string literal, with quotes, backslashes and control characters escaped.
    case string(String)
    /// A list: on one line when every element is a scalar, else one element per line.
    case array([JSONValue])
    /// Keys and values in the order given, one key per line (`{}` when empty).
    case object([(String, JSONValue)])
    /// An array of numbers kept as the doubles themselves (a checkpoint's parameters: millions of
    /// them, shared with the model rather than copied); written exactly as `.array` of `.number`s.
    case numbers([Double])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.text() == rhs.text()
    }

    /// The document as text, ending with a newline.
    public func text() -> String {
        var output = ""
        write(to: &output, indent: 0)
        output.append("\n")
        return output
    }

    /// Writes the value as `text()` lays it out, without the final newline, as if it stood
    /// `indent` levels deep, into `output` piece by piece (a file, without building the whole text).
    public func write<Output: TextOutputStream>(to output: inout Output, indent: Int) {
        switch self {
        case .null: output.write("null")
        case .bool(let value): output.write(value ? "true" : "false")
        case .integer(let value): output.write(String(value))
        case .unsignedInteger(let value): output.write(String(value))
        case .number(let value):
            // JSON has no NaN or infinity; such values are written as null.
            output.write(value.isFinite ? formatNumber(value) : "null")
        case .string(let value): output.write(quoted(value))
        case .array(let elements):
            if elements.allSatisfy(\.isScalar) {
                output.write("[")
                for (index, element) in elements.enumerated() {
                    if index > 0 { output.write(", ") }
                    element.write(to: &output, indent: indent)
                }
                output.write("]")
            } else {
                output.write("[\n")
                for (index, element) in elements.enumerated() {
                    output.write(String(repeating: "  ", count: indent + 1))
                    element.write(to: &output, indent: indent + 1)
                    output.write(index < elements.count - 1 ? ",\n" : "\n")
                }
                output.write(String(repeating: "  ", count: indent) + "]")
            }
        case .object(let members):
            if members.isEmpty { output.write("{}"); return }
            output.write("{\n")
            for (index, (key, value)) in members.enumerated() {
                output.write(String(repeating: "  ", count: indent + 1) + quoted(key) + ": ")
                value.write(to: &output, indent: indent + 1)
                output.write(index < members.count - 1 ? ",\n" : "\n")
            }
            output.write(String(repeating: "  ", count: indent) + "}")
        case .numbers(let values):
            // A checkpoint holds thousands: they are formatted straight into one string (`write(to:)`
            // gives `formatNumber`'s text without a string of its own per number), written out
            // every 64 KiB.
            var chunk = "["
            chunk.reserveCapacity(1 << 16 + 64)
            for (index, value) in values.enumerated() {
                if index > 0 { chunk += ", " }
                if value.isFinite { value.write(to: &chunk) } else { chunk += "null" }
                if chunk.utf8.count >= 1 << 16 {
                    output.write(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            chunk += "]"
            output.write(chunk)
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object, .numbers: false
        default: true
        }
    }
}

/// A double in the shortest form that reads back to the same bits; integral values keep a `.0`.
package func formatNumber(_ value: Double) -> String {
    value.messageText
}

/// `text` as a JSON string literal, quotes included.
package func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result.append("\\\"")
        case "\\": result.append("\\\\")
        case "\n": result.append("\\n")
        case "\r": result.append("\\r")
        case "\t": result.append("\\t")
        case _ where scalar.value < 0x20: result.append(String(format: "\\u%04x", scalar.value))
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}

extension JSONValue {
    /// An array of integers.
    public static func integers(_ values: [Int]) -> JSONValue { .array(values.map { .integer(Int64($0)) }) }
    /// A number, or null when absent.
    public static func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
}
