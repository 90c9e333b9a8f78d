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
        var line = Self.opening(name, attributes, depth: depth)
        if let text {
            line += ">" + Self.escaped(text) + "</" + name + ">"
        } else {
            line += "/>"
        }
        lines.append(line)
    }

    /// `<name key="value"…`, indented `depth` levels, built in one string (a plot has thousands).
    private static func opening(_ name: String, _ attributes: [(String, String)], depth: Int) -> String {
        var line = String(repeating: "  ", count: depth) + "<" + name
        for (key, value) in attributes {
            line += " " + key + "=\"" + escaped(value) + "\""
        }
        return line
    }

    /// Opens a `<g>` group; the elements appended until `endGroup()` are inside it.
    public mutating func beginGroup(_ attributes: [(String, String)]) {
        lines.append(Self.opening("g", attributes, depth: depth) + ">")
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
        var text = Array(fixedPointText(value, decimals: 2).utf8)
        while text.last == UInt8(ascii: "0") { text.removeLast() }
        if text.last == UInt8(ascii: ".") { text.removeLast() }
        return text == Array("-0".utf8) ? "0" : String(decoding: text, as: UTF8.self)
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
