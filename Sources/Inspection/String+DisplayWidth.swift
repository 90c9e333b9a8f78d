extension String {
    /// The columns the text takes in a terminal: one per character (a letter with its combining
    /// accents is one character), two for the wide ones that East Asian scripts and emoji use,
    /// none for invisible format characters such as a zero-width space.
    ///
    /// Wide: the East Asian Wide and Fullwidth blocks (Hangul Jamo, CJK ideographs and symbols,
    /// kana, Hangul syllables, fullwidth forms) and characters presented as emoji. This is what
    /// terminals' `wcwidth` gives for these characters, without depending on the process's locale.
    var displayWidth: Int {
        var width = 0
        for character in self {
            width += character.displayWidth
        }
        return width
    }
}

extension Character {
    /// The columns this character takes in a terminal: 0, 1 or 2 (see `String.displayWidth`).
    var displayWidth: Int {
        guard let first = unicodeScalars.first else { return 0 }
        if first.isASCII { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        if unicodeScalars.contains(where: { $0.value == 0xFE0F }) || first.properties.isEmojiPresentation { return 2 }
        if Self.isEastAsianWide(first.value) { return 2 }
        if unicodeScalars.allSatisfy({ $0.properties.generalCategory == .format }) { return 0 }
        return 1
    }

    /// Whether `value` lies in a block of East Asian Wide or Fullwidth characters.
    private static func isEastAsianWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, // Hangul Jamo initial consonants
             0x2E80...0x303E, 0x3041...0x33FF, // CJK radicals, punctuation, kana, compatibility
             0x3400...0x4DBF, 0x4E00...0x9FFF, // CJK ideographs
             0xA000...0xA4CF, // Yi
             0xAC00...0xD7A3, // Hangul syllables
             0xF900...0xFAFF, // CJK compatibility ideographs
             0xFE30...0xFE4F, // CJK compatibility forms
             0xFF00...0xFF60, 0xFFE0...0xFFE6, // fullwidth forms
             0x20000...0x2FFFD, 0x30000...0x3FFFD: // CJK ideographs, supplementary planes
            true
        default:
            false
        }
    }
}
