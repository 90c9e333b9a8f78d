import Foundation

/// A validator of the part of JSON Schema (draft-07) that baifs' schemas use: `type`, `enum`,
/// `const`, `properties`, `additionalProperties`, `propertyNames` with `pattern`, `required`,
/// `items`, `minItems`, `minimum`, `exclusiveMinimum`, `exclusiveMaximum`, `anyOf`, `allOf`,
/// `if`/`then`, `$ref` to `#/definitions/…`, and boolean schemas. Instances are what
/// `JSONSerialization` or `yamlValue(_:)` give.
public struct JSONSchemaValidator {
    let root: [String: Any]

    public init(schemaText: String) throws {
        root = try JSONSerialization.jsonObject(with: Data(schemaText.utf8)) as? [String: Any] ?? [:]
    }

    /// The problems of `instance`, each with the path where it is; empty if it is valid.
    public func problems(of instance: Any) -> [String] {
        problems(instance, root, path: "$")
    }

    private func problems(_ instance: Any, _ schema: Any, path: String) -> [String] {
        if let allowed = schema as? Bool { return allowed ? [] : ["\(path): not allowed"] }
        guard let schema = schema as? [String: Any] else { return ["\(path): bad schema"] }
        if let reference = schema["$ref"] as? String {
            let name = String(reference.dropFirst("#/definitions/".count))
            guard let target = (root["definitions"] as? [String: Any])?[name] else { return ["\(path): unknown $ref \(reference)"] }
            return problems(instance, target, path: path)
        }
        var found: [String] = []
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as? String ?? ""]
            if !types.contains(where: { Self.isInstance(instance, of: $0) }) { found.append("\(path): expected \(types)") }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, instance) }) {
            found.append("\(path): not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, instance) { found.append("\(path): not \(constant)") }
        if let number = Self.number(instance) {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum { found.append("\(path): \(number) < \(minimum)") }
            if let bound = schema["exclusiveMinimum"].flatMap(Self.number), number <= bound { found.append("\(path): \(number) ≤ \(bound)") }
            if let bound = schema["exclusiveMaximum"].flatMap(Self.number), number >= bound { found.append("\(path): \(number) ≥ \(bound)") }
        }
        if let object = instance as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, value) in object {
                if let property = properties[key] {
                    found += problems(value, property, path: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] {
                    found += problems(value, additional, path: "\(path).\(key)")
                }
                if let pattern = (schema["propertyNames"] as? [String: Any])?["pattern"] as? String,
                   key.range(of: pattern, options: .regularExpression) == nil {
                    found.append("\(path).\(key): does not match \(pattern)")
                }
            }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): missing \(key)") }
        }
        if let array = instance as? [Any], !(instance is [String: Any]) {
            if let minimum = schema["minItems"] as? Int, array.count < minimum { found.append("\(path): fewer than \(minimum) items") }
            if let items = schema["items"] {
                for (index, item) in array.enumerated() { found += problems(item, items, path: "\(path).\(index)") }
            }
        }
        if let options = schema["anyOf"] as? [Any], !options.contains(where: { problems(instance, $0, path: path).isEmpty }) {
            found.append("\(path): matches none of anyOf")
        }
        for part in schema["allOf"] as? [Any] ?? [] { found += problems(instance, part, path: path) }
        if let condition = schema["if"], problems(instance, condition, path: path).isEmpty, let consequence = schema["then"] {
            found += problems(instance, consequence, path: path)
        }
        return found
    }

    private static func isInstance(_ value: Any, of type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "boolean": Swift.type(of: value) == Bool.self
        // As JavaScript validators do: a number without a fraction is an integer.
        case "integer": number(value).map { $0 == $0.rounded() } ?? false
        case "number": number(value) != nil
        default: false
        }
    }

    /// A number's value; `nil` for anything else (Swift's `Bool` included, which `NSNumber` is not).
    private static func number(_ value: Any) -> Double? {
        if value is String || Swift.type(of: value) == Bool.self { return nil }
        if let double = value as? Double { return double }
        if let integer = value as? Int { return Double(integer) }
        if let integer = value as? UInt64 { return Double(integer) }
        return nil
    }

    private static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        if let a = lhs as? String, let b = rhs as? String { return a == b }
        if Swift.type(of: lhs) == Bool.self || Swift.type(of: rhs) == Bool.self {
            return Swift.type(of: lhs) == Swift.type(of: rhs) && (lhs as? Bool) == (rhs as? Bool)
        }
        return number(lhs) != nil && number(lhs) == number(rhs)
    }
}
