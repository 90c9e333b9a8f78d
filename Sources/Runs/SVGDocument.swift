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
        // Most coordinates: hundredths from `value × 100` rounded, when that product is far enough
        // from a half (more than its possible rounding error) that the exact value rounds the same.
        let hundredths = value * 100
        if abs(hundredths) < 1e12 {
            let rounded = hundredths.rounded()
            if abs(abs(hundredths - rounded) - 0.5) > 1e-3 {
                return decimalText(hundredths: Int64(rounded))
            }
        }
        // printf's "%.2f" for the rest.
        var text = printfText("%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// `hundredths / 100` with at most two decimals and no trailing zeros: `1250` → `12.5`.
    private static func decimalText(hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let (whole, fraction) = magnitude.quotientAndRemainder(dividingBy: 100)
        switch fraction {
        case 0: return sign + String(whole)
        case let tenths where tenths % 10 == 0: return sign + String(whole) + "." + String(tenths / 10)
        case 1..<10: return sign + String(whole) + ".0" + String(fraction)
        default: return sign + String(whole) + "." + String(fraction)
        }
    }

    /// Text with `&`, `<`, `>` and `"` escaped for XML.
    public static func escaped(_ text: String) -> String {
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
