/// The arrays of a NumPy `.npz` archive, written by `numpy.savez` (stored) or
/// `numpy.savez_compressed` (deflate): a zip archive holding one `.npy` file per array, named
/// after the array (`features.npy` for `np.savez(path, features=…)`).
///
/// The zip structure read (PKWARE APPNOTE): the end-of-central-directory record (and its zip64
/// form, which NumPy's writer may use), the central directory's entries (with zip64 extra fields),
/// and each entry's local header, which locates its data. Entries are checked against their CRC-32.
public struct NPZArchive: Sendable {
    /// One member of the archive.
    private struct Entry: Sendable {
        var name: String
        var method: Int
        var flags: Int
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        /// Where the entry's central-directory record starts, for errors.
        var recordOffset: Int
    }

    /// The path errors report.
    public let path: String
    private let bytes: [UInt8]
    private let entries: [Entry]

    /// The names of the arrays, in archive order, without the `.npy` of the member names.
    public var arrayNames: [String] { entries.map { Self.arrayName(of: $0.name) } }

    /// Reads the archive at `path`.
    ///
    /// - Throws: `DataFileError` at the offending byte if it is not a readable zip archive.
    public init(contentsOfFile path: String) throws(DataFileError) {
        let contents = try DataFileContents(contentsOfFile: path)
        try self.init(contents: contents)
    }

    /// Reads an archive from `contents`, the bytes of a `.npz` file.
    ///
    /// - Throws: `DataFileError` at the offending byte if it is not a readable zip archive.
    public init(contents: DataFileContents) throws(DataFileError) {
        path = contents.path
        bytes = contents.bytes
        let bytes = self.bytes
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> Int? {
            let value = UInt64(u32(at)) | UInt64(u32(at + 4)) << 32
            return value <= UInt64(Int.max) ? Int(value) : nil
        }

        // The end-of-central-directory record: 22 bytes and a comment of up to 65535 bytes.
        var end = -1
        var candidate = bytes.count - 22
        while candidate >= max(0, bytes.count - 22 - 65535) {
            if bytes[candidate] == 0x50 && u32(candidate) == 0x0605_4B50 { end = candidate; break }
            candidate -= 1
        }
        guard end >= 0 else {
            let hint = bytes.starts(with: [0x93] + Array("NUMPY".utf8)) ? " (this is a .npy file: name it with features: and targets: instead of path:)" : ""
            throw contents.error(at: 0, "not an .npz (zip) archive: it has no end-of-central-directory record\(hint)")
        }
        var entryCount = u16(end + 10), directorySize = u32(end + 12), directoryOffset = u32(end + 16)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0, u32(locator) == 0x0706_4B50, let record = u64(locator + 8),
                  record <= bytes.count - 56, u32(record) == 0x0606_4B50,
                  let count = u64(record + 32), let size = u64(record + 40), let offset = u64(record + 48) else {
                throw contents.error(at: end, "the zip64 end-of-central-directory record is missing or damaged")
            }
            (entryCount, directorySize, directoryOffset) = (count, size, offset)
        }
        guard directoryOffset <= end, directorySize <= end - directoryOffset else {
            throw contents.error(at: end, "the central directory (\(directorySize) bytes at \(directoryOffset)) lies outside the archive")
        }

        var entries = [Entry]()
        var position = directoryOffset
        for _ in 0..<entryCount {
            guard position + 46 <= end, u32(position) == 0x0201_4B50 else {
                throw contents.error(at: position, "expected a central-directory entry (the archive is damaged)")
            }
            let nameLength = u16(position + 28), extraLength = u16(position + 30), commentLength = u16(position + 32)
            let recordEnd = position + 46 + nameLength + extraLength + commentLength
            guard recordEnd <= end else { throw contents.error(at: position, "a central-directory entry runs past the directory") }
            var entry = Entry(name: String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self),
                              method: u16(position + 10), flags: u16(position + 8), crc: UInt32(u32(position + 16)),
                              compressedSize: u32(position + 20), uncompressedSize: u32(position + 24),
                              localHeaderOffset: u32(position + 42), recordOffset: position)
            // The zip64 extra field (ID 1) holds, in this order, those of the sizes and offset that are all ones.
            var extra = position + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(extra), size = u16(extra + 2)
                guard size <= extraEnd - (extra + 4) else {
                    throw contents.error(at: extra, "an extra field of \(size) bytes runs past its central-directory entry (the archive is damaged)")
                }
                var field = extra + 4
                if id == 1 {
                    for keyPath in [\Entry.uncompressedSize, \Entry.compressedSize, \Entry.localHeaderOffset]
                    where entry[keyPath: keyPath] == 0xFFFF_FFFF && field + 8 <= extra + 4 + size {
                        guard let value = u64(field) else { throw contents.error(at: field, "a zip64 size is out of range") }
                        entry[keyPath: keyPath] = value
                        field += 8
                    }
                }
                extra += 4 + size
            }
            entries.append(entry)
            position = recordEnd
        }
        self.entries = entries
    }

    /// The array named `name` (with or without `.npy`).
    ///
    /// - Throws: `DataFileError` if there is no such array, or its member cannot be read or is not a valid `.npy` file;
    ///   errors inside the member report the path `archive.npz[member.npy]` and offsets within the member.
    public func array(named name: String) throws(DataFileError) -> NPYArray {
        try fileArray(named: name).decoded
    }

    /// The array named `name`, its numbers left packed as `NPYArray.read` leaves them; errors as `array(named:)`.
    func fileArray(named name: String) throws(DataFileError) -> FileArray {
        guard let entry = entries.first(where: { $0.name == name || Self.arrayName(of: $0.name) == name }) else {
            let names = arrayNames
            let suggestion = NameSuggestion.clause(for: name, among: names)
            // An archive may hold thousands of members with long names: the first ten, shortened, and their count.
            let shown = names.prefix(10).map { Excerpt.plain($0, limit: 40) }.joined(separator: ", ") + (names.count > 10 ? ", … (\(names.count) in all)" : "")
            throw DataFileError(path: path, location: .file,
                                message: "the archive has no array \(Excerpt.quoted(name))\(suggestion) (arrays: \(names.isEmpty ? "none" : shown))")
        }
        let member = try memberBytes(entry)
        return try NPYArray.read(DataFileContents(bytes: member, path: "\(path)[\(entry.name)]"))
    }

    /// The uncompressed bytes of `entry`, checked against its CRC-32.
    private func memberBytes(_ entry: Entry) throws(DataFileError) -> [UInt8] {
        func error(_ offset: Int, _ message: String) -> DataFileError {
            DataFileError(path: path, location: .byte(offset), message: "member \(Excerpt.quoted(entry.name)): \(message)")
        }
        guard entry.flags & 1 == 0 else { throw error(entry.recordOffset, "it is encrypted, which is not supported") }
        guard entry.method == 0 || entry.method == 8 else {
            throw error(entry.recordOffset, "it is compressed with method \(entry.method); only stored (0, numpy.savez) and deflate (8, numpy.savez_compressed) are read")
        }
        let header = entry.localHeaderOffset
        guard header <= bytes.count - 30,
              bytes[header..<(header + 4)].elementsEqual([0x50, 0x4B, 0x03, 0x04]) else {
            throw error(header, "its local header is missing (the archive is damaged)")
        }
        let dataStart = header + 30 + (Int(bytes[header + 26]) | Int(bytes[header + 27]) << 8)
            + (Int(bytes[header + 28]) | Int(bytes[header + 29]) << 8)
        guard dataStart <= bytes.count, entry.compressedSize <= bytes.count - dataStart else {
            throw error(bytes.count, "its \(entry.compressedSize) bytes of data run past the end of the archive (the file is truncated)")
        }
        let output: [UInt8]
        if entry.method == 0 {
            output = Array(bytes[dataStart..<(dataStart + entry.compressedSize)])
        } else {
            do {
                output = try bytes.withUnsafeBufferPointer { buffer throws(InflateError) in
                    let member = UnsafeBufferPointer(rebasing: buffer[..<(dataStart + entry.compressedSize)])
                    return try Inflate.decompress(member, from: dataStart, expectedSize: entry.uncompressedSize, limit: entry.uncompressedSize).output
                }
            } catch {
                throw DataFileError(path: path, location: .byte(error.offset), message: "member \(Excerpt.quoted(entry.name)): cannot decompress: \(error.message)")
            }
        }
        guard output.count == entry.uncompressedSize else {
            throw error(entry.recordOffset, "it holds \(output.count) bytes, but the archive records \(entry.uncompressedSize)")
        }
        let crc = CRC32.checksum(of: output)
        guard crc == entry.crc else {
            throw error(dataStart, "CRC-32 mismatch: its data has checksum \(String(crc, radix: 16)), the archive records \(String(entry.crc, radix: 16)) (the archive is damaged)")
        }
        return output
    }

    private static func arrayName(of member: String) -> String {
        member.hasSuffix(".npy") ? String(member.dropLast(4)) : member
    }
}
