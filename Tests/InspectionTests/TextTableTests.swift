@testable import Inspection
import Testing

/// `TextTable`: columns as wide as their widest cell (counted in terminal columns: accents and
/// combining marks take one, CJK characters and emoji two), left or right aligned, no trailing spaces; Markdown with
/// `|` escaped; and the report numbers its cells hold.
struct TextTableTests {
    func table(_ headers: [String], _ alignments: [TextTable.Alignment]? = nil, rows: [[String]]) -> TextTable {
        var table = TextTable(headers: headers, alignments: alignments)
        table.rows = rows
        return table
    }

    @Test func columnsAreAsWideAsTheirWidestCellAndTwoSpacesApart() {
        let text = table(["metric", "a", "b − a"], [.left, .right, .right],
                         rows: [["final train_loss", "0.5", "+0.25"], ["epoch", "12", "0"]]).text()
        #expect(text == """
            metric              a  b − a
            final train_loss  0.5  +0.25
            epoch              12      0

            """)
    }

    @Test func columnsAreLeftAlignedUnlessToldOtherwise() {
        let text = table(["key", "value"], rows: [["a", "1"], ["long.key.path", "22"]]).text()
        #expect(text == "key            value\na              1\nlong.key.path  22\n")
    }

    /// Padding a left-aligned last column would leave spaces at the ends of lines; they are cut,
    /// and so is the separator before an empty last cell.
    @Test func linesHaveNoTrailingSpaces() {
        let text = table(["name", "note"], rows: [["a", ""], ["b", "short"], ["c", "much longer"]]).text()
        #expect(text == "name  note\na\nb     short\nc     much longer\n")
    }

    @Test func indentPrefixesEveryLine() {
        let text = table(["x", "y"], [.left, .right], rows: [["1", "2"]]).text(indent: "  ")
        #expect(text == "  x  y\n  1  2\n")
    }

    @Test func aTableWithoutRowsIsItsHeader() {
        #expect(table(["run", "status"], rows: []).text() == "run  status\n")
        #expect(table(["run", "status"], rows: []).markdown == "| run | status |\n|---|---|\n")
    }

    /// Widths count characters, not bytes or scalars: `é` (two UTF-8 bytes), `e` with a combining
    /// accent (two scalars), `—` and `‖` (three bytes each) each take one column.
    @Test func widthsCountCharactersNotBytesOrScalars() {
        let text = table(["name", "value"], [.left, .right],
                         rows: [["é", "—"], ["e\u{301}e\u{301}", "‖a‖"], ["plain", "12345"]]).text()
        #expect(text == """
            name   value
            é          —
            e\u{301}e\u{301}       ‖a‖
            plain  12345

            """)
    }

    /// CJK characters, fullwidth forms and emoji take two columns in a terminal, so a run named
    /// in Chinese or with an emoji still lines up; a zero-width space takes none.
    @Test func wideCharactersTakeTwoColumns() {
        let text = table(["run", "loss"], [.left, .right],
                         rows: [["学习率", "0.5"], ["🚀-fast", "0.25"], ["ｆｕｌｌ", "1"], ["a\u{200B}b", "2"], ["plain", "3"]]).text()
        // Widths 8 ("ｆｕｌｌ") and 4 ("loss"); each line's spaces pad its first cell to 8 columns.
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false) == [
            "run       loss",
            "学习率     0.5",
            "🚀-fast   0.25",
            "ｆｕｌｌ     1",
            "a\u{200B}b           2",
            "plain        3",
            "",
        ])
        #expect("学习率".displayWidth == 6)
        #expect("🚀".displayWidth == 2)
        #expect("❤️".displayWidth == 2)
        #expect("e\u{301}".displayWidth == 1)
        #expect("한국".displayWidth == 4)
        #expect("".displayWidth == 0)
    }

    @Test func markdownEscapesPipesAndMarksRightAlignedColumns() {
        let markdown = table(["parameter", "max |a − b|"], [.left, .right],
                             rows: [["layers.0.weight", "0.5"], ["a|b", "—"]]).markdown
        #expect(markdown == """
            | parameter | max \\|a − b\\| |
            |---|---:|
            | layers.0.weight | 0.5 |
            | a\\|b | — |

            """)
    }

    // MARK: - Report numbers

    @Test(arguments: [(Double?, String)]([
        (nil, "—"), (3, "3"), (-2, "-2"), (-0.0, "0"), (0.1, "0.1"), (1.0 / 3, "0.333333"), (2.0 / 3, "0.666667"),
        (123_456.7, "123457"), (1e-5, "1e-05"), (999_999_999_999_999, "999999999999999"), (1e15, "1e+15"),
        (.nan, "nan"), (.infinity, "inf"),
    ]))
    func reportNumbersAreIntegersOrSixSignificantDigits(value: Double?, text: String) {
        #expect(reportNumber(value) == text)
    }

    @Test(arguments: [(Double?, String)]([
        (nil, "—"), (0, "0"), (-0.0, "0"), (0.0123, "+0.0123"), (-2, "−2"), (1.0 / 3, "+0.333333"),
        (-1e-7, "−1e-07"),
    ]))
    func reportDeltasCarryTheirSign(value: Double?, text: String) {
        #expect(reportDelta(value) == text)
    }
}
