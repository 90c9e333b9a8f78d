import Baifs

/// A value read from an experiment document.
package enum Field<Value> {
    /// The value given, or the schema's default for it.
    case value(Value)
    /// Not given, and the key has no fixed default (it is optional, or derived by the caller).
    case absent
    /// Given but wrong; the error has been reported.
    case invalid

    /// The value, if there is one.
    package var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// Whether an error was reported.
    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }
}

/// Reads one mapping of an experiment document against its `ConfigSchema.Section`: reports
/// unknown keys and keys that do not apply to the section's kind, and reads typed values with
/// their ranges and defaults from the schema.
package struct SectionReader {
    let section: ConfigSchema.Section
    /// The section's dotted key path (empty at the top level).
    let keyPath: String
    /// Where the mapping is; missing required keys are reported here.
    package let location: ConfigLocation
    let diagnostics: ConfigDiagnostics
    /// The entries by key; unknown keys are left out.
    private(set) var entries: [String: ConfigEntry] = [:]
    /// The section's kind, once `readKind()` has read a valid one.
    private(set) var kind: String?
    /// Whether the mapping was given as a bare kind name (`clipping: none`, `- relu`).
    private(set) var isBareKind = false
    /// The keys suggested for unknown keys: their absence is not reported again as missing.
    private var suggestedKeys: Set<String> = []

    /// Opens the mapping `node` (or an absent one), reporting unknown keys; `nil` if `node` is
    /// not a mapping (reported).
    ///
    /// - Parameters:
    ///   - section: The schema of the mapping.
    ///   - node: The mapping, `nil` or `null` when the section is not given.
    ///   - keyPath: The section's key path.
    ///   - parentLocation: Where to report missing required keys of an absent section.
    package init?(_ section: ConfigSchema.Section, node: ConfigNode?, keyPath: String, parentLocation: ConfigLocation,
          diagnostics: ConfigDiagnostics) {
        self.section = section
        self.keyPath = keyPath
        self.diagnostics = diagnostics
        location = node?.location ?? parentLocation
        guard let node, !node.isNull else { return }
        switch node.content {
        case .mapping(let entries):
            for entry in entries {
                guard section.key(entry.key) != nil else {
                    let suggestion = NameSuggestion.closest(to: entry.key, among: section.keyNames)
                    if let suggestion { suggestedKeys.insert(suggestion) }
                    let clause = suggestion.map { "; did you mean '\($0)'?" } ?? ""
                    diagnostics.report(at: entry.keyLocation, path(entry.key),
                                       "unknown key \(Excerpt.quoted(entry.key))\(clause) (valid keys: \(section.keyNames.joined(separator: ", ")))")
                    continue
                }
                self.entries[entry.key] = entry
            }
        case .scalar(let scalar) where section.acceptsBareKind && scalar.kind != .null:
            guard let kindKey = section.kindKey else { preconditionFailure("A bare-kind section needs a kind key.") }
            entries[kindKey] = ConfigEntry(key: kindKey, keyLocation: node.location, value: node)
            isBareKind = true
        default:
            let expected = section.acceptsBareKind ? "a mapping or a \(section.noun) \(section.kindKey ?? "kind")" : "a mapping"
            diagnostics.report(at: node.location, keyPath, "expected \(expected), got \(node.shown)")
            return nil
        }
    }

    /// The key path of `key` in this section.
    func path(_ key: String) -> String {
        keyPath.isEmpty ? key : "\(keyPath).\(key)"
    }

    /// The entry of `key`, if given.
    package func entry(_ key: String) -> ConfigEntry? {
        entries[key]
    }

    /// The value node of `key`, if given and not `null`.
    package func node(_ key: String) -> ConfigNode? {
        entries[key].flatMap { $0.value.isNull ? nil : $0.value }
    }

    // MARK: - Kind

    /// Reads the kind key and reports every given key that does not apply to that kind.
    ///
    /// - Returns: The kind, or `nil` if it is missing (and required) or not a valid choice.
    @discardableResult
    package mutating func readKind() -> String? {
        guard let kindKey = section.kindKey else { return nil }
        kind = choice(kindKey).value
        guard let kind else { return nil }
        for name in section.keyNames {
            let keys = section.keys(named: name)
            guard let entry = entries[name], !keys.contains(where: { $0.applies(to: kind) }) else { continue }
            let kinds = keys.flatMap { $0.kinds ?? [] }
            let key = keys[0]
            let kindWord = kinds.count == 1 ? kindKey : "\(kindKey)s"
            diagnostics.report(at: entry.keyLocation, path(key.name),
                               "\(key.name) applies to \(section.noun) \(kindWord) \(Self.list(kinds)) only; this \(section.noun) is \(kind)")
        }
        return kind
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }

    // MARK: - Typed values

    /// Reads `key` with `parse`, which reports and returns `nil` for a wrong value.
    ///
    /// A key that does not apply to the section's kind reads as its default (its presence has
    /// been reported by `readKind()`). A `null` value counts as absent unless the key is required.
    package func read<Value>(_ key: String, _ parse: (ConfigNode, String) -> Value?) -> Field<Value> {
        guard let schemaKey = section.key(key, kind: kind) else { preconditionFailure("'\(key)' is not a key of section '\(section.path)'.") }
        let applies = schemaKey.applies(to: kind)
        if applies, let entry = entries[key], !(entry.value.isNull && schemaKey.defaultValue != .required) {
            // A bare kind (`clipping: clip`) is reported at the section's own key path.
            let valuePath = isBareKind && key == section.kindKey ? keyPath : path(key)
            return parse(entry.value, valuePath).map(Field.value) ?? .invalid
        }
        if let text = schemaKey.defaultText(for: kind) {
            guard let value = parse(Self.defaultNode(text), path(key)) else {
                preconditionFailure("The schema's default '\(text)' for '\(path(key))' does not parse.")
            }
            return .value(value)
        }
        if applies, schemaKey.defaultValue == .required, !(schemaKey.kinds != nil && kind == nil) {
            reportMissing(key)
            return .invalid
        }
        return .absent
    }

    /// Reports that the required `key` is missing, at the mapping, unless an unknown key was
    /// reported as a likely misspelling of it.
    package func reportMissing(_ key: String) {
        guard !suggestedKeys.contains(key) else { return }
        diagnostics.report(at: location, keyPath, "missing required key '\(key)'")
    }

    /// An integer in the key's range.
    package func integer(_ key: String) -> Field<Int> {
        read(key) { node, path in parseInteger(node, path, bound: section.key(key, kind: kind)?.bound) }
    }

    /// A finite number in the key's range.
    package func number(_ key: String) -> Field<Double> {
        read(key) { node, path in parseNumber(node, path, bound: section.key(key, kind: kind)?.bound) }
    }

    /// `true` or `false`.
    func boolean(_ key: String) -> Field<Bool> {
        read(key) { node, path in
            guard let value = node.scalar?.boolean else {
                diagnostics.report(at: node.location, path, "expected true or false, got \(node.shown)")
                return nil
            }
            return value
        }
    }

    /// Any non-null scalar, as its text.
    package func string(_ key: String) -> Field<String> {
        read(key) { node, path in parseString(node, path) }
    }

    /// One of the key's choices.
    package func choice(_ key: String) -> Field<String> {
        guard case .choice(let choices) = section.key(key, kind: kind)?.type else { preconditionFailure("'\(key)' is not a choice.") }
        return read(key) { node, path in
            guard let scalar = node.scalar, scalar.kind != .null else {
                diagnostics.report(at: node.location, path, "expected one of \(choices.joined(separator: ", ")), got \(node.shown)")
                return nil
            }
            guard choices.contains(scalar.text) else {
                diagnostics.report(at: node.location, path,
                                   "unknown value \(Excerpt.quoted(scalar.text))\(NameSuggestion.clause(for: scalar.text, among: choices)) (choices: \(choices.joined(separator: ", ")))")
                return nil
            }
            return scalar.text
        }
    }

    /// A non-empty list of integers, each in the key's range.
    func integerList(_ key: String) -> Field<[Int]> {
        read(key) { node, path in
            parseList(node, path, expected: "a list of integers") { item, itemPath in
                parseInteger(item, itemPath, bound: section.key(key, kind: kind)?.bound)
            }
        }
    }

    /// A non-empty list of strings.
    func stringList(_ key: String) -> Field<[String]> {
        read(key) { node, path in
            parseList(node, path, expected: "a list of strings") { item, itemPath in parseString(item, itemPath) }
        }
    }

    // MARK: - Parsing

    func parseInteger(_ node: ConfigNode, _ path: String, bound: ConfigSchema.Bound?) -> Int? {
        guard let scalar = node.scalar, let value = scalar.integer else {
            // An integer beyond Int's range is outside every bound too.
            let message = switch (node.scalar?.kind == .integer, bound) {
            case (true, let bound?): "must be \(bound.description); got \(node.shown)"
            case (true, nil): "\(node.shown) does not fit in a 64-bit integer"
            case (false, _): "expected an integer, got \(node.shown)"
            }
            diagnostics.report(at: node.location, path, message)
            return nil
        }
        guard checkBound(bound, Double(value), node, path) else { return nil }
        return value
    }

    func parseNumber(_ node: ConfigNode, _ path: String, bound: ConfigSchema.Bound?) -> Double? {
        guard let value = node.scalar?.number else {
            diagnostics.report(at: node.location, path, "expected a number, got \(node.shown)")
            return nil
        }
        guard value.isFinite else {
            diagnostics.report(at: node.location, path, "expected a finite number, got \(node.shown)")
            return nil
        }
        guard checkBound(bound, value, node, path) else { return nil }
        return value
    }

    func parseString(_ node: ConfigNode, _ path: String) -> String? {
        guard let scalar = node.scalar, scalar.kind != .null else {
            diagnostics.report(at: node.location, path, "expected a string, got \(node.shown)")
            return nil
        }
        return scalar.text
    }

    /// A non-empty list whose items all parse; every wrong item is reported.
    func parseList<Item>(_ node: ConfigNode, _ path: String, expected: String,
                         item parseItem: (ConfigNode, String) -> Item?) -> [Item]? {
        guard case .sequence(let items) = node.content, !items.isEmpty else {
            diagnostics.report(at: node.location, path, "expected \(expected), got \(node.shown)")
            return nil
        }
        let parsed = items.enumerated().map { index, item in parseItem(item, "\(path).\(index)") }
        let values = parsed.compactMap { $0 }
        return values.count == items.count ? values : nil
    }

    /// Whether `value` lies in `bound`; reports it if not.
    private func checkBound(_ bound: ConfigSchema.Bound?, _ value: Double, _ node: ConfigNode, _ path: String) -> Bool {
        guard let bound, !bound.contains(value) else { return true }
        diagnostics.report(at: node.location, path, "must be \(bound.description); got \(node.scalar.map { Excerpt.plain($0.text) } ?? node.shown)")
        return false
    }

    /// A schema default's YAML text as a node.
    private static func defaultNode(_ text: String) -> ConfigNode {
        let location = ConfigLocation(file: "<default>", line: 1, column: 1)
        guard let converted = try? ConfigComposer.compose(text, file: location.file) else {
            preconditionFailure("The schema default '\(text)' is not YAML.")
        }
        return converted
    }
}
