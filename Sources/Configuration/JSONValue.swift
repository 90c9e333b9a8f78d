import Baifs
import Foundation

/// A JSON document built in code and written with a fixed layout, so that the same value always
/// gives the same bytes: keys in the order given, numbers in Swift's shortest round-trip form
/// (`0.1`, `1e-05`), one key per line for objects, arrays of numbers on one line.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsignedInteger(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

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

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .integer(let value): output.append(String(value))
        case .unsignedInteger(let value): output.append(String(value))
        case .number(let value):
            // JSON has no NaN or infinity; such values are written as null.
            output.append(value.isFinite ? formatNumber(value) : "null")
        case .string(let value): output.append(quoted(value))
        case .array(let elements):
            if elements.allSatisfy(\.isScalar) {
                output.append("[")
                for (index, element) in elements.enumerated() {
                    if index > 0 { output.append(", ") }
                    element.write(to: &output, indent: indent)
                }
                output.append("]")
            } else {
                output.append("[\n")
                for (index, element) in elements.enumerated() {
                    output.append(String(repeating: "  ", count: indent + 1))
                    element.write(to: &output, indent: indent + 1)
                    output.append(index < elements.count - 1 ? ",\n" : "\n")
                }
                output.append(String(repeating: "  ", count: indent) + "]")
            }
        case .object(let members):
            if members.isEmpty { output.append("{}"); return }
            output.append("{\n")
            for (index, (key, value)) in members.enumerated() {
                output.append(String(repeating: "  ", count: indent + 1) + quoted(key) + ": ")
                value.write(to: &output, indent: indent + 1)
                output.append(index < members.count - 1 ? ",\n" : "\n")
            }
            output.append(String(repeating: "  ", count: indent) + "}")
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}

/// A double in the shortest form that reads back to the same bits; integral values keep a `.0`.
package func formatNumber(_ value: Double) -> String {
    value.messageText
}

private func quoted(_ text: String) -> String {
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
    /// An array of numbers.
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }
    /// An array of integers.
    public static func integers(_ values: [Int]) -> JSONValue { .array(values.map { .integer(Int64($0)) }) }
    /// A number, or null when absent.
    public static func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
}
