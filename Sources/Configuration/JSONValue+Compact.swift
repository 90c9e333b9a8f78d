extension JSONValue {
    /// The value on one line, without spaces or a final newline: one line of a JSON Lines file.
    /// Scalars are written exactly as `text()` writes them.
    public func compactText() -> String {
        switch self {
        case .array(let elements):
            return "[" + elements.map { $0.compactText() }.joined(separator: ",") + "]"
        case .numbers(let values):
            return "[" + values.map { JSONValue.number($0).compactText() }.joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { key, value in
                JSONValue.string(key).compactText() + ":" + value.compactText()
            }.joined(separator: ",") + "}"
        default:
            return String(text().dropLast())
        }
    }
}
