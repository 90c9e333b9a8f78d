import Foundation

/// An SVG image built element by element and written with a fixed layout, so that the same
/// drawing always gives the same bytes: attributes in the order given, one element per line,
/// coordinates with at most two decimals.
public struct SVGDocument {
    /// The width in pixels.
    public let width: Double
    /// The height in pixels.
    public let height: Double
    private let title: String
    private var lines: [String] = []
    private var depth = 1

    /// Starts an empty image of `width` × `height` pixels with a `title` (shown by viewers on hover).
    public init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    /// Appends `<name attributes…/>`, or `<name attributes…>text</name>` with `text`.
    public mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        let opening = "<" + ([name] + attributes.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }).joined(separator: " ")
        let indent = String(repeating: "  ", count: depth)
        if let text {
            lines.append("\(indent)\(opening)>\(Self.escaped(text))</\(name)>")
        } else {
            lines.append("\(indent)\(opening)/>")
        }
    }

    /// Opens a `<g>` group; the elements appended until `endGroup()` are inside it.
    public mutating func beginGroup(_ attributes: [(String, String)]) {
        let opening = "<" + (["g"] + attributes.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }).joined(separator: " ") + ">"
        lines.append(String(repeating: "  ", count: depth) + opening)
        depth += 1
    }

    /// Closes the innermost open group.
    public mutating func endGroup() {
        precondition(depth > 1, "endGroup() needs an open group.")
        depth -= 1
        lines.append(String(repeating: "  ", count: depth) + "</g>")
    }

    /// The document's text, ending with a newline.
    public var text: String {
        precondition(depth == 1, "Every group must be closed before the document is written.")
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
        return ([
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "  <title>\(Self.escaped(title))</title>",
        ] + lines + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    /// A coordinate with at most two decimals and no trailing zeros: `12`, `3.5`, `-0.25`: printf's
    /// `"%.2f"` (the exact value rounded to hundredths) with the zeros trimmed, and `0` for `-0`.
    public static func number(_ value: Double) -> String {
        var text = fixedPointText(value, decimals: 2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Text with `&`, `<`, `>` and `"` escaped for XML.
    public static func escaped(_ text: String) -> String {
        // Most texts (numbers, colours, names) have nothing to escape.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) else {
            return text
        }
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
