@testable import Baifs
import Foundation
import Testing

/// `CSVBulkReader` against reading row by row: the same datasets, bit for bit, and the same
/// generator afterwards, wherever the text is cut into chunks and pieces; and the same error.
struct CSVBulkReaderTests {
    /// Plain text (no quotes, `\n` line ends) with numbers of every form the scan reads, spaces
    /// around cells, long and signed numbers, and no line feed at the end.
    static let plain = """
        a,label,b,c
        1,2,0.5,-3
        0, 0 ,12345678901234567890,1e3
        -0.25,1,+4,  7.125 \t
        255,3,0,0
        3.5e-2,0,-0,.5
        9007199254740993,2,1.0000000000000002,5.
        0,1,0,0
        17,3,-17,1E+2
        """

    /// `plain` with the cells for which `isQuoted(line, column)` holds (0-based, the header's line 0) in
    /// double quotes, as R's `write.csv` and `csv.QUOTE_ALL` write them: whitespace before a cell
    /// stays before its quote, where `CSVReader` drops it; whitespace after a cell is dropped.
    static func quoting(_ isQuoted: (Int, Int) -> Bool) -> String {
        plain.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { line, text in
            text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { column, cell in
                guard isQuoted(line, column) else { return String(cell) }
                let leading = cell.prefix { $0 == " " || $0 == "\t" }
                return leading + "\"" + cell.trimmingCharacters(in: .whitespaces) + "\""
            }.joined(separator: ",")
        }.joined(separator: "\n")
    }

    /// Every cell quoted; the label column only (a class column as `write.csv` writes it); every other cell.
    static let quotedTexts = [quoting { _, _ in true }, quoting { $1 == 1 }, quoting { ($0 + $1) % 2 == 0 }]

    /// Reads `text` with `options`, row by row (`reading` nil) or in bulk; the datasets and the generator after.
    static func load(_ text: String, _ options: CSVDataset.Options, reading: CSVDataset.BulkReading?) throws(CSVError) -> (CSVDataset, RandomGenerator) {
        var generator = RandomGenerator(seed: 7)
        let dataset = try CSVDataset(parsing: text, path: "d.csv", options: options, generator: &generator, bulkReading: reading)
        return (dataset, generator)
    }

    /// The features of every set as bit patterns (so that -0 and 0 differ).
    static func bits(_ dataset: CSVDataset) -> [[UInt64]] {
        [dataset.training, dataset.validation, dataset.test ?? dataset.validation].map { $0.features.map(\.bitPattern) }
    }

    /// Whether `CSVBulkReader` takes `text` (a header, then data rows; the target first) rather
    /// than leaving it to the row-by-row reader.
    static func isTaken(_ text: String, columns: Int, targetKind: CSVBulkReader.TargetKind = .values) throws -> Bool {
        var reader = CSVReader(bytes: Array(text.utf8), path: "d.csv")
        _ = try reader.nextCells()
        let roles = [CSVBulkReader.Role.target] + (1..<columns).map { CSVBulkReader.Role.feature($0 - 1) }
        let bulk = CSVBulkReader(input: .bytes(Array(text.utf8)), offset: reader.offset, roles: roles, width: columns - 1,
                                 targetKind: targetKind, scale: 1, classIndex: { Int($0) })
        return bulk.read { [DatasetPart](repeating: .training, count: $0) } != nil
    }

    static let optionSets: [CSVDataset.Options] = [
        .init(target: .classes(column: "label")),
        .init(target: .classes(column: "label"), featureColumns: ["c", "a"], normalization: .standardize, testFraction: 0.25, scale: 0.5),
        .init(target: .values(column: "c"), featureColumns: ["b", "label", "a"], normalization: .minMax, split: .validationFraction(0.4)),
    ]

    /// Expects reading `text` in bulk, cut into chunks of every size up to the whole text (which
    /// puts a chunk's end after every byte) and pieces for 1, 2, 3 and 5 threads, to give the
    /// datasets (bit for bit) and generator of reading it row by row, or the same error.
    static func expectRowByRowResults(_ text: String, _ options: CSVDataset.Options,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Result { () throws(CSVError) in try Self.load(text, options, reading: nil) }
        for chunkSize in 1...(text.utf8.count + 1) {
            for threads in [1, 2, 3, 5] {
                let read = Result { () throws(CSVError) in
                    try Self.load(text, options, reading: .init(threads: threads, chunkSize: chunkSize))
                }
                switch (read, expected) {
                case (.success(let (read, generator)), .success(let (expected, expectedGenerator))):
                    #expect(read == expected && Self.bits(read) == Self.bits(expected), "chunk \(chunkSize), threads \(threads)",
                            sourceLocation: sourceLocation)
                    #expect(generator == expectedGenerator, sourceLocation: sourceLocation)
                case (.failure(let error), .failure(let expectedError)):
                    #expect(error == expectedError, "chunk \(chunkSize), threads \(threads)", sourceLocation: sourceLocation)
                default:
                    Issue.record("In bulk \(read), row by row \(expected); chunk \(chunkSize), threads \(threads)",
                                 sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test(arguments: 0..<3, [false, true])
    func everyCutIntoChunksAndPiecesGivesTheRowsOfReadingRowByRow(optionSet: Int, windowsLineEnds: Bool) throws {
        let options = Self.optionSets[optionSet]
        // The same rows with `\r\n` line ends, as spreadsheets on Windows write them.
        let text = windowsLineEnds ? Self.plain.replacingOccurrences(of: "\n", with: "\r\n") : Self.plain
        #expect(try Self.isTaken(text.replacingOccurrences(of: "label", with: "d"), columns: 4))
        let (expected, _) = try Self.load(text, options, reading: nil)
        if windowsLineEnds { #expect(try Self.bits(expected) == Self.bits(Self.load(Self.plain, options, reading: nil).0)) }
        Self.expectRowByRowResults(text, options)
    }

    @Test(arguments: 0..<3, 0..<3)
    func simplyQuotedCellsAreReadInBulkAsRowByRow(optionSet: Int, quoting: Int) throws {
        let options = Self.optionSets[optionSet]
        for text in [Self.quotedTexts[quoting], Self.quotedTexts[quoting].replacingOccurrences(of: "\n", with: "\r\n")] {
            #expect(try Self.isTaken(text.replacingOccurrences(of: "label", with: "d"), columns: 4))
            // Quoted numbers are the numbers unquoted, quoted labels the labels.
            #expect(try Self.bits(Self.load(text, options, reading: nil).0) == Self.bits(Self.load(Self.plain, options, reading: nil).0))
            Self.expectRowByRowResults(text, options)
        }
    }

    @Test func quotedClassNamesKeepTheirWhitespaceAsRowByRow() throws {
        // The second column is not read: its quoted empty cells are no problem.
        let text = "\"x\",\"note\",\"y\"\n1,\"\",\"cat\"\n2,\"\",\"2\"\n3, \"a\",\"dog\"\r\n4,,\" cat \"\n5,\"\",\"1\""
        let options = CSVDataset.Options(target: .classes(column: "y"), featureColumns: ["x"], split: .validationFraction(0))
        let (expected, _) = try Self.load(text, options, reading: nil)
        #expect(expected.classes == .names([" cat ", "1", "2", "cat", "dog"]))
        Self.expectRowByRowResults(text, options)
    }

    @Test func readingAFileInBulkGivesTheRowsOfReadingItRowByRow() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-bulk-\(UUID().uuidString).csv").path
        try ("\u{FEFF}" + Self.plain + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = Self.optionSets[1]
        var generator = RandomGenerator(seed: 7)
        let expected = try CSVDataset(contentsOfFile: path, options: options, generator: &generator, bulkReading: nil)
        for reading in [CSVDataset.BulkReading.default, .init(threads: 3, chunkSize: 7)] {
            var bulkGenerator = RandomGenerator(seed: 7)
            let read = try CSVDataset(contentsOfFile: path, options: options, generator: &bulkGenerator, bulkReading: reading)
            #expect(read == expected && Self.bits(read) == Self.bits(expected))
            #expect(bulkGenerator == generator)
        }
    }

    @Test func classNamesAreReadAsRowByRow() throws {
        let text = "x,y\n1,cat\n2,2\n3,dog\n4,cat\n5,1\n"
        let options = CSVDataset.Options(target: .classes(column: "y"), split: .validationFraction(0))
        let (expected, _) = try Self.load(text, options, reading: nil)
        for threads in [1, 2, 4] {
            let (read, _) = try Self.load(text, options, reading: .init(threads: threads, chunkSize: 5))
            #expect(read == expected)
        }
        #expect(expected.classes == .names(["1", "2", "cat", "dog"]))
    }

    @Test(arguments: ["y,x\n1,2\n\n3,4\n", "y,x\n1,2\n 3,4\n", "y,x\n1,2\n\t\n", "y,x\n", "y,x\n\n1,2",
                      "y,x\r\n1,2\r3,4\r\n", "y,x\r\n1,2\r", "y,x\r\n1,2\r\n\r\n3,4\r\n", "y,x\n1\r,2\n"])
    func textThatIsNotPlainIsLeftToTheRowByRowReader(text: String) throws {
        #expect(try !Self.isTaken(text, columns: 2))
        #expect(try Self.isTaken("y,x\n1,2\n3,4", columns: 2))
        #expect(try Self.isTaken("y,x\r\n1,2\r\n3,4\r\n", columns: 2))
        #expect(try Self.isTaken("y,x\r\n1 ,2 \r\n3,4", columns: 2))
        #expect(try Self.isTaken("y,x\n\"1\",2\n", columns: 2))
        #expect(try Self.isTaken("\"y\",\"x\"\r\n\"1\", \"2\"\r\n\"3\",\"4\"", columns: 2))
    }

    /// Quotes other than around simply quoted cells: the row-by-row reader reads these (or reports
    /// their problem), and reading in bulk gives its results.
    @Test(arguments: [
        "y,x\n\"a\"\"b\",2\nc,3\n",          // an escaped quote
        "y,x\n\"\"\"\",2\nc,3\n",             // a cell that is one escaped quote
        "y,x\n\"a\nb\",2\nc,3\n",            // a line break inside quotes
        "y,x\r\n\"a\r\nb\",2\r\nc,3\r\n",      // the same with `\r\n`
        "y,x\nc,3\n\"1\n2,3\n4\",5\n6,7\n",    // quoted line feeds around what looks like rows
        "y,x\n\"a,b\",2\nc,3\n",             // a comma inside quotes
        "y,x\n\"a\" ,2\nc,3\n",              // whitespace after the closing quote
        "y,x\na\"b,2\nc,3\n",                // a quote inside an unquoted cell
        "y,x\n\"a\"b,2\nc,3\n",              // text after the closing quote: an error
        "y,x\nc,\"3\"x\nd,4\n",              // the same in the last column
        "y,x\nd,4\nc,\"3\"x",                // and at the end of the text
        "y,x\nc,\"3\"\r4\nd,4\n",             // a lone carriage return after a closing quote
        "y,x\nc,3\n\"a,2\n",                 // a quote not closed: an error
        "y,x\nc,\"3\n4\"\n",                 // a line feed inside a quoted number: an error
    ])
    func otherQuotingIsLeftToTheRowByRowReader(text: String) throws {
        #expect(try !Self.isTaken(text, columns: 2, targetKind: .classes))
        for split in [0.0, 0.5] {
            Self.expectRowByRowResults(text, .init(target: .classes(column: "y"), split: .validationFraction(split)))
        }
    }

    /// Files with two problems, in rows far apart: reading in bulk reports the first, as row by row.
    @Test(arguments: [
        "y,a,b\n0,1,2\n1,x,2\n0,1,2\n1,2\n0,1,2\n1,1,2\n",          // not a number, then too few cells
        "y,a,b\n0,1,2\n1,1,2\n0,1,2,3\n1,2,2\n0,1,inf\n1,1,2\n",    // too many cells, then not finite
        "y,a,b\n0,1,2\n,1,2\n0,1,2\n1,2,\u{0}\n0,1,2\n1,1,2\n",     // an empty class, then a NUL byte
        "y,a,b\n0,1,2\n1,1,1e300\n0,1,2\n1,1e300,2\n0,1,2\n1,1,2\n", // the scale overflows column b, then a
        "y,a,b\n0,1,2\n1,1,2\n0,1,2\n5,2,2\n0,1,2\n1,1,2\n",        // a class at or above the class count
        // Quoted cells: read in bulk while simply quoted, else row by row.
        "y,a,b\n0,\"1\",\"2\"\n1,\"\",2\n0,1,2\n1,\" 1\",2\n",       // an empty quoted number, then a space inside quotes
        "y,a,b\n\"0\",\"1\",\"2\"\n\"\",1,2\n0,1,2\n1,\"1 \",2\n",    // an empty quoted class, then a space inside quotes
        "y,a,b\n0,1,2\n1,\"1 \",2\n0,1,2\n1,\" 1\",2\n",          // a space after a quoted number, then before one
        "y,a,b\n0,1,2\n1,\"inf\",2\n0,1,2\n1,\"1\u{0}\",2\n",       // a quoted infinity, then a NUL inside quotes
        "y,a,b\n0,1,2\n1,\"x\",2\n0,1,2\n1,\"1\"x,2\n",            // a quoted word, then text after a closing quote
        "y,a,b\n0,1,2\n1,\"1\"x,2\n0,1,2\n1,\"2\n",                // text after a closing quote, then a quote not closed
        "y,a,b\n0,1,2\n1,1,\"2\"x\n0,1,2\n1,x,2\n",               // text after a closing quote at the end of a row, then not a number
        "y,a,b\n0,\"1\",\"2\"\n1,\"1\"\n0,1,2\n\"1\",\"1\",\"1\",\"1\"\n", // too few quoted cells, then too many
        "y,a,b\n0,1,2\n1,\"1\"\"\",2\n0,1,2\n1,x,2\n",             // an escaped quote in a number, then not a number
        "y,a,b\n0,1,2\n1,\"1\n2\",2\n0,1,2\n1,x,2\n",              // a line feed inside a quoted number, then not a number
        "y,a,b\n\"c\nd\",1,2\n1,2,3\n0,x,2\n1,2,\"\"\n",           // a class over two lines, then not a number
        "y,a,b\n0,1,\"2\"\n1,1,\"1e300\"\n0,1,2\n\"1\",\"1e300\",2\n", // the scale overflows quoted cells of b, then a
        "y,a,b\n\"0\",1,2\n\"1\",1,2\n\"5\",1,2\n\"1.0\",1,2\n",      // a quoted class at or above the class count
    ])
    func theFirstOfSeveralProblemsIsReportedAsRowByRow(text: String) throws {
        let options = CSVDataset.Options(target: .classes(column: "y", classCount: 2), scale: 1e10)
        var expected: CSVError?
        do { _ = try Self.load(text, options, reading: nil) } catch { expected = error }
        #expect(expected != nil)
        for threads in [1, 2, 3, 6] {
            for chunkSize in [1, 9, 20, 1 << 20] {
                #expect(throws: expected!) { _ = try Self.load(text, options, reading: .init(threads: threads, chunkSize: chunkSize)) }
            }
        }
        // The same with `\r\n` line ends.
        let windows = text.replacingOccurrences(of: "\n", with: "\r\n")
        var expectedWindows: CSVError?
        do { _ = try Self.load(windows, options, reading: nil) } catch { expectedWindows = error }
        #expect(expectedWindows != nil)
        for threads in [1, 2, 3] {
            #expect(throws: expectedWindows!) { _ = try Self.load(windows, options, reading: .init(threads: threads, chunkSize: 9)) }
        }
    }
}
