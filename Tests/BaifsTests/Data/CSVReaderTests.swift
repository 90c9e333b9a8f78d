@testable import Baifs
import Foundation
import Testing

struct CSVReaderTests {
    /// Every row of `reader`, as the cells' texts with their lines and columns, and the row's end.
    static func rows(_ reader: inout CSVReader) throws -> [CSVReader.Row] {
        var rows = [CSVReader.Row]()
        while let row = try reader.nextCells() { rows.append(row) }
        return rows
    }

    /// Text with quoted line breaks and commas, `""` escapes, `\r\n`, lone `\r`, blank lines, a
    /// byte-order mark and multi-byte characters, so that chunk boundaries fall everywhere.
    static let text = "\u{FEFF}name, \"x\"\r\n\"a\nb\",1.5\r\n\r\n  é , \"2,\"\"3\"\"\" \rπ,-7e-3\n\n\"\r\n\",  4  \r\nlast,5"

    @Test(arguments: [2, 3, 5, 7, 16, 64])
    func readingAFileInChunksGivesTheRowsOfReadingItWhole(chunkSize: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-reader-\(UUID().uuidString).csv").path
        try Self.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var whole = CSVReader(bytes: Array(Self.text.utf8), path: "t.csv")
        var chunked = try CSVReader(contentsOfFile: path, chunkSize: chunkSize)
        let expected = try Self.rows(&whole)
        #expect(try Self.rows(&chunked) == expected)
        #expect(expected.map { $0.cells.map(\.text) } == [["name", "x"], ["a\nb", "1.5"], ["é", "2,\"3\""], ["π", "-7e-3"], ["\r\n", "4"], ["last", "5"]])
        #expect(expected.map { $0.cells.map { [$0.line, $0.column] } } == [
            [[1, 1], [1, 7]], [[2, 1], [3, 4]], [[5, 3], [5, 7]], [[6, 1], [6, 3]], [[8, 1], [9, 5]], [[10, 1], [10, 6]],
        ])
        #expect(CSVReader.lineCountUpperBound(ofFile: path) == CSVReader.lineCountUpperBound(of: Array(Self.text.utf8)))
        // 8 line feeds and 6 carriage returns: a bound of 9, at least the 6 rows.
        #expect(CSVReader.lineCountUpperBound(of: Array(Self.text.utf8)) == 9)
        #expect(CSVReader.lineCountUpperBound(of: Array("a\r\nb\r\nc".utf8)) == 3)
        #expect(CSVReader.lineCountUpperBound(of: Array("a\rb\rc\r".utf8)) == 4)
    }

    @Test func numbersParseExactlyAsDoubleFromText() throws {
        var generator = RandomGenerator(seed: 4)
        var texts = ["0", "-0", "+3", "007", ".5", "5.", "1e22", "1e23", "9007199254740993", "123456789012345678901234",
                     "0.1", "-0.0", "0.000000000000001", "123456789012345", "1234567890123456", "12.345678901234567", "2.2250738585072014e-308", "1.7976931348623157e308", "1e400", "0x1p3", "inf", "nan", "1e", "-", "", "1.2.3", "4e+02"]
        for _ in 0..<2000 {
            let digits = String(generator.nextInt(below: 1_000_000_000))
            let point = generator.nextInt(below: digits.count + 1)
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if generator.nextInt(below: 3) == 0 { text += "e\(generator.nextInt(below: 60) - 30)" }
            texts.append(generator.nextInt(below: 2) == 0 ? "-" + text : text)
        }
        // Read as a row, where plain decimals are read during the scan.
        var reader = CSVReader(bytes: Array((texts.joined(separator: ",") + "\n").utf8), path: "n.csv")
        #expect(try reader.nextRow())
        #expect(reader.cellCount == texts.count)
        for (index, text) in texts.enumerated() {
            let expected = Double(text.trimmingCharacters(in: .whitespaces))
            let read = reader.number(at: index)
            #expect(read?.bitPattern == expected?.bitPattern || (read?.isNaN == true && expected?.isNaN == true), "\(text)")
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { CSVNumber.parse($0) }
            let expected = Double(text)
            #expect(parsed?.bitPattern == expected?.bitPattern || (parsed?.isNaN == true && expected?.isNaN == true), "\(text)")
        }
    }
}
