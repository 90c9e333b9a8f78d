import Baifs
@testable import Configuration
import Foundation
import Testing

/// `JSONValue`: the fixed layout it writes, numbers in shortest round-trip form, string escaping,
/// and documents that a JSON reader (`JSONDecoder`, as baifs reads its files back) parses to the
/// same values, bit for bit. `JSONValue` itself only writes; reading is Foundation's.
struct JSONValueTests {
    /// Decodes `text` with `JSONDecoder` as `T`.
    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    // MARK: - Layout

    @Test func objectsTakeOneKeyPerLineAndScalarArraysOneLine() {
        let document = JSONValue.object([
            ("name", .string("moons")),
            ("done", .bool(true)),
            ("missing", .null),
            ("shape", .integers([16, 2])),
            ("empty_object", .object([])),
            ("empty_array", .array([])),
            ("rows", .array([.object([("epoch", .integer(1))]), .numbers([0.5])])),
            ("nested", .object([("deeper", .object([("x", .number(-2.5))]))])),
        ])
        #expect(document.text() == """
            {
              "name": "moons",
              "done": true,
              "missing": null,
              "shape": [16, 2],
              "empty_object": {},
              "empty_array": [],
              "rows": [
                {
                  "epoch": 1
                },
                [0.5]
              ],
              "nested": {
                "deeper": {
                  "x": -2.5
                }
              }
            }

            """)
    }

    @Test func keysKeepTheOrderGivenEvenWhenRepeated() {
        let document = JSONValue.object([("b", .integer(1)), ("a", .integer(2)), ("b", .integer(3))])
        #expect(document.text() == "{\n  \"b\": 1,\n  \"a\": 2,\n  \"b\": 3\n}\n")
    }

    @Test func scalarsAtTheTopLevelEndWithANewline() {
        #expect(JSONValue.null.text() == "null\n")
        #expect(JSONValue.bool(false).text() == "false\n")
        #expect(JSONValue.string("x").text() == "\"x\"\n")
    }

    @Test func compactTextIsOneLineWithTheSameScalars() {
        let document = JSONValue.object([
            ("id", .string("trial-0001")),
            ("overrides", .array([.string("a=1"), .string("b=\"2\"")])),
            ("nested", .object([("x", .number(0.1)), ("y", .array([]))])),
            ("empty", .object([])),
            ("exit_code", .null),
        ])
        #expect(document.compactText()
                == #"{"id":"trial-0001","overrides":["a=1","b=\"2\""],"nested":{"x":0.1,"y":[]},"empty":{},"exit_code":null}"#)
        #expect(JSONValue.number(1e-5).compactText() == "1e-05")
    }

    /// Equality is equality of the text: the same number as an integer and as a double differ,
    /// and so do the same members in another order.
    @Test func valuesAreEqualWhenTheirTextIs() {
        #expect(JSONValue.integer(1) != JSONValue.number(1))
        #expect(JSONValue.integer(7) == JSONValue.unsignedInteger(7))
        #expect(JSONValue.object([("a", .null), ("b", .null)]) != JSONValue.object([("b", .null), ("a", .null)]))
        #expect(JSONValue.number(.nan) == JSONValue.null)
    }

    // MARK: - Numbers

    @Test(arguments: [
        (0.1, "0.1"), (1e-5, "1e-05"), (1, "1.0"), (100, "100.0"), (-0.0, "-0.0"), (0.1 + 0.2, "0.30000000000000004"),
        (1e16, "1e+16"), (123_456_789.125, "123456789.125"), (.leastNonzeroMagnitude, "5e-324"),
        (.leastNormalMagnitude, "2.2250738585072014e-308"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (-1.0 / 3, "-0.3333333333333333"),
    ])
    func numbersUseTheShortestRoundTripForm(value: Double, text: String) {
        #expect(JSONValue.number(value).text() == text + "\n")
        #expect(formatNumber(value) == text)
    }

    @Test func integersAreWrittenInFull() {
        #expect(JSONValue.integer(.min).text() == "-9223372036854775808\n")
        #expect(JSONValue.integer(.max).text() == "9223372036854775807\n")
        #expect(JSONValue.unsignedInteger(.max).text() == "18446744073709551615\n")
    }

    /// JSON has no NaN or infinity: they are written as `null`, also inside arrays.
    @Test func nonFiniteNumbersAreWrittenAsNull() {
        #expect(JSONValue.numbers([1, .nan, .infinity, -.infinity]).text() == "[1.0, null, null, null]\n")
        #expect(JSONValue.optional(nil).text() == "null\n")
        #expect(JSONValue.optional(2).text() == "2.0\n")
    }

    /// A long array of numbers (over 64 KiB of text, written in pieces) is each number's
    /// `formatNumber` text, comma-separated, `null` for the non-finite ones.
    @Test func longNumberArraysMatchTheirNumbersTexts() {
        var generator = RandomGenerator(seed: 5)
        var values: [Double] = [.nan, 1, -0.0, 1e16, .infinity]
        while values.count < 6_000 {
            let value = Double(bitPattern: generator.next())
            values.append(values.count % 3 == 0 ? value : (value.isFinite ? value.truncatingRemainder(dividingBy: 1) : 0.5))
        }
        let expected = "[" + values.map { $0.isFinite ? formatNumber($0) : "null" }.joined(separator: ", ") + "]\n"
        #expect(expected.utf8.count > 1 << 16)
        #expect(JSONValue.numbers(values).text() == expected)
    }

    /// Every double written reads back with the same bits: the awkward ones, and a thousand drawn
    /// over every exponent from a fixed seed.
    @Test func numbersReadBackBitForBit() throws {
        var values: [Double] = [
            0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            .leastNormalMagnitude - .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .pi, .ulpOfOne, 1 + .ulpOfOne, 0.1 + 0.2, 9_007_199_254_740_993,
        ]
        var generator = RandomGenerator(seed: 11)
        while values.count < 1_000 {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { values.append(value) }
        }
        let read = try decode([Double].self, JSONValue.numbers(values).text())
        #expect(read.map(\.bitPattern) == values.map(\.bitPattern))
        let integers: [Int64] = [.min, -1, 0, 1, .max]
        #expect(try decode([Int64].self, JSONValue.array(integers.map { .integer($0) }).text()) == integers)
        let words: [UInt64] = [0, 1 << 63, .max]
        #expect(try decode([UInt64].self, JSONValue.array(words.map { .unsignedInteger($0) }).text()) == words)
    }

    // MARK: - Strings

    @Test func stringsEscapeQuotesBackslashesAndControlCharacters() {
        #expect(JSONValue.string("say \"hi\"\\").text() == #""say \"hi\"\\""# + "\n")
        #expect(JSONValue.string("a\nb\rc\td").text() == #""a\nb\rc\td""# + "\n")
        #expect(JSONValue.string("\u{0}\u{1}\u{8}\u{c}\u{1f}").text() == #""\u0000\u0001\u0008\u000c\u001f""# + "\n")
        // Not control characters in JSON: written as they are.
        #expect(JSONValue.string("\u{7f}/é∑🚀\u{2028}").text() == "\"\u{7f}/é∑🚀\u{2028}\"\n")
    }

    @Test func keysAreEscapedLikeStrings() {
        #expect(JSONValue.object([("a\"b\n", .integer(1))]).text() == "{\n  \"a\\\"b\\n\": 1\n}\n")
        #expect(JSONValue.object([("a\"b\n", .integer(1))]).compactText() == #"{"a\"b\n":1}"#)
    }

    /// Every string written, control characters, quotes, combining marks and emoji included,
    /// reads back as itself, as a value and as a key.
    @Test func stringsReadBackUnchanged() throws {
        let strings = [
            "", "plain", "quote \" and backslash \\", "\\\"", "line\nfeed", "tab\tcarriage\r",
            (0..<32).map { String(UnicodeScalar(UInt8($0))) }.joined(), "é vs e\u{301}", "🚀👩‍👩‍👧", "\u{2028}\u{2029}", "\u{7f}",
        ]
        #expect(try decode([String].self, JSONValue.array(strings.map(JSONValue.string)).text()) == strings)
        let object = JSONValue.object(strings.enumerated().map { ($0.element, .integer(Int64($0.offset))) })
        let read = try decode([String: Int].self, object.text())
        #expect(read == Dictionary(uniqueKeysWithValues: strings.enumerated().map { ($0.element, $0.offset) }))
        #expect(try decode([String: Int].self, object.compactText()) == read)
    }
}
