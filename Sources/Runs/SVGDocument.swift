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
    /// The elements' lines so far, each ending with a newline.
    private var body = ""
    private var depth = 1

    /// Starts an empty image of `width` × `height` pixels with a `title` (shown by viewers on hover).
    public init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    /// Appends `<name attributes…/>`, or `<name attributes…>text</name>` with `text`.
    public mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        open(name, attributes)
        if let text {
            body += ">"
            body += Self.escaped(text)
            body += "</"
            body += name
            body += ">\n"
        } else {
            body += "/>\n"
        }
    }

    /// Appends `<name key="value"…`, indented by the depth: straight into the document's text
    /// (a plot has hundreds of elements).
    private mutating func open(_ name: String, _ attributes: [(String, String)]) {
        for _ in 0..<depth { body += "  " }
        body += "<"
        body += name
        for (key, value) in attributes {
            body += " "
            body += key
            body += "=\""
            body += Self.escaped(value)
            body += "\""
        }
    }

    /// Opens a `<g>` group; the elements appended until `endGroup()` are inside it.
    public mutating func beginGroup(_ attributes: [(String, String)]) {
        open("g", attributes)
        body += ">\n"
        depth += 1
    }

    /// Closes the innermost open group.
    public mutating func endGroup() {
        precondition(depth > 1, "endGroup() needs an open group.")
        depth -= 1
        for _ in 0..<depth { body += "  " }
        body += "</g>\n"
    }

    /// The document's text, ending with a newline.
    public var text: String {
        precondition(depth == 1, "Every group must be closed before the document is written.")
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "  <title>\(Self.escaped(title))</title>\n"
            + body + "</svg>\n"
    }

    /// A coordinate with at most two decimals and no trailing zeros: `12`, `3.5`, `-0.25`: printf's
    /// `"%.2f"` (the exact value rounded to hundredths) with the zeros trimmed, and `0` for `-0`.
    ///
    /// Most are written from `value × 100` rounded to an integer, which gives printf's digits
    /// whenever that product is farther from a half than its rounding error can reach (as in
    /// `fixedPointText`); the rest go through `fixedPointText`.
    public static func number(_ value: Double) -> String {
        let scaled = value * 100
        let rounded = scaled.rounded()
        if abs(scaled) < 1e12, abs(abs(scaled - rounded) - 0.5) > 1e-3 {
            let hundredths = Int(abs(rounded))
            guard hundredths > 0 else { return "0" }
            var text = value < 0 ? "-" : ""
            text += String(hundredths / 100)
            let fraction = hundredths % 100
            if fraction > 0 {
                text += fraction < 10 ? ".0" : "."
                text += String(fraction % 10 == 0 ? fraction / 10 : fraction)
            }
            return text
        }
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
