import Baifs
import Yams

/// Composes YAML text into a located `ConfigNode` tree, resolving aliases itself so that a small
/// file cannot expand into a huge or deeply nested document (a "billion laughs" alias bomb).
///
/// Yams resolves an alias to the anchored node, shared rather than copied, but hashes every mapping
/// key in full to find duplicates, and copying the shared nodes into a located tree visits every
/// expanded node: nine levels of nine aliases in 400 bytes are 387 million nodes. So the text is
/// composed with its aliases turned into plain scalars, and the aliases are resolved here, in
/// document order as YAML defines them (an alias names the latest anchor before it), within two
/// limits: aliases may add at most `aliasExpansionLimit` nodes, and the document, aliases
/// expanded, may nest at most `depthLimit` collections deep. Past either, composing stops at the
/// offending alias or node with a located error, after work proportional to the text.
///
/// The aliases are turned into scalars by replacing every `*` of the text with one character that
/// does not occur in it (from the private-use area). That keeps every line and column, and only
/// an alias gives a plain scalar starting with that character (a plain scalar cannot start with
/// `*`); elsewhere the character is put back as `*`.
struct ConfigComposer {
    /// The most nodes aliases may add to a document.
    package static let aliasExpansionLimit = 100_000
    /// The most collections a document, aliases expanded, may nest.
    package static let depthLimit = 100

    /// The file the text is reported in.
    let file: String
    /// Added to every column (for an override's value inside its argument).
    let columnOffset: Int
    /// The character that stands for `*` in the text given to Yams, if the text has a `*`.
    let aliasMark: Character?

    /// The resolved node of each anchor so far, with its size in nodes and its depth.
    private var anchors: [String: (node: ConfigNode, size: Int, depth: Int)] = [:]
    /// The nodes added by aliases so far.
    private var aliasNodes = 0

    /// Composes `text` as the file `file`, its columns shifted by `columnOffset`.
    ///
    /// - Returns: The document's root, or `nil` for an empty document.
    /// - Throws: A `ConfigError` for malformed YAML (at the parser's position), an alias that is
    ///   undefined, used as a mapping key or past the limits, or a mapping key that is not a scalar.
    static func compose(_ text: String, file: String, columnOffset: Int = 0) throws(ConfigError) -> ConfigNode? {
        var aliasMark: Character?
        var composed = text
        if text.utf8.contains(UInt8(ascii: "*")) {
            let used = Set(text.unicodeScalars.lazy.map(\.value).filter { $0 >= 0xE000 && $0 <= 0xF8FF })
            guard let free = (UInt32(0xE000)...0xF8FF).first(where: { !used.contains($0) }).flatMap(Unicode.Scalar.init) else {
                throw ConfigError(file: file, line: 1, column: 1 + columnOffset, keyPath: "",
                                  message: "the text uses every private-use character; it cannot be checked for alias bombs")
            }
            aliasMark = Character(free)
            composed = text.replacingOccurrences(of: "*", with: String(free))
        }
        var composer = ConfigComposer(file: file, columnOffset: columnOffset, aliasMark: aliasMark)
        // The parser owns the anchors, which the nodes hold weakly: it must outlive the conversion.
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: composed)
            root = try parser.singleRoot()
        } catch {
            throw ExperimentLoader.yamlError(error, file: file, keyPath: "") { mark in (mark.line, mark.column + columnOffset) }
        }
        guard let root else { return nil }
        return try withExtendedLifetime(parser) { () throws(ConfigError) -> ConfigNode in
            try composer.convert(root, depth: 0, keyPath: "").node
        }
    }

    /// Converts `node`, at `keyPath` and `depth` collections deep, with its size in nodes and its depth.
    private mutating func convert(_ node: Node, depth: Int,
                                  keyPath: String) throws(ConfigError) -> (node: ConfigNode, size: Int, depth: Int) {
        let location = self.location(node.mark, keyPath)
        let converted: (node: ConfigNode, size: Int, depth: Int)
        let anchor: Anchor?
        // Read before `node.tag`, which resolves the tag in place.
        let writtenTag = switch node {
        case .scalar(let scalar): scalar.tag.rawValue
        case .mapping(let mapping): mapping.tag.rawValue
        case .sequence(let sequence): sequence.tag.rawValue
        case .alias: ""
        }
        switch node {
        case .scalar(let scalar):
            if let name = aliasName(scalar) {
                guard scalar.anchor == nil, writtenTag.isEmpty else {
                    throw location.error("an alias cannot have an anchor or a tag")
                }
                return try resolve(alias: name, at: location, depth: depth)
            }
            try checkTag(writtenTag, of: node, at: location)
            converted = (ConfigNode(content: .scalar(ConfigScalar(scalar, resolvedTag: node.tag, aliasMark: aliasMark)),
                                    location: location.location), 1, 0)
            anchor = scalar.anchor
        case .mapping(let mapping):
            try checkTag(writtenTag, of: node, at: location)
            try checkDepth(depth + 1, at: location)
            var entries = [ConfigEntry]()
            var size = 1, innerDepth = 0
            for (key, value) in mapping {
                let keyLocation = self.location(key.mark, keyPath)
                guard case .scalar(let keyScalar) = key else {
                    throw keyLocation.error("mapping keys must be names, not \(key.isMappingNode ? "mappings" : "lists")")
                }
                if aliasName(keyScalar) != nil {
                    throw keyLocation.error("mapping keys must be names, not aliases")
                }
                let childPath = keyPath.isEmpty ? restored(keyScalar.string) : "\(keyPath).\(restored(keyScalar.string))"
                let child = try convert(value, depth: depth + 1, keyPath: childPath)
                size += 1 + child.size
                innerDepth = max(innerDepth, child.depth)
                entries.append(ConfigEntry(key: restored(keyScalar.string), keyLocation: keyLocation.location, value: child.node))
            }
            converted = (ConfigNode(content: .mapping(entries), location: location.location), size, innerDepth + 1)
            anchor = mapping.anchor
        case .sequence(let sequence):
            try checkTag(writtenTag, of: node, at: location)
            try checkDepth(depth + 1, at: location)
            var items = [ConfigNode]()
            var size = 1, innerDepth = 0
            for (index, item) in sequence.enumerated() {
                let child = try convert(item, depth: depth + 1, keyPath: keyPath.isEmpty ? "\(index)" : "\(keyPath).\(index)")
                size += child.size
                innerDepth = max(innerDepth, child.depth)
                items.append(child.node)
            }
            converted = (ConfigNode(content: .sequence(items), location: location.location), size, innerDepth + 1)
            anchor = sequence.anchor
        case .alias(let alias):
            // Not produced for text without `*`; resolved like the others should Yams ever give one.
            return try resolve(alias: alias.anchor.rawValue, at: location, depth: depth)
        }
        // As YAML defines it, an anchor names its node from the node's end on, until redefined.
        if let anchor { anchors[anchor.rawValue] = converted }
        return converted
    }

    /// The anchored node `name` as the alias at `location`, `depth` collections deep, names it.
    private mutating func resolve(alias name: String, at location: Located,
                                  depth: Int) throws(ConfigError) -> (node: ConfigNode, size: Int, depth: Int) {
        guard let anchored = anchors[name] else {
            throw location.error("undefined alias \(Excerpt.quoted(name)); an alias must follow its anchor (&\(Excerpt.plain(name)))")
        }
        aliasNodes += anchored.size
        guard aliasNodes <= Self.aliasExpansionLimit else {
            throw location.error("aliases expand the document by more than \(Self.aliasExpansionLimit) nodes (this alias of \(Excerpt.quoted(name)) adds \(anchored.size)); expand fewer aliases or nest them less")
        }
        try checkDepth(depth + anchored.depth, at: location)
        return anchored
    }

    /// The standard tags a value may be written with, by the implicit types they accept: an
    /// explicit tag only confirms what the value already is (`!!str` makes anything a string).
    private static let standardTags: [String: [Tag.Name]] = [
        Tag.Name.str.rawValue: [], Tag.Name.int.rawValue: [.int], Tag.Name.float.rawValue: [.float, .int],
        Tag.Name.bool.rawValue: [.bool], Tag.Name.null.rawValue: [.null], Tag.Name.seq.rawValue: [.seq],
        Tag.Name.map.rawValue: [.map],
    ]

    /// Checks that the tag `written` on `node` is empty, `!`, or a standard tag its value fits:
    /// experiment files have no use for other tags, which would otherwise silently make a value
    /// a string.
    private func checkTag(_ written: String, of node: Node, at location: Located) throws(ConfigError) {
        guard !written.isEmpty, written != Tag.Name.nonSpecific.rawValue else { return }
        let shortName = written.hasPrefix("tag:yaml.org,2002:") ? "!!" + written.dropFirst(18) : written
        guard let accepted = Self.standardTags[written] else {
            throw location.error("unknown tag \(Excerpt.quoted(shortName)); experiment files use no tags but the standard !!str, !!int, !!float, !!bool and !!null (remove it)")
        }
        let implicit: Tag.Name = switch node {
        case .scalar(let scalar): Tag.Name(rawValue: Node(restored(scalar.string)).tag.rawValue)
        case .mapping: .map
        case .sequence: .seq
        case .alias: .implicit
        }
        guard accepted.isEmpty || accepted.contains(implicit) else {
            let shown = node.scalar.map { Excerpt.quoted(restored($0.string)) } ?? (node.isMappingNode ? "a mapping" : "a list")
            throw location.error("\(shown) is not a valid \(shortName) value")
        }
    }

    private func checkDepth(_ depth: Int, at location: Located) throws(ConfigError) {
        guard depth > Self.depthLimit else { return }
        throw location.error("the document nests more than \(Self.depthLimit) collections deep here (counting what aliases expand to)")
    }

    /// The anchor name of a scalar that stands for an alias.
    private func aliasName(_ scalar: Node.Scalar) -> String? {
        guard let aliasMark, scalar.style == .plain, scalar.string.first == aliasMark else { return nil }
        return String(scalar.string.dropFirst())
    }

    /// `text` with the alias mark put back as `*`.
    private func restored(_ text: String) -> String {
        guard let aliasMark, text.contains(aliasMark) else { return text }
        return text.replacingOccurrences(of: String(aliasMark), with: "*")
    }

    private func location(_ mark: Mark?, _ keyPath: String) -> Located {
        Located(location: ConfigLocation(file: file, line: mark?.line ?? 1, column: (mark?.column ?? 1) + columnOffset),
                keyPath: keyPath)
    }

    /// A node's location and key path, for its errors.
    private struct Located {
        let location: ConfigLocation
        let keyPath: String

        func error(_ message: String) -> ConfigError {
            location.error(keyPath, message)
        }
    }
}

private extension Node {
    var isMappingNode: Bool {
        if case .mapping = self { return true }
        return false
    }
}

private extension ConfigScalar {
    init(_ scalar: Node.Scalar, resolvedTag: Tag, aliasMark: Character?) {
        text = scalar.string
        if let aliasMark, text.contains(aliasMark) {
            text = text.replacingOccurrences(of: String(aliasMark), with: "*")
        }
        kind = switch resolvedTag {
        case Tag(.null): .null
        case Tag(.bool): .boolean
        case Tag(.int): .integer
        case Tag(.float): .float
        default: .string
        }
    }
}
