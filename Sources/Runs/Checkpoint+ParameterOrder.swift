import Foundation

extension Checkpoint {
    /// The parameters in the order the checkpoint file lists them, which is the model's
    /// `state_dict` order, given the file's text. `Checkpoint.read` decodes the parameters as a
    /// JSON object, whose order JSON does not keep; this recovers it from the text. Parameters the
    /// text does not list (it should list all) follow in name order.
    public func parametersInFileOrder(text: String) -> [NamedParameter] {
        let order = Self.parameterNames(inJSON: text)
        let position = Dictionary(order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return parameters.sorted { lhs, rhs in
            switch (position[lhs.name], position[rhs.name]) {
            case let (left?, right?): left < right
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): lhs.name < rhs.name
            }
        }
    }

    /// The keys of the top-level `parameters` object of a checkpoint's JSON text, in order.
    static func parameterNames(inJSON text: String) -> [String] {
        var names: [String] = []
        var depth = 0
        var string: String?           // the string being read, if inside one
        var isEscaped = false
        var lastString = ""           // the last complete string, a key if a colon follows
        var topLevelKey = ""          // the key whose value is being read at depth 1
        for character in text {
            if var current = string {
                if isEscaped {
                    current.append(character)
                    isEscaped = false
                } else if character == "\\" {
                    isEscaped = true
                } else if character == "\"" {
                    lastString = current
                    string = nil
                    continue
                } else {
                    current.append(character)
                }
                string = current
                continue
            }
            switch character {
            case "\"": string = ""
            case ":":
                if depth == 1 { topLevelKey = lastString }
                if depth == 2 && topLevelKey == "parameters" { names.append(lastString) }
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            default: break
            }
        }
        return names
    }
}
