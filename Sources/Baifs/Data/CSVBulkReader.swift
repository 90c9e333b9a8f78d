import Dispatch
import Foundation

/// Reads the data rows of a plain CSV text on all cores, each row's features converted straight
/// into the training, validation or test array that a seeded draw assigns it.
///
/// Only text that `CSVReader` would read the same way when cut at any line feed is taken: lines
/// that end in `\n` or `\r\n`, no other carriage return, no blank line and no cell starting with
/// whitespace at the start of a line; and double quotes only around simply quoted cells, as R's
/// `write.csv` and `csv.QUOTE_ALL` write them: `"` (after a cell's leading whitespace), then
/// anything but `"`, `,`, `\r` and `\n`, then `"` followed by a comma, a line break or the end of
/// the text. So no quote hides a line feed, and the rows are the lines, counted exactly before
/// reading, which the draw needs. Such text is cut at line feeds into one piece per thread, and
/// the pieces are parsed at once by the same rules as `CSVReader` (plain decimals read during the
/// scan, other numbers by `CSVNumber.parse`, which is `Double(String)` on the cell's text: inside
/// quotes, whitespace is kept, and makes the cell no number); each value depends on its cell
/// only, so results do not depend on the number of threads. Anything else (`""` inside quotes, a
/// quote inside a cell, a line break inside quotes, a closing quote followed by anything but a
/// comma or a line break), and any row `CSVDataset` would reject, makes `read` return `nil`: the
/// caller then reads the text row by row, which reports the problem where it is.
struct CSVBulkReader {
    /// Where the text comes from.
    enum Input {
        /// The file at `path`.
        case file(String)
        /// Bytes in memory.
        case bytes([UInt8])
    }

    /// What each column holds.
    enum Role: Equatable {
        /// The feature at this position of a sample's values.
        case feature(Int)
        case target
        /// A column that is not read.
        case ignored
    }

    /// What the target cells hold.
    enum TargetKind {
        /// Class labels: their texts, and their class indices while every one is an index.
        case classes
        /// Finite numbers.
        case values
    }

    /// The data rows read.
    struct Rows {
        var features: DatasetPreparation.DividedFeatures
        /// Each row's set, drawn before reading.
        var parts: [DatasetPart]
        /// The target cells' texts (classes), in row order.
        var texts: [String]
        /// The class indices of `texts`, if every one is an index (`classIndex`).
        var indices: [Int]?
        /// The target values (values), in row order.
        var values: [Double]
    }

    /// Bytes parsed at a time (on all threads together), by default.
    static let chunkSize = 16 << 20

    let input: Input
    /// Where the data rows start (after the header and its line break).
    let offset: Int
    /// The role of each column, in file order.
    let roles: [Role]
    /// The values per sample.
    let width: Int
    let targetKind: TargetKind
    let scale: Double
    /// The class index a target text spells, or `nil`.
    let classIndex: @Sendable (String) -> Int?
    var threads = processorCount
    var chunkSize = CSVBulkReader.chunkSize

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), point = UInt8(ascii: ".")
    private static let lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), minus = UInt8(ascii: "-")

    /// Why reading stopped: the text is not plain, or a row is not valid.
    private struct NotPlain: Error {}

    /// Counts the rows, draws each row's set with `draw(rowCount)`, and reads the rows into their
    /// sets; `nil` (with `draw` possibly called) if the text is not plain, has no rows, or holds a
    /// row that `CSVDataset` rejects.
    func read(draw: (Int) -> [DatasetPart]) -> Rows? {
        guard let source = Source(input), let rowCount = countRows(source), rowCount > 0 else { return nil }
        let parts = draw(rowCount)
        precondition(parts.count == rowCount, "The draw gives one part per row.")
        let counts = DatasetPart.allCases.map { part in parts.count { $0 == part } * width }
        var pieces: [Piece] = []
        let sets: [[Double]]
        do {
            sets = try LargeBuffer.arrays(counts: counts[...]) { sets throws(NotPlain) in
                // Where each row's values go, row by row.
                var nextRows = sets.map { $0.baseAddress }
                var destinations = [UnsafeMutablePointer<Double>]()
                destinations.reserveCapacity(rowCount)
                for part in parts {
                    destinations.append(nextRows[Int(part.rawValue)]!)
                    nextRows[Int(part.rawValue)]! += width
                }
                pieces = try destinations.withUnsafeBufferPointer { destinations throws(NotPlain) in
                    try parse(source, into: Destinations(rows: destinations))
                }
            }
        } catch {
            return nil
        }
        var rows = Rows(features: .init(training: sets[0], validation: sets[1], test: sets[2]), parts: parts, texts: [], indices: [], values: [])
        for piece in pieces {
            if rows.features.scaleOverflowFeature == nil { rows.features.scaleOverflowFeature = piece.scaleOverflowFeature }
            rows.texts += piece.texts
            rows.values += piece.values
            if let indices = piece.indices { rows.indices? += indices } else { rows.indices = nil }
        }
        return rows
    }

    // MARK: - Counting

    /// The lines of the text from `offset` on, or `nil` if it is not plain: lines ending in `\n`
    /// or `\r\n` (the last perhaps in nothing), none blank or starting with whitespace, and no
    /// `\r` but before a `\n`. Quotes are checked while parsing, which takes simply quoted cells
    /// only: then no line feed is quoted, and every line is a row.
    private func countRows(_ source: Source) -> Int? {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(chunkSize, 1 << 20), alignment: 64)
        defer { buffer.deallocate() }
        var position = offset, lineFeeds = 0, previous = Self.lineFeed
        var irregular = false
        while true {
            let read = source.read(into: buffer, at: position)
            guard read >= 0 else { return nil }
            if read == 0 { break }
            let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            // Branch-free sums over the bytes and the pairs of bytes, which the compiler vectorises.
            var found = bytes[0] == Self.lineFeed ? 1 : 0
            var bad = Self.isIrregular(previous, bytes[0])
            for index in 1..<read {
                let before = bytes[index - 1], byte = bytes[index]
                found &+= byte == Self.lineFeed ? 1 : 0
                bad |= Self.isIrregular(before, byte)
            }
            let before = bytes[read - 1]
            irregular = irregular || bad != 0
            lineFeeds += found
            previous = before
            position += read
        }
        // A carriage return at the very end is not before a line feed.
        guard !irregular, previous != Self.carriageReturn else { return nil }
        return lineFeeds + (previous == Self.lineFeed ? 0 : 1)
    }

    /// Whether `byte`, after `before`, follows a carriage return without being a line feed, or
    /// starts a blank line or a line with whitespace.
    @inline(__always)
    private static func isIrregular(_ before: UInt8, _ byte: UInt8) -> UInt8 {
        let startsLine: UInt8 = before == lineFeed ? 1 : 0
        let blank: UInt8 = (byte == lineFeed ? 1 : 0) | (byte == carriageReturn ? 1 : 0) | (byte == space ? 1 : 0) | (byte == tab ? 1 : 0)
        let strayReturn: UInt8 = (before == carriageReturn ? 1 : 0) & (byte != lineFeed ? 1 : 0)
        return strayReturn | (startsLine & blank)
    }

    // MARK: - Parsing

    /// Where each row's values go, by row number.
    private struct Destinations: @unchecked Sendable {
        let rows: UnsafeBufferPointer<UnsafeMutablePointer<Double>>
    }

    /// What one piece of text gave besides its features.
    private struct Piece {
        var texts: [String] = []
        var indices: [Int]? = []
        var values: [Double] = []
        /// The position in the sample of the first value of the piece the scale made infinite.
        var scaleOverflowFeature: Int?
    }

    /// Results of the threads, one slot each, written without copy-on-write checks.
    private final class Slots<Element>: @unchecked Sendable {
        let elements: UnsafeMutableBufferPointer<Element>
        init(repeating element: Element, count: Int) {
            elements = .allocate(capacity: count)
            elements.initialize(repeating: element)
        }
        deinit {
            elements.deinitialize()
            elements.deallocate()
        }
    }

    /// Reads the text in chunks, cuts each at line feeds into pieces, one per thread, and parses
    /// the pieces at once; the pieces' results in text order.
    private func parse(_ source: Source, into destinations: Destinations) throws(NotPlain) -> [Piece] {
        var capacity = chunkSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        var results: [Piece] = []
        var position = offset, kept = 0, nextRow = 0
        let threads = max(1, threads)
        while true {
            // Fill the buffer after the unfinished line kept from the last chunk.
            var filled = kept, atEnd = false
            while filled < capacity {
                let read = source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), at: position)
                guard read >= 0 else { throw NotPlain() }
                if read == 0 { atEnd = true; break }
                filled += read
                position += read
            }
            // Complete lines only, unless the text has ended.
            var end = filled
            if !atEnd {
                guard let last = UnsafeRawBufferPointer(rebasing: buffer[..<filled]).lastIndex(of: Self.lineFeed) else {
                    // A line longer than the buffer: make room and read on.
                    let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 64)
                    larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
                    buffer.deallocate()
                    (buffer, capacity, kept) = (larger, capacity * 2, filled)
                    continue
                }
                end = last + 1
            }
            let text = UnsafeRawBufferPointer(rebasing: buffer[..<end])
            let bounds = Self.cut(text, into: threads)
            let pieceCount = bounds.count - 1
            // The rows of each piece, to know where each starts.
            let rowCounts = Slots(repeating: 0, count: pieceCount)
            Self.perform(pieceCount) { piece in
                let bytes = UnsafeRawBufferPointer(rebasing: text[bounds[piece]..<bounds[piece + 1]])
                rowCounts.elements[piece] = Self.lineCount(bytes)
            }
            var firstRows = [Int](), total = nextRow
            for count in rowCounts.elements {
                firstRows.append(total)
                total += count
            }
            guard total <= destinations.rows.count else { throw NotPlain() }
            let pieces = Slots<Piece?>(repeating: nil, count: pieceCount)
            Self.perform(pieceCount) { piece in
                let bytes = UnsafeRawBufferPointer(rebasing: text[bounds[piece]..<bounds[piece + 1]])
                let rows = UnsafeBufferPointer(rebasing: destinations.rows[firstRows[piece]..<(firstRows[piece] + rowCounts.elements[piece])])
                pieces.elements[piece] = parsePiece(bytes, rows: rows)
            }
            for piece in pieces.elements {
                guard let piece else { throw NotPlain() }
                results.append(piece)
            }
            nextRow = total
            if atEnd { break }
            kept = filled - end
            if kept > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + end, byteCount: kept) }
        }
        guard nextRow == destinations.rows.count else { throw NotPlain() }
        return results
    }

    /// Offsets cutting `text` into at most `count` pieces, each after a line feed: the first 0 and
    /// the last `text.count`.
    private static func cut(_ text: UnsafeRawBufferPointer, into count: Int) -> [Int] {
        var bounds = [0]
        for piece in 1..<max(1, count) {
            let target = max(bounds.last!, text.count / count * piece)
            guard target < text.count, let lineFeed = text[target...].firstIndex(of: lineFeed) else { break }
            if lineFeed + 1 > bounds.last! { bounds.append(lineFeed + 1) }
        }
        if bounds.last! < text.count || bounds.count == 1 { bounds.append(text.count) }
        return bounds
    }

    /// The lines of `bytes`: its line feeds, and one more if it does not end in one.
    private static func lineCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var found = 0
        for byte in bytes { found &+= byte == lineFeed ? 1 : 0 }
        return found + (bytes.last.map { $0 != lineFeed } ?? false ? 1 : 0)
    }

    /// Runs `body` for `0..<count`, at once when there are several.
    private static func perform(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1 else { return body(0) }
        withoutActuallyEscaping(body) { body in
            // The threads write disjoint slots and read shared bytes no one writes.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
        }
    }

    private struct UncheckedSendable<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Parses the lines of `bytes`, one row each, writing row `i`'s features to `rows[i]`; `nil`
    /// at a row `CSVDataset` rejects (or a byte plain text does not hold, such as a quote that
    /// does not open or close a simply quoted cell).
    private func parsePiece(_ bytes: UnsafeRawBufferPointer, rows: UnsafeBufferPointer<UnsafeMutablePointer<Double>>) -> Piece? {
        var piece = Piece()
        let count = bytes.count, columnCount = roles.count
        // Feature position of each column, -1 for the target, -2 for a column not read.
        let positions = roles.map { role in
            switch role {
            case .feature(let position): position
            case .target: -1
            case .ignored: -2
            }
        }
        return positions.withUnsafeBufferPointer { positions -> Piece? in
            var index = 0
            for row in rows {
                var column = 0
                while true {
                    while index < count && (bytes[index] == Self.space || bytes[index] == Self.tab) { index += 1 }
                    // One cell, read as `CSVReader.scanRow` reads it. A quote is seen only where a
                    // digit is not, so that unquoted cells pay for quotes once per cell.
                    var start = index, isQuoted = false
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
                        // A carriage return is always before a line feed here (see `countRows`).
                        if byte == Self.comma || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                        if byte == 0 || byte == Self.quote {
                            // The closing quote of a quoted cell, or the opening one at the cell's start.
                            guard byte == Self.quote else { return nil }
                            if isQuoted { break }
                            guard index == start else { return nil }
                            isQuoted = true
                            index += 1
                            start = index
                            continue
                        }
                        if byte == Self.point && fractionDigits < 0 {
                            fractionDigits = digits
                        } else if !(byte == Self.minus && index == start) {
                            isSimple = false
                        }
                        index += 1
                    }
                    var end = index
                    if isQuoted {
                        // Closed before any comma or line break, and followed by one (or the end).
                        guard index < count, bytes[index] == Self.quote else { return nil }
                        index += 1
                        guard index == count || bytes[index] == Self.comma || bytes[index] == Self.lineFeed
                            || bytes[index] == Self.carriageReturn else { return nil }
                    } else {
                        while end > start && (bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab) { end -= 1 }
                    }
                    guard column < columnCount else { return nil }
                    let position = positions[column]
                    if position != -2 {
                        let cell = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                        if position >= 0 || targetKind == .values {
                            var value: Double
                            if isSimple, let magnitude = CSVNumber.simpleValue(mantissa: mantissa, digits: digits,
                                                                              fractionDigits: fractionDigits < 0 ? 0 : digits - fractionDigits) {
                                value = bytes[start] == Self.minus ? -magnitude : magnitude
                            } else {
                                guard let parsed = CSVNumber.parse(cell.assumingMemoryBound(to: UInt8.self)) else { return nil }
                                value = parsed
                            }
                            guard value.isFinite else { return nil }
                            if position >= 0 { row[position] = value } else { piece.values.append(value) }
                        } else {
                            guard start < end else { return nil }
                            let text = String(decoding: cell, as: UTF8.self)
                            if piece.indices != nil {
                                if let label = classIndex(text) { piece.indices!.append(label) } else { piece.indices = nil }
                            }
                            piece.texts.append(text)
                        }
                    }
                    column += 1
                    if index < count && bytes[index] == Self.comma {
                        index += 1
                        continue
                    }
                    break
                }
                guard column == columnCount else { return nil }
                // Past the line feed, or `\r\n` (or at the end of the text).
                index += index < count && bytes[index] == Self.carriageReturn ? 2 : 1
                if scale != 1 {
                    let values = UnsafeMutableBufferPointer(start: row, count: width)
                    for position in values.indices { values[position] *= scale }
                    if piece.scaleOverflowFeature == nil, !Self.isFinite(values) {
                        piece.scaleOverflowFeature = values.firstIndex { !$0.isFinite }
                    }
                }
            }
            // Every line was a row.
            return index >= count ? piece : nil
        }
    }

    /// Whether every value of `row` is finite, tested without an early exit (vectorised).
    @inline(never)
    private static func isFinite(_ row: UnsafeMutableBufferPointer<Double>) -> Bool {
        var nonFinite: UInt8 = 0
        for value in row { nonFinite |= value.isFinite ? 0 : 1 }
        return nonFinite == 0
    }

    // MARK: - Input

    /// The text's bytes, read at any offset.
    private final class Source: @unchecked Sendable {
        private let bytes: [UInt8]?
        private let descriptor: Int32

        init?(_ input: Input) {
            switch input {
            case .bytes(let bytes):
                self.bytes = bytes
                descriptor = -1
            case .file(let path):
                bytes = nil
                descriptor = open(path, O_RDONLY)
                guard descriptor >= 0 else { return nil }
            }
        }

        deinit {
            if descriptor >= 0 { _ = close(descriptor) }
        }

        /// Copies the bytes from `offset` on into `buffer`, as many as fit; the number copied (0 at
        /// the end), or -1 if the file cannot be read.
        func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
            if let bytes {
                let count = max(0, min(buffer.count, bytes.count - offset))
                bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
                return count
            }
            while true {
                let read = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
                if read >= 0 || errno != EINTR { return read }
            }
        }
    }
}
