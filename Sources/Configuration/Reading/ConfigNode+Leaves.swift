extension ConfigNode {
    /// Composes the YAML text `yaml` (read from `file`, for locations) with `ConfigComposer`;
    /// `nil` for an empty document.
    ///
    /// - Throws: A `ConfigError` for malformed YAML or a document a `ConfigNode` cannot hold.
    package static func composed(yaml: String, file: String) throws(ConfigError) -> ConfigNode? {
        try ConfigComposer.compose(yaml, file: file)
    }

    /// The scalar values under this node by dotted key path, in document order: mappings and lists
    /// of mappings open into their entries (`model.layers.0.out`), lists of scalars stay one value
    /// written as a flow list (`[1, 8, 8]`).
    package func leaves(prefix: String = "") -> [(keyPath: String, value: String)] {
        func child(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }
        switch content {
        case .mapping(let entries):
            return entries.flatMap { $0.value.leaves(prefix: child($0.key)) }
        case .sequence(let items) where items.contains(where: { $0.scalar == nil }):
            return items.enumerated().flatMap { index, item in item.leaves(prefix: child(String(index))) }
        case .sequence(let items):
            return [(prefix, "[" + items.map { $0.scalar?.text ?? "" }.joined(separator: ", ") + "]")]
        case .scalar(let scalar):
            return [(prefix, scalar.text)]
        }
    }
}
