extension ConfigSchema {
    /// The JSON Schema (draft-07) of experiment files, for editors: with a YAML language server
    /// they complete keys and choices, show each key's meaning and default, and flag unknown
    /// keys, wrong types, values out of range and keys that do not apply to a section's kind.
    ///
    /// Generated from `sections`, the description the loader validates with, so that the schema
    /// accepts what the loader accepts. It is stricter in two ways: an explicit `null` is not
    /// accepted for an optional key (leave the key out instead), and checks that involve several
    /// keys or the data (layer shapes, `nesterov` needing `momentum`) are left to the loader.
    public static var jsonSchema: JSONValue {
        jsonSchema(of: sections, title: "baifs experiment file",
                   comment: "Generated from ConfigSchema by `baifs-run schema`; do not edit. Regenerate with BAIFS_UPDATE_DOCS=1 swift test --filter JSONSchemaTests.")
    }

    /// A draft-07 JSON Schema whose root is the section at path `""` of `sections` and whose
    /// other sections are definitions.
    ///
    /// - Parameters:
    ///   - sections: The sections, the root (path `""`) among them.
    ///   - title: The schema's title.
    ///   - comment: A `$comment` saying where the schema comes from.
    ///   - extraDefinitions: Definitions for `.section` paths that `sections` does not describe
    ///     (mappings whose keys are free, say), by path.
    public static func jsonSchema(of sections: [Section], title: String, comment: String,
                                  extraDefinitions: [(path: String, schema: JSONValue)] = []) -> JSONValue {
        guard let root = sections.first(where: { $0.path.isEmpty }) else {
            preconditionFailure("A schema needs a top-level section (path \"\").")
        }
        let bySection = Dictionary(uniqueKeysWithValues: sections.map { ($0.path, $0) })
        var members: [(String, JSONValue)] = [
            ("$schema", .string("http://json-schema.org/draft-07/schema#")),
            ("$comment", .string(comment)),
            ("title", .string(title)),
        ]
        members += sectionSchema(root, sections: bySection)
        let definitions = sections.filter { !$0.path.isEmpty }.map { (definitionName($0.path), JSONValue.object(sectionSchema($0, sections: bySection))) }
            + extraDefinitions.map { (definitionName($0.path), $0.schema) }
        members.append(("definitions", .object(definitions)))
        return .object(members)
    }

    /// The name of a section's definition: its path, with `.entry` for the `[]` of list entries.
    static func definitionName(_ path: String) -> String {
        path.replacingOccurrences(of: "[]", with: ".entry")
    }

    /// A reference to the definition of the section at `path`.
    package static func reference(_ path: String) -> JSONValue {
        .object([("$ref", .string("#/definitions/\(definitionName(path))"))])
    }

    /// The members of a section's schema: an object of its keys, none other, with the required
    /// ones, and per kind the keys that do not apply and those it requires.
    private static func sectionSchema(_ section: Section, sections: [String: Section]) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("description", .string(section.summary)),
            ("type", .string("object")),
            ("properties", .object(section.keyNames.map { name in
                let keys = section.keys(named: name)
                guard keys.count > 1 else { return (name, keySchema(keys[0], in: section, sections: sections)) }
                // A name whose type depends on the kind: any of its forms here, the kind's own below.
                return (name, .object([("anyOf", .array(keys.map { keySchema($0, in: section, sections: sections) }))]))
            })),
            ("additionalProperties", .bool(false)),
        ]
        let required = section.keys.filter { $0.defaultValue == .required && $0.kinds == nil }.map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        if let kindKey = section.kindKey, let kindSchemaKey = section.key(kindKey), case .choice(let kinds) = kindSchemaKey.type {
            var conditions: [JSONValue] = []
            for kind in kinds {
                let excluded = section.keyNames.filter { name in !section.keys(named: name).contains { $0.applies(to: kind) } }
                    .map { ($0, JSONValue.bool(false)) }
                let ownForms = section.keyNames.filter { section.keys(named: $0).count > 1 }
                    .compactMap { name in section.keys(named: name).first { $0.applies(to: kind) } }
                    .map { ($0.name, keySchema($0, in: section, sections: sections)) }
                let requiredHere = section.keys.filter { $0.kinds != nil && $0.applies(to: kind) && $0.defaultValue == .required }
                    .map { JSONValue.string($0.name) }
                guard !excluded.isEmpty || !requiredHere.isEmpty || !ownForms.isEmpty else { continue }
                // Without the kind key the section has its default kind, which the `if` then matches.
                var condition: [(String, JSONValue)] = [("properties", .object([(kindKey, .object([("const", .string(kind))]))]))]
                if kindSchemaKey.defaultText(for: nil) != kind { condition.append(("required", .array([.string(kindKey)]))) }
                var consequence: [(String, JSONValue)] = []
                if !excluded.isEmpty || !ownForms.isEmpty { consequence.append(("properties", .object(excluded + ownForms))) }
                if !requiredHere.isEmpty { consequence.append(("required", .array(requiredHere))) }
                conditions.append(.object([("if", .object(condition)), ("then", .object(consequence))]))
            }
            if !conditions.isEmpty { members.append(("allOf", .array(conditions))) }
        }
        return members
    }

    /// The schema of one key: its type, range, default and meaning.
    private static func keySchema(_ key: Key, in section: Section, sections: [String: Section]) -> JSONValue {
        var members: [(String, JSONValue)] = [("description", .string(keyDescription(key, in: section)))]
        members += typeSchema(key.type, bound: key.bound, sections: sections)
        if case .value(let text) = key.defaultValue, let value = jsonValue(text, of: key.type) {
            members.append(("default", value))
        }
        return .object(members)
    }

    /// The members that say what a value of `type` must be.
    private static func typeSchema(_ type: ValueType, bound: Bound?, sections: [String: Section]) -> [(String, JSONValue)] {
        switch type {
        case .string:
            // The loader reads any scalar as its text.
            return [("type", .array([.string("string"), .string("number"), .string("boolean")]))]
        case .integer:
            return [("type", .string("integer"))] + boundSchema(bound)
        case .number:
            return [("type", .string("number"))] + boundSchema(bound)
        case .boolean:
            return [("type", .string("boolean"))]
        case .choice(let names):
            return [("type", .string("string")), ("enum", .array(names.map { .string($0) }))]
        case .list(let element):
            return [("type", .string("array")), ("minItems", .integer(1)),
                    ("items", .object(typeSchema(element, bound: bound, sections: sections)))]
        case .section(let path):
            guard let target = sections[path], target.acceptsBareKind, let kindKey = target.kindKey else {
                return [("$ref", .string("#/definitions/\(definitionName(path))"))]
            }
            // A bare kind stands for the mapping with only the kind key: the kinds that need no other key.
            let bare = bareKinds(of: target, kindKey: kindKey)
            return [("anyOf", .array([
                .object([("type", .string("string")), ("enum", .array(bare.map { .string($0) }))]),
                reference(path),
            ]))]
        }
    }

    /// The kinds of `section` that may be written as a bare string: those with no required key
    /// but the kind key.
    static func bareKinds(of section: Section, kindKey: String) -> [String] {
        guard case .choice(let kinds) = section.key(kindKey)?.type else { return [] }
        return kinds.filter { kind in
            !section.keys.contains { $0.name != kindKey && $0.applies(to: kind) && $0.defaultValue == .required }
        }
    }

    private static func boundSchema(_ bound: Bound?) -> [(String, JSONValue)] {
        func number(_ value: Double) -> JSONValue {
            value == value.rounded() && abs(value) < 1e15 ? .integer(Int64(value)) : .number(value)
        }
        switch bound {
        case nil: return []
        case .atLeast(let lower): return [("minimum", number(lower))]
        case .greaterThan(let lower): return [("exclusiveMinimum", number(lower))]
        case .closed(let lower, let upper): return [("minimum", number(lower)), ("maximum", number(upper))]
        case .closedOpen(let lower, let upper): return [("minimum", number(lower)), ("exclusiveMaximum", number(upper))]
        case .open(let lower, let upper): return [("exclusiveMinimum", number(lower)), ("exclusiveMaximum", number(upper))]
        }
    }

    /// The key's meaning, then its default, its range and the kinds it applies to, as in the reference.
    private static func keyDescription(_ key: Key, in section: Section) -> String {
        var parts = [key.summary]
        switch key.defaultValue {
        case .required: parts.append(key.kinds == nil ? "Required." : "Required for these kinds.")
        case .unset: parts.append("Default: not set.")
        case .value(let text): parts.append("Default: \(text).")
        case .perKind(let defaults): parts.append("Default: " + defaults.map { "\($0.value) (\($0.kind))" }.joined(separator: ", ") + ".")
        case .derived(let text): parts.append("Default: \(text).")
        }
        if let bound = key.bound {
            parts.append(key.type == .list(.integer) ? "Each \(bound.description)." : "Must be \(bound.description).")
        }
        if let kinds = key.kinds, let kindKey = section.kindKey {
            parts.append("Only for \(kindKey) \(kinds.joined(separator: ", ")).")
        }
        return parts.joined(separator: " ")
    }

    /// A default's YAML text as the JSON value of `type`, if it is a scalar.
    private static func jsonValue(_ text: String, of type: ValueType) -> JSONValue? {
        switch type {
        case .integer: Int64(text).map(JSONValue.integer)
        case .number: Double(text).map(JSONValue.number)
        case .boolean: text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        case .string, .choice, .section: .string(text)
        case .list: nil
        }
    }
}
