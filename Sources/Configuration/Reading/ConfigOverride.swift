import Baifs

/// A `--set KEY.PATH=VALUE` override of an experiment file, applied to the composed document
/// before it is validated, so that an override is checked exactly as the file is.
///
/// The value is YAML: a scalar (`0.01`, `adam`) or a flow collection (`[1, 8, 8]`,
/// `{patience: 5}`). Path components name mapping keys, or index list items (`model.layers.0.out`).
/// A missing key is created (and then validated like any other, so an unknown one is reported
/// with a suggestion). Nodes from an override are located in file `--set`, line 1, at their
/// column in the argument.
struct ConfigOverride {
    /// One component of the key path and its 1-based column in the argument.
    struct Component {
        var name: String
        var column: Int
    }

    /// The key path.
    let components: [Component]
    /// The value, located in the argument.
    let value: ConfigNode

    /// Parses `argument`; reports a malformed one (and returns `nil`).
    init?(parsing argument: String, diagnostics: ConfigDiagnostics) {
        let file = ConfigLocation.overrideFile
        guard let equals = argument.unicodeScalars.firstIndex(of: "=") else {
            diagnostics.report(at: ConfigLocation(file: file, line: 1, column: 1), "",
                               "malformed override \(Excerpt.quoted(argument)); expected KEY.PATH=VALUE, such as optimizer.learning_rate=0.01")
            return nil
        }
        let keyText = String(argument.unicodeScalars[..<equals])
        var components = [Component]()
        var column = 1
        for name in keyText.split(separator: ".", omittingEmptySubsequences: false) {
            guard !name.isEmpty else {
                diagnostics.report(at: ConfigLocation(file: file, line: 1, column: column), keyText,
                                   "malformed override \(Excerpt.quoted(argument)); the key path has an empty component")
                return nil
            }
            components.append(Component(name: String(name), column: column))
            column += name.unicodeScalars.count + 1
        }
        self.components = components

        let valueColumn = keyText.unicodeScalars.count + 2
        let valueText = String(argument.unicodeScalars[argument.unicodeScalars.index(after: equals)...])
        do {
            if let node = try ConfigComposer.compose(valueText, file: file, columnOffset: valueColumn - 1) {
                value = node
            } else {
                value = ConfigNode(content: .scalar(ConfigScalar(text: "", kind: .null)),
                                   location: ConfigLocation(file: file, line: 1, column: valueColumn))
            }
        } catch {
            // A position past the value's one line (the end of the stream) is just after its end.
            var located = error
            if located.line != 1 { located.column = valueColumn + valueText.unicodeScalars.count }
            located.line = 1
            located.keyPath = located.keyPath.isEmpty ? keyText : "\(keyText).\(located.keyPath)"
            diagnostics.report(located)
            return nil
        }
    }

    /// Sets the value at the key path in `root`, creating missing mapping keys; reports a path
    /// that cannot be followed (an index out of range, a scalar in the way).
    func apply(to root: inout ConfigNode, diagnostics: ConfigDiagnostics) {
        apply(at: 0, to: &root, sectionPath: "", keyPath: "", diagnostics: diagnostics)
    }

    private func apply(at position: Int, to node: inout ConfigNode, sectionPath: String, keyPath: String,
                       diagnostics: ConfigDiagnostics) {
        let component = components[position]
        let isLast = position == components.count - 1
        let location = ConfigLocation(file: ConfigLocation.overrideFile, line: 1, column: component.column)
        let childKeyPath = keyPath.isEmpty ? component.name : "\(keyPath).\(component.name)"
        switch node.content {
        case .mapping(var entries):
            let childSection = sectionPath.isEmpty ? component.name : "\(sectionPath).\(component.name)"
            if let index = entries.firstIndex(where: { $0.key == component.name }) {
                if isLast {
                    entries[index].value = value
                } else {
                    apply(at: position + 1, to: &entries[index].value, sectionPath: childSection, keyPath: childKeyPath,
                          diagnostics: diagnostics)
                }
            } else {
                var child = isLast ? value : ConfigNode(content: .mapping([]), location: location)
                if !isLast {
                    apply(at: position + 1, to: &child, sectionPath: childSection, keyPath: childKeyPath, diagnostics: diagnostics)
                }
                entries.append(ConfigEntry(key: component.name, keyLocation: location, value: child))
            }
            node.content = .mapping(entries)
        case .sequence(var items):
            guard let index = Int(component.name), items.indices.contains(index) else {
                diagnostics.report(at: location, childKeyPath,
                                   "\(keyPath) is a list of \(items.count) item\(items.count == 1 ? "" : "s"); \(Excerpt.quoted(component.name)) is not the index of one")
                return
            }
            if isLast {
                items[index] = value
            } else {
                apply(at: position + 1, to: &items[index], sectionPath: "\(sectionPath)[]", keyPath: childKeyPath,
                      diagnostics: diagnostics)
            }
            node.content = .sequence(items)
        case .scalar(let scalar):
            // A null is an empty mapping; a bare kind (`clipping: none`, `- relu`) is its mapping form.
            let section = ConfigSchema.section(sectionPath)
            if scalar.kind == .null {
                node.content = .mapping([])
            } else if let section, section.acceptsBareKind, let kindKey = section.kindKey {
                node.content = .mapping([ConfigEntry(key: kindKey, keyLocation: node.location, value: node)])
            } else {
                diagnostics.report(at: location, childKeyPath,
                                   "cannot set a key inside \(keyPath.isEmpty ? "the document" : keyPath), which is \(node.shown), not a mapping")
                return
            }
            apply(at: position, to: &node, sectionPath: sectionPath, keyPath: keyPath, diagnostics: diagnostics)
        }
    }
}
