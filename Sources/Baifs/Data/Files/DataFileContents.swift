import Foundation

/// The bytes of a data file, gzip-decompressed if they were compressed, with the path to report
/// in errors.
public struct DataFileContents: Sendable {
    /// The bytes (after decompression).
    public var bytes: [UInt8]
    /// The path reported in errors.
    public var path: String
    /// Whether `bytes` came out of gzip decompression, which changes how byte offsets are reported.
    public var wasDecompressed: Bool

    /// Wraps bytes already in memory.
    public init(bytes: [UInt8], path: String, wasDecompressed: Bool = false) {
        self.bytes = bytes
        self.path = path
        self.wasDecompressed = wasDecompressed
    }

    /// The most bytes data may take in memory: the machine's physical memory. A file that
    /// decompresses to more, or an array whose values as doubles would need more, cannot be
    /// trained on here, and allocating it would end the process instead of reporting it.
    public static var memoryLimit: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// The most bytes a compressed file may decompress to: half of `memoryLimit`, since its
    /// values are then converted to at least as many bytes of doubles while the bytes are held.
    static var decompressedLimit: Int { memoryLimit / 2 }

    /// Reads the file at `path`, decompressing it if it starts with the gzip magic number (as
    /// `.gz` files do, whatever their name).
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - declaredSize: For a format whose header says how large the file is (`.npy`, IDX): the
    ///     size declared by the header at the start of the given contents, `nil` if they hold no
    ///     whole header, or an error if the header is wrong. A compressed file is then decompressed
    ///     no further than that, so that a small file that decompresses to gigabytes (a bomb) is
    ///     refused after its header rather than after filling the memory.
    /// - Throws: `DataFileError` if the file cannot be read (or is a directory, device or
    ///   socket), its gzip data is damaged, it decompresses to more than `decompressedLimit` bytes
    ///   or to more than its header declares, or `declaredSize` throws.
    public init(contentsOfFile path: String,
                declaredSize: ((DataFileContents) throws(DataFileError) -> Int?)? = nil) throws(DataFileError) {
        // As for experiment and CSV files: a device or socket is refused by its kind (reading
        // /dev/zero would never end, and its size of 0 read as an empty file); a pipe is read to its end.
        let descriptor: Int32
        do {
            descriptor = try InputFile.open(path)
        } catch {
            throw DataFileError(path: path, location: .file, message: "cannot read file: \(error.reason)")
        }
        defer { _ = close(descriptor) }
        guard let bytes = Self.readBytes(descriptor) else {
            throw DataFileError(path: path, location: .file, message: "cannot read file: permission denied or I/O error")
        }
        guard Gzip.isCompressed(bytes) else {
            self.init(bytes: bytes, path: path)
            return
        }
        var declared: Int?
        if let declaredSize {
            // A .npy header is at most 65 KiB (version 1), an IDX header 1 KiB.
            let prefix: [UInt8]
            do {
                prefix = try Gzip.prefix(of: bytes, count: 1 << 17)
            } catch {
                throw DataFileError(path: path, location: .byte(error.offset), message: "cannot decompress the gzip data: \(error.message)")
            }
            declared = try declaredSize(DataFileContents(bytes: prefix, path: path, wasDecompressed: true))
        }
        let limit = min(declared ?? .max, Self.decompressedLimit)
        do {
            self.init(bytes: try Gzip.decompress(bytes, limit: limit), path: path, wasDecompressed: true)
        } catch where error.exceedsLimit {
            if let declared, declared == limit {
                throw DataFileError(path: path, location: .decompressedByte(declared),
                                    message: "the gzip data decompresses to more than the \(declared) bytes its header declares (more data follows the array, or it is a decompression bomb)")
            }
            throw DataFileError(path: path, location: .byte(error.offset),
                                message: "the gzip data decompresses to more than \(Self.decompressedLimit) bytes, half the physical memory, so it cannot be read (a decompression bomb, or data too large for this machine)")
        } catch {
            throw DataFileError(path: path, location: .byte(error.offset), message: "cannot decompress the gzip data: \(error.message)")
        }
    }

    /// The bytes of the open file `descriptor`, read straight into one array (in huge pages: a
    /// large file read into small ones costs a page fault per 4 KiB), or `nil` if it cannot be
    /// read. A pipe, whose size is not known, is read in chunks to its end.
    private static func readBytes(_ descriptor: Int32) -> [UInt8]? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        if status.st_mode & S_IFMT == S_IFIFO {
            var bytes = [UInt8](), chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let read = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
                if read < 0 && errno == EINTR { continue }
                if read < 0 { return nil }
                if read == 0 { return bytes }
                bytes.append(contentsOf: chunk[..<read])
            }
        }
        let size = Int(status.st_size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            LargeBuffer.adviseHugePages(buffer)
            while initialized < size {
                let read = Foundation.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if read <= 0 { failed = read < 0; break }
                initialized += read
            }
        }
        return failed ? nil : bytes
    }

    /// An error at byte `offset` of `bytes`.
    public func error(at offset: Int, _ message: String) -> DataFileError {
        DataFileError(path: path, location: wasDecompressed ? .decompressedByte(offset) : .byte(offset), message: message)
    }

    /// An error about the file as a whole.
    public func error(_ message: String) -> DataFileError {
        DataFileError(path: path, location: .file, message: message)
    }
}
