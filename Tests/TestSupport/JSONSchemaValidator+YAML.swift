import Foundation
import Yams

/// A YAML document as a JavaScript YAML parser gives it to a JSON Schema validator: mappings as
/// `[String: Any]`, sequences as `[Any]`, scalars resolved (YAML 1.1) to `Int`, `Double`, `Bool`,
/// `String` or `NSNull`, and integers too large for `Int` as `Double`.
public func yamlValue(_ text: String) throws -> Any {
    func convert(_ node: Node) -> Any {
        switch node {
        case .mapping(let mapping):
            return Dictionary(uniqueKeysWithValues: mapping.map { (($0.key.string ?? "\($0.key)"), convert($0.value)) })
        case .sequence(let sequence):
            return sequence.map(convert)
        case .scalar(let scalar):
            if let value = node.bool { return value }
            if let value = node.int { return value }
            if node.tag == Tag(.int), let value = Double(scalar.string) { return value }
            if let value = node.float { return value }
            if node.null != nil { return NSNull() }
            return scalar.string
        case .alias:
            return NSNull()
        }
    }
    guard let node = try Yams.compose(yaml: text) else { return NSNull() }
    return convert(node)
}
