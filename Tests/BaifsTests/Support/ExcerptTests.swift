import Baifs
import Testing

struct ExcerptTests {
    @Test func shortTextIsQuotedAsItIs() {
        #expect(Excerpt.quoted("petal_length") == "'petal_length'")
        #expect(Excerpt.plain("0.5") == "0.5")
        #expect(Excerpt.quoted("") == "''")
    }

    @Test func longTextKeepsItsFirstEightyCharactersAndAnEllipsis() {
        let cell = String(repeating: "1234567890", count: 20_000_000)  // 200 MB
        let shown = Excerpt.quoted(cell)
        #expect(shown == "'" + String(repeating: "1234567890", count: 8) + "…'")
        #expect(Excerpt.plain(String(repeating: "x", count: 80)) == String(repeating: "x", count: 80))
        #expect(Excerpt.plain(String(repeating: "x", count: 81)) == String(repeating: "x", count: 80) + "…")
    }

    @Test func controlCharactersAreEscapedSoThatAMessageStaysOneLine() {
        #expect(Excerpt.quoted("a\nb\r\nc\td\0") == "'a\\nb\\r\\nc\\td\\0'")
        #expect(Excerpt.plain("\u{1B}[31mred\u{7F}\u{85}") == "\\u{1B}[31mred\\u{7F}\\u{85}")
        #expect(Excerpt.plain("abc\u{202E}cba") == "abc\\u{202E}cba")
        #expect(Excerpt.escapingControlCharacters("line one\nline two") == "line one\\nline two")
        #expect(Excerpt.escapingControlCharacters("naïve — ok") == "naïve — ok")
    }

    @Test func theLimitCountsCharactersNotEscapes() {
        let lines = String(repeating: "\n", count: 10_000_000)
        let shown = Excerpt.plain(lines)
        #expect(shown == String(repeating: "\\n", count: 80) + "…")
        #expect(!shown.contains("\n"))
    }
}
