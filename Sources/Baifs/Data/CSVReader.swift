import Foundation

/// Splits CSV text into rows of cells, one row at a time, reading a file in chunks so that only
/// the current row (and a chunk) is held in memory, and remembering where every cell starts.
///
/// The dialect is deliberately simple: cells are separated by commas and rows by `\n`, `\r\n` or
/// `\r`; spaces and tabs around a cell are dropped; a cell may be wrapped in double quotes, inside
/// which `""` stands for one quote and commas and line breaks are kept. Lines holding nothing but
/// whitespace are skipped (so a trailing empty line is harmless), and a leading UTF-8 byte-order
/// mark is ignored.
///
/// A row's cells are byte ranges of the reader's buffer, valid until the next call to `nextRow()`;
/// `number(at:)` parses a cell without making a string of it.
struct CSVReader {
    /// One row's cells and where the row ends, for the callers that want them as strings.
    struct Row: Equatable {
        /// The cells, left to right.
        var cells: [Cell]
        /// The 1-based line and column just past the row's last character, where a missing cell
        /// would have started.
        var endLine: Int
        var endColumn: Int

        /// The 1-based line the row starts on.
        var line: Int { cells[0].line }
    }

    /// One cell's text and where it starts.
    struct Cell: Equatable {
        /// The text, without surrounding whitespace or quotes.
        var text: String
        /// The 1-based line of the cell's first character.
        var line: Int
        /// The 1-based column of the cell's first character (its opening quote if quoted).
        var column: Int
    }

    /// The path reported in errors.
    let path: String
    private var buffer: [UInt8]
    /// The number of valid bytes in `buffer`.
    private var count: Int
    /// The open file the rest of the text comes from, or `nil` once everything is in `buffer`.
    private var file: Int32?
    /// Where the next row's scan starts.
    private var position = 0
    /// The bytes of the text dropped from the front of `buffer` so far.
    private var discarded = 0
    /// The 1-based line at `position`, and the offset in `buffer` where that line starts.
    private var line = 1
    private var lineStart = 0

    /// Where a cell of the current row is in the buffer.
    private struct CellRange {
        /// The range of its text (inside the quotes if quoted).
        var start: Int
        var end: Int
        /// Its 1-based line, and the offset in the buffer where that line starts.
        var line: Int
        var lineStart: Int
        var isQuoted: Bool
        /// The cell's number if it is a plain decimal read during the scan, else `nil`.
        var value: Double?
    }

    /// The current row's cells: all of them, or the first `keepingAtMost + 1` of a longer row.
    private var cells: [CellRange] = []
    /// The number of cells of the current row, kept or not.
    private(set) var cellCount = 0
    /// The most cells of a row kept (see `nextRow(keepingAtMost:)`).
    private var keptCellLimit = Int.max
    /// Where the current row ends (before its line break), for `endLocation`.
    private var rowEnd = 0, rowEndLine = 1, rowEndLineStart = 0

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let point = UInt8(ascii: "."), minus = UInt8(ascii: "-")
    /// Bytes read from a file at a time, by default.
    static let chunkSize = 1 << 20
    /// Bytes read from the file at a time.
    private let chunkSize: Int

    /// Creates a reader of the UTF-8 `bytes` of the file at `path`.
    init(bytes: [UInt8], path: String) {
        self.path = path
        self.buffer = bytes
        self.count = bytes.count
        self.file = nil
        self.chunkSize = Self.chunkSize
        skipByteOrderMark()
    }

    /// Opens the file at `path` for reading in chunks of `chunkSize` bytes.
    ///
    /// - Throws: `CSVError` at line 1 if the file cannot be opened.
    init(contentsOfFile path: String, chunkSize: Int = CSVReader.chunkSize) throws(CSVError) {
        precondition(chunkSize >= 2, "A chunk holds at least 2 bytes; got \(chunkSize).")
        let descriptor: Int32
        do {
            // A directory, /dev/zero or a socket is named as such rather than read.
            descriptor = try InputFile.open(path)
        } catch {
            throw CSVError(path: path, line: 1, column: 1, message: "cannot read file: \(error.reason)")
        }
        self.path = path
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
        self.count = 0
        self.file = descriptor
        self.chunkSize = chunkSize
        while count < 3 && file != nil { try refill() }
        skipByteOrderMark()
    }

    /// Closes the file if the reader still has it open (the reader closes it at the end of the text).
    mutating func close() {
        if let file { _ = Foundation.close(file) }
        file = nil
    }

    private mutating func skipByteOrderMark() {
        if count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            position = 3
            lineStart = 3
        }
    }

    /// An upper bound on the rows of the file at `path`, for sizing arrays before reading: one more
    /// than the larger of its counts of `\n` and of `\r` bytes (exact for files whose lines all end
    /// alike; quoted line breaks and blank lines make it larger; a file mixing lone `\r` and `\n`
    /// line ends can exceed it, which only costs a reallocation).
    static func lineCountUpperBound(ofFile path: String) -> Int {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { _ = Foundation.close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var counter = LineBreakCounter()
        while true {
            let read = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, chunkSize) }
            guard read > 0 else { return counter.upperBound }
            chunk.withUnsafeBufferPointer { counter.add(UnsafeBufferPointer(rebasing: $0[..<read])) }
        }
    }

    /// As `lineCountUpperBound(ofFile:)`, for text in memory.
    static func lineCountUpperBound(of bytes: [UInt8]) -> Int {
        var counter = LineBreakCounter()
        bytes.withUnsafeBufferPointer { counter.add($0) }
        return counter.upperBound
    }

    /// Counts `\n` and `\r` bytes, across chunks.
    private struct LineBreakCounter {
        var lineFeeds = 0
        var carriageReturns = 0

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            // Two branch-free sums, which the compiler vectorises.
            var lineFeeds = 0, carriageReturns = 0
            for byte in bytes {
                lineFeeds &+= byte == CSVReader.lineFeed ? 1 : 0
                carriageReturns &+= byte == CSVReader.carriageReturn ? 1 : 0
            }
            self.lineFeeds += lineFeeds
            self.carriageReturns += carriageReturns
        }

        var upperBound: Int { max(lineFeeds, carriageReturns) + 1 }
    }

    // MARK: - Rows

    /// Moves to the next row that is not blank; `false` at the end of the text.
    ///
    /// - Parameter limit: The most cells a valid row has (the header's). Of a longer row only the
    ///   first `limit + 1` cells are kept (the first extra one locates the error) and the others
    ///   are counted, so that a row of millions of cells takes no more memory than a valid one.
    mutating func nextRow(keepingAtMost limit: Int = .max) throws(CSVError) -> Bool {
        keptCellLimit = limit
        while true {
            switch try scanRow() {
            case .row: return true
            case .end: return false
            case .needMore: try refill()
            }
        }
    }

    /// The next row as strings with their locations, or `nil` at the end of the text.
    mutating func nextCells() throws(CSVError) -> Row? {
        guard try nextRow() else { return nil }
        let end = endLocation
        // Columns are counted on from the previous cell's, not from the line's start for each
        // cell: a header of 80,000 cells on one line would otherwise take quadratic time.
        var cellsWithLocations = [Cell]()
        cellsWithLocations.reserveCapacity(cells.count)
        buffer.withUnsafeBufferPointer { bytes in
            var counted = (lineStart: -1, offset: 0, column: 1)
            for (index, cell) in cells.enumerated() {
                let offset = cell.start - (cell.isQuoted ? 1 : 0)
                if counted.lineStart != cell.lineStart { counted = (cell.lineStart, cell.lineStart, 1) }
                counted.column = Self.column(bytes, from: counted.offset, to: offset, startingAt: counted.column)
                counted.offset = offset
                cellsWithLocations.append(Cell(text: text(at: index), line: cell.line, column: counted.column))
            }
        }
        return Row(cells: cellsWithLocations, endLine: end.line, endColumn: end.column)
    }

    private enum ScanResult { case row, end, needMore }

    /// Scans the row at `position`, recording its cells; `.needMore` if the buffer ends inside the
    /// row (or inside a `\r\n` pair) and more of the file remains.
    private mutating func scanRow() throws(CSVError) -> ScanResult {
        let isFinal = file == nil
        var index = position, line = self.line, lineStart = self.lineStart
        // The scan fills these locals (taken out of self, so that self is not accessed while its
        // buffer is read), which are put back at the end.
        var cells = take(&self.cells)
        var cellCount = 0
        let keptCellLimit = self.keptCellLimit
        var skipped: (position: Int, line: Int, lineStart: Int)?
        var rowEnd = (offset: 0, line: 0, lineStart: 0)
        defer {
            self.cells = cells
        }
        let count = self.count, path = self.path
        let result = try buffer.withUnsafeBufferPointer { bytes throws(CSVError) -> ScanResult in
            /// Consumes a line break at `index` (one of `\n`, `\r\n`, `\r`); `false` if the buffer
            /// ends between a `\r` and a possible `\n`.
            func endLine() -> Bool {
                if bytes[index] == Self.carriageReturn {
                    if index + 1 == count && !isFinal { return false }
                    if index + 1 < count && bytes[index + 1] == Self.lineFeed { index += 1 }
                }
                index += 1
                line += 1
                lineStart = index
                return true
            }
            // Skip blank lines.
            while true {
                while index < count && (bytes[index] == Self.space || bytes[index] == Self.tab) { index += 1 }
                guard index < count else { return isFinal ? .end : .needMore }
                guard bytes[index] == Self.lineFeed || bytes[index] == Self.carriageReturn else { break }
                guard endLine() else { return .needMore }
                skipped = (index, line, lineStart)
            }
            while true {
                // One cell: index is past its leading whitespace.
                let cellLine = line, cellLineStart = lineStart
                var start = index, end: Int, isQuoted = false
                var value: Double?
                if index < count && bytes[index] == Self.quote {
                    isQuoted = true
                    start = index + 1
                    index += 1
                    while true {
                        guard index < count else {
                            if !isFinal { return .needMore }
                            throw CSVError(path: path, line: cellLine, column: Self.column(bytes, from: cellLineStart, to: start - 1),
                                           message: "a quoted cell is not closed before the end of the file")
                        }
                        let byte = bytes[index]
                        if byte == 0 { throw Self.nulError(path: path, line: line, column: Self.column(bytes, from: lineStart, to: index)) }
                        if byte == Self.quote {
                            if index + 1 < count && bytes[index + 1] == Self.quote { index += 2; continue }
                            if index + 1 == count && !isFinal { return .needMore }
                            break
                        }
                        if byte == Self.lineFeed || byte == Self.carriageReturn {
                            guard endLine() else { return .needMore }
                        } else {
                            index += 1
                        }
                    }
                    end = index
                    index += 1
                    while index < count && (bytes[index] == Self.space || bytes[index] == Self.tab) { index += 1 }
                    if index < count, bytes[index] != Self.comma, bytes[index] != Self.lineFeed, bytes[index] != Self.carriageReturn {
                        throw CSVError(path: path, line: line, column: Self.column(bytes, from: lineStart, to: index),
                                       message: "expected a comma or the end of the line after a closing quote")
                    }
                } else {
                    // While looking for the cell's end, read it as a decimal `[-]digits[.digits]`
                    // (see `CSVNumber.simpleValue`), so that most numbers need no second pass.
                    var mantissa: UInt64 = 0, digits = 0, fractionDigits = -1, isSimple = true
                    while index < count {
                        let byte = bytes[index]
                        let digit = byte &- 0x30
                        if digit < 10 {
                            mantissa = mantissa &* 10 &+ UInt64(digit)
                            digits += 1
                            index += 1
                            continue
                        }
                        if byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                        if byte == 0 { throw Self.nulError(path: path, line: line, column: Self.column(bytes, from: lineStart, to: index)) }
                        if byte == Self.point && fractionDigits < 0 {
                            fractionDigits = digits
                        } else if !(byte == Self.minus && index == start) {
                            isSimple = false
                        }
                        index += 1
                    }
                    end = index
                    while end > start && (bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab) { end -= 1 }
                    if isSimple, let magnitude = CSVNumber.simpleValue(mantissa: mantissa, digits: digits,
                                                                      fractionDigits: fractionDigits < 0 ? 0 : digits - fractionDigits) {
                        value = bytes[start] == Self.minus ? -magnitude : magnitude
                    }
                }
                if index == count && !isFinal { return .needMore }
                if cellCount <= keptCellLimit {
                    cells.append(CellRange(start: start, end: end, line: cellLine, lineStart: cellLineStart, isQuoted: isQuoted, value: value))
                }
                cellCount += 1
                if index < count && bytes[index] == Self.comma {
                    index += 1
                    while index < count && (bytes[index] == Self.space || bytes[index] == Self.tab) { index += 1 }
                    continue
                }
                // The end of the row: a line break or the end of the text.
                rowEnd = (index, line, lineStart)
                if index < count {
                    guard endLine() else { return .needMore }
                }
                return .row
            }
        }
        switch result {
        case .row:
            (position, self.line, self.lineStart) = (index, line, lineStart)
            (self.rowEnd, rowEndLine, rowEndLineStart) = rowEnd
            self.cellCount = cellCount
        case .end:
            position = index
        case .needMore:
            // Blank lines already passed need not be kept for the refill.
            if let skipped { (position, self.line, self.lineStart) = skipped }
        }
        return result
    }

    /// Empties `array` (keeping its capacity) and returns it, leaving an empty array behind.
    private func take<Element>(_ array: inout [Element]) -> [Element] {
        var taken = [Element]()
        swap(&taken, &array)
        taken.removeAll(keepingCapacity: true)
        return taken
    }

    /// Keeps the bytes from the current line's start on (the unfinished row), moves them to the
    /// front of the buffer, and reads the next chunk of the file after them.
    private mutating func refill() throws(CSVError) {
        guard let file else { return }
        let keep = min(lineStart, position)
        let kept = count - keep
        if keep > 0 {
            buffer.withUnsafeMutableBufferPointer { bytes in
                _ = memmove(bytes.baseAddress!, bytes.baseAddress! + keep, kept)
            }
            position -= keep
            lineStart -= keep
            count = kept
            discarded += keep
        }
        if buffer.count - count < chunkSize / 2 {
            buffer.append(contentsOf: repeatElement(0, count: max(chunkSize, buffer.count)))
        }
        let room = buffer.count - count
        let read = buffer.withUnsafeMutableBytes { Foundation.read(file, $0.baseAddress! + count, room) }
        guard read >= 0 else {
            throw CSVError(path: path, line: line, column: 1, message: "cannot read file: I/O error")
        }
        count += read
        if read == 0 { close() }
    }

    /// The offset in the text (the file) of the byte after the last row read: where the rest starts.
    var offset: Int { discarded + position }

    // MARK: - Cells

    /// The text of cell `index` of the current row, without quotes (and with `""` as `"`).
    func text(at index: Int) -> String {
        let bytes = buffer[cells[index].start..<cells[index].end]
        guard cells[index].isQuoted, bytes.contains(Self.quote) else { return String(decoding: bytes, as: UTF8.self) }
        var content = [UInt8]()
        var skipNext = false
        for byte in bytes {
            if skipNext { skipNext = false; continue }
            content.append(byte)
            if byte == Self.quote { skipNext = true }
        }
        return String(decoding: content, as: UTF8.self)
    }

    /// Whether cell `index` of the current row is empty.
    func isEmpty(at index: Int) -> Bool { cells[index].start == cells[index].end }

    /// The number in cell `index` of the current row, or `nil` if it is not one; parsed straight
    /// from the bytes (see `CSVNumber`), as `Double(text)` would.
    func number(at index: Int) -> Double? {
        if let value = cells[index].value { return value }
        if cells[index].isQuoted { return Double(text(at: index)) }
        return buffer.withUnsafeBufferPointer { bytes in
            CSVNumber.parse(UnsafeBufferPointer(rebasing: bytes[cells[index].start..<cells[index].end]))
        }
    }

    /// Appends the finite numbers in cells `indices` of the current row to `values`, in order;
    /// returns the first of those cells that holds no finite number (having appended the ones
    /// before it), or `nil`. The same as `number(at:)` cell by cell, in one pass over the row.
    func appendNumbers(at indices: [Int], to values: inout [Double]) -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            cells.withUnsafeBufferPointer { cells in
                for index in indices {
                    let cell = cells[index]
                    let value = cell.value ?? (cell.isQuoted ? Double(text(at: index))
                        : CSVNumber.parse(UnsafeBufferPointer(rebasing: bytes[cell.start..<cell.end])))
                    guard let value, value.isFinite else { return index }
                    values.append(value)
                }
                return nil
            }
        }
    }

    /// The 1-based line and column where cell `index` of the current row starts (its opening
    /// quote if quoted). Columns count Unicode scalars.
    func location(at index: Int) -> (line: Int, column: Int) {
        buffer.withUnsafeBufferPointer { bytes in
            let cell = cells[index]
            return (cell.line, Self.column(bytes, from: cell.lineStart, to: cell.start - (cell.isQuoted ? 1 : 0)))
        }
    }

    /// The 1-based line and column just past the current row's last character.
    var endLocation: (line: Int, column: Int) {
        buffer.withUnsafeBufferPointer { bytes in (rowEndLine, Self.column(bytes, from: rowEndLineStart, to: rowEnd)) }
    }

    /// The 1-based column of `offset` in the line starting at `lineStart`: one more than the
    /// Unicode scalars before it (bytes that are not UTF-8 continuation bytes); counted on from
    /// `column`, the column of `lineStart` if that is not the line's start.
    private static func column(_ bytes: UnsafeBufferPointer<UInt8>, from lineStart: Int, to offset: Int, startingAt column: Int = 1) -> Int {
        var column = column
        for index in lineStart..<max(lineStart, offset) where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// A NUL byte: no CSV file holds one, and the rest of such a file (`/proc/self/environ`, a
    /// binary) is not shown.
    private static func nulError(path: String, line: Int, column: Int) -> CSVError {
        CSVError(path: path, line: line, column: column, message: "the file holds a NUL byte here, so it is not a text CSV file")
    }
}
