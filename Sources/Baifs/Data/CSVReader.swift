/// Splits CSV text into rows of cells, one row at a time, remembering where every cell starts.
///
/// The dialect is deliberately simple: cells are separated by commas and rows by `\n`, `\r\n` or
/// `\r`; spaces and tabs around a cell are dropped; a cell may be wrapped in double quotes, inside
/// which `""` stands for one quote and commas and line breaks are kept. Lines holding nothing but
/// whitespace are skipped (so a trailing empty line is harmless), and a leading UTF-8 byte-order
/// mark is ignored.
struct CSVReader {
    /// One cell's text and where it starts.
    struct Cell: Equatable {
        /// The text, without surrounding whitespace or quotes.
        var text: String
        /// The 1-based line of the cell's first character.
        var line: Int
        /// The 1-based column of the cell's first character (its opening quote if quoted).
        var column: Int
    }

    /// One row's cells and where the row ends.
    struct Row: Equatable {
        /// The cells, left to right: all of them, or the first `keepingAtMost + 1` of a longer row.
        var cells: [Cell]
        /// The number of cells in the row, kept or not.
        var count: Int
        /// The 1-based line and column just past the row's last character, where a missing cell
        /// would have started.
        var endLine: Int
        var endColumn: Int

        /// The 1-based line the row starts on.
        var line: Int { cells[0].line }
    }

    /// The path reported in errors.
    let path: String
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var column = 1

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    /// Creates a reader of the UTF-8 `bytes` of the file at `path`.
    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next row that is not blank, or `nil` at the end of the text.
    ///
    /// - Parameter limit: The most cells a valid row has (the header's). Of a longer row only the
    ///   first `limit + 1` cells are kept (the first extra one locates the error), so that a row of
    ///   millions of cells takes no more memory than a valid one; the others are counted.
    mutating func nextRow(keepingAtMost limit: Int = .max) throws(CSVError) -> Row? {
        while true {
            skipSpaces()
            guard let byte = peek() else { return nil }
            if isLineBreak(byte) {
                advance()
                continue
            }
            return try readRow(keepingAtMost: limit)
        }
    }

    /// Reads the cells of a row starting at the current position, which is not blank, and consumes
    /// the line break that ends it.
    private mutating func readRow(keepingAtMost limit: Int) throws(CSVError) -> Row {
        var cells = [Cell]()
        var count = 0
        while true {
            skipSpaces()
            let cell = try readCell()
            if count <= limit { cells.append(cell) }
            count += 1
            skipSpaces()
            let end = (line: line, column: column)
            guard let byte = peek() else { return Row(cells: cells, count: count, endLine: end.line, endColumn: end.column) }
            if byte == Self.comma {
                advance()
            } else {
                // readCell stops only at a comma, a line break or the end; skipSpaces keeps it there.
                advance()
                return Row(cells: cells, count: count, endLine: end.line, endColumn: end.column)
            }
        }
    }

    /// Reads one cell starting at the current position, which is past any leading whitespace, and
    /// stops at the comma, line break or end that follows it.
    private mutating func readCell() throws(CSVError) -> Cell {
        let start = (line: line, column: column)
        guard peek() == Self.quote else {
            let first = position
            while let byte = peek(), byte != Self.comma, !isLineBreak(byte) {
                if byte == 0 { throw nulError() }
                advance()
            }
            var last = position
            while last > first, bytes[last - 1] == Self.space || bytes[last - 1] == Self.tab { last -= 1 }
            return Cell(text: String(decoding: bytes[first..<last], as: UTF8.self), line: start.line, column: start.column)
        }
        advance()
        var content = [UInt8]()
        while true {
            guard let byte = peek() else {
                throw CSVError(path: path, line: start.line, column: start.column,
                               message: "a quoted cell is not closed before the end of the file")
            }
            if byte == 0 { throw nulError() }
            advance()
            if byte != Self.quote {
                content.append(byte)
            } else if peek() == Self.quote {
                content.append(Self.quote)
                advance()
            } else {
                break
            }
        }
        skipSpaces()
        if let byte = peek(), byte != Self.comma, !isLineBreak(byte) {
            throw CSVError(path: path, line: line, column: column,
                           message: "expected a comma or the end of the line after a closing quote")
        }
        return Cell(text: String(decoding: content, as: UTF8.self), line: start.line, column: start.column)
    }

    /// A NUL byte at the current position: no CSV file holds one, and the rest of such a file
    /// (`/proc/self/environ`, a binary) is not shown.
    private func nulError() -> CSVError {
        CSVError(path: path, line: line, column: column, message: "the file holds a NUL byte here, so it is not a text CSV file")
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func isLineBreak(_ byte: UInt8) -> Bool {
        byte == Self.lineFeed || byte == Self.carriageReturn
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == Self.space || byte == Self.tab { advance() }
    }

    /// Consumes one byte, keeping the line and column up to date. A `\r\n` pair ends one line: the
    /// `\r` is counted as an ordinary character of the line and the `\n` starts the next. Columns
    /// count Unicode scalars, so UTF-8 continuation bytes do not advance them.
    private mutating func advance() {
        let byte = bytes[position]
        position += 1
        if byte == Self.lineFeed || (byte == Self.carriageReturn && peek() != Self.lineFeed) {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }
}
