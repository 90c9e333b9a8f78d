/// Text from a file or a command line as an error message shows it: on one line, with control
/// characters escaped, and at most a short excerpt of it, so that a 200 MB CSV cell, a quoted cell
/// full of line breaks or a binary file cannot flood or corrupt a terminal.
///
/// Escapes are Swift's: `\n`, `\r`, `\t`, `\0`, and `\u{…}` for the other control characters
/// (C0, DEL, C1) and the bidirectional formatting characters (U+202A–U+202E, U+2066–U+2069), which
/// could make a message read differently than it is.
/// Text longer than the limit keeps its first `limit` characters, then `…`.
public enum Excerpt {
    /// The most characters of quoted content an error message shows.
    public static let limit = 80

    /// `text` escaped and cut to `limit` characters (then `…`), in single quotes: `'abc'`.
    public static func quoted(_ text: some StringProtocol, limit: Int = Excerpt.limit) -> String {
        "'\(plain(text, limit: limit))'"
    }

    /// `text` escaped and cut to `limit` characters (then `…`), without quotes.
    public static func plain(_ text: some StringProtocol, limit: Int = Excerpt.limit) -> String {
        var result = ""
        var count = 0
        for character in text {
            if count == limit {
                result += "…"
                break
            }
            count += 1
            for scalar in character.unicodeScalars { result += escaped(scalar) }
        }
        return result
    }

    /// `text` with its control characters escaped, at full length: for text that is already
    /// bounded (a message built from excerpts) but may still hold a line break.
    public static func escapingControlCharacters(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return String(text) }
        var result = ""
        for scalar in text.unicodeScalars { result += escaped(scalar) }
        return result
    }

    /// Whether `scalar` is shown as an escape: a control or bidirectional formatting character.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\0": return "\\0"
        default:
            guard needsEscape(scalar) else { return String(scalar) }
            return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }
}
