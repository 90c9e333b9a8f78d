import Yams

extension ConfigNode {
    /// The node as YAML on one line, as an override's value is written (`0.1`, `adam`,
    /// `[1, 8, 8]`, `{patience: 3}`): it composes back to the same value.
    ///
    /// Scalars keep their text; a string that YAML would read as something else, or that holds
    /// characters with a meaning in flow style, is single-quoted. A null is the empty text, which
    /// an override reads as "unset".
    package var flowText: String {
        switch content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return ""
            case .boolean, .integer, .float: return scalar.text
            case .string: return Self.quotedIfNeeded(scalar.text)
            }
        case .sequence(let items):
            return "[" + items.map(\.flowText).joined(separator: ", ") + "]"
        case .mapping(let entries):
            return "{" + entries.map { "\(Self.quotedIfNeeded($0.key)): \($0.value.flowText)" }.joined(separator: ", ") + "}"
        }
    }

    /// `text` plain if YAML reads it back as that same string inside a flow collection,
    /// otherwise single-quoted.
    static func quotedIfNeeded(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./+")
        if !text.isEmpty, text.allSatisfy(safe.contains), !"-.".contains(text.first!),
           let node = try? Yams.compose(yaml: text), node.tag == Tag(.str), node.scalar?.string == text {
            return text
        }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
