import Foundation

extension ConfigSchema {
    /// The reference part of `docs/experiment-files.md`: per section, its summary, a table of its
    /// keys (type, default, valid values, the kinds it applies to, meaning) and an example.
    ///
    /// Generated from `sections`, so that the documentation lists exactly what the loader accepts;
    /// a test checks that the file holds this text.
    public static var markdownReference: String {
        sections.map(markdown(for:)).joined(separator: "\n")
    }

    private static func markdown(for section: Section) -> String {
        var lines = ["### \(title(of: section))", "", section.summary, ""]
        if let kindKey = section.kindKey, section.acceptsBareKind {
            lines += ["A bare string stands for a mapping with only `\(kindKey)`.", ""]
        }
        lines += [
            "| Key | Type | Default | Valid values | Applies to | Meaning |",
            "|---|---|---|---|---|---|",
        ]
        for key in section.keys {
            let cells = [
                "`\(key.name)`", typeText(key.type), defaultText(key.defaultValue), validValues(key),
                key.kinds.map { $0.map { "`\($0)`" }.joined(separator: ", ") } ?? "all", key.summary,
            ]
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        lines += ["", "```yaml", section.example, "```", ""]
        return lines.joined(separator: "\n")
    }

    private static func title(of section: Section) -> String {
        switch section.path {
        case "": "Top level"
        case let path where path.hasSuffix("[]"): "Entries of `\(path.dropLast(2))`"
        case let path: "`\(path)`"
        }
    }

    private static func typeText(_ type: ValueType) -> String {
        switch type {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .choice: "choice"
        case .list(.section(let path)): "list of mappings (\(sectionLink(path)))"
        case .list(let element): "list of \(typeText(element))s"
        case .section(let path): "mapping (\(sectionLink(path)))"
        }
    }

    private static func sectionLink(_ path: String) -> String {
        path.hasSuffix("[]") ? "see its entries below" : "see `\(path)`"
    }

    private static func defaultText(_ value: Default) -> String {
        switch value {
        case .required: "required"
        case .unset: "not set"
        case .value(let text): "`\(text)`"
        case .perKind(let defaults): defaults.map { "`\($0.value)` (\($0.kind))" }.joined(separator: ", ")
        case .derived(let text): text
        }
    }

    private static func validValues(_ key: Key) -> String {
        switch key.type {
        case .choice(let names): names.map { "`\($0)`" }.joined(separator: ", ")
        case .list: key.bound.map { "each \($0.description), at least one" } ?? "at least one"
        default: key.bound?.description ?? ""
        }
    }
}
