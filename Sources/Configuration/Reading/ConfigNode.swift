import Baifs
import Foundation

/// A node of a composed experiment document, with its location.
///
/// Yams' `Node` carries a `Mark` that only the parser can create; overrides need nodes located in
/// their `--set` argument, so `ConfigComposer` composes YAML into this tree, in which every node
/// and every mapping key has a `ConfigLocation`.
package struct ConfigNode {
    /// What the node holds.
    package enum Content {
        case scalar(ConfigScalar)
        /// Entries in document order; keys are unique (Yams rejects duplicates).
        case mapping([ConfigEntry])
        case sequence([ConfigNode])
    }

    package var content: Content
    package var location: ConfigLocation

    /// The entries, if the node is a mapping.
    package var entries: [ConfigEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The scalar, if the node is one.
    package var scalar: ConfigScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// Whether the node is an empty or `null` scalar, which counts as an absent value.
    package var isNull: Bool { scalar?.kind == .null }

    /// How the node is shown after "got" in a type error: a scalar as written (strings quoted),
    /// a collection by what it is.
    package var shown: String {
        switch content {
        case .scalar(let scalar): scalar.shown
        case .mapping: "a mapping"
        case .sequence(let items): items.isEmpty ? "an empty list" : "a list"
        }
    }
}

/// One `key: value` of a mapping, with the key's own location.
package struct ConfigEntry {
    package var key: String
    package var keyLocation: ConfigLocation
    package var value: ConfigNode
}

/// A scalar's text and what YAML resolves it to.
package struct ConfigScalar {
    /// The YAML 1.1 type a scalar resolves to; quoted scalars are always strings.
    package enum Kind: Equatable {
        case null, boolean, integer, float, string
    }

    package var text: String
    package var kind: Kind

    /// The scalar as shown in messages: numbers, booleans and `null` as written, strings quoted;
    /// an excerpt of long text, with control characters escaped (`Excerpt`).
    var shown: String {
        switch kind {
        case .null: "null"
        case .boolean, .integer, .float: Excerpt.plain(text)
        case .string: Excerpt.quoted(text)
        }
    }

    /// The boolean, if the scalar resolves to one (`true`, `false`, and YAML 1.1's `yes`, `no`, `on`, `off`).
    var boolean: Bool? {
        guard kind == .boolean else { return nil }
        return ["true", "yes", "on"].contains(text.lowercased())
    }

    /// The integer, if the scalar resolves to one that fits in `Int` (decimal, `0x`, `0o`, `0b`,
    /// with `_` separators).
    package var integer: Int? {
        guard kind == .integer else { return nil }
        return Self.parseInteger(text)
    }

    /// The non-negative integer, if the scalar resolves to one that fits in `UInt64`.
    package var unsignedInteger: UInt64? {
        guard kind == .integer else { return nil }
        let digits = text.replacingOccurrences(of: "_", with: "")
        return UInt64(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits)
            ?? Self.parseInteger(text).flatMap { $0 >= 0 ? UInt64($0) : nil }
    }

    /// The number, if the scalar resolves to an integer or a float; infinities and NaN included.
    var number: Double? {
        switch kind {
        case .integer:
            if let integer = Self.parseInteger(text) { return Double(integer) }
            return Double(text.replacingOccurrences(of: "_", with: ""))
        case .float:
            switch text.lowercased() {
            case ".inf", "+.inf": return .infinity
            case "-.inf": return -.infinity
            case ".nan": return .nan
            default: return Double(text.replacingOccurrences(of: "_", with: ""))
            }
        case .null, .boolean, .string:
            return nil
        }
    }

    /// Parses YAML 1.1 integer text: an optional sign, then decimal digits or `0x`, `0o`, `0b`
    /// digits, with `_` allowed between digits.
    private static func parseInteger(_ text: String) -> Int? {
        var digits = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
            radix = base
            digits = digits.dropFirst(2)
        }
        if radix == 10, digits.count > 1, digits.hasPrefix("0") { radix = 8 }  // YAML 1.1: 017 is octal
        // The sign goes with the digits, so that Int.min, whose magnitude is not an Int, parses.
        guard !digits.isEmpty, !digits.hasPrefix("-"), !digits.hasPrefix("+") else { return nil }
        return Int((negative ? "-" : "") + digits, radix: radix)
    }
}
