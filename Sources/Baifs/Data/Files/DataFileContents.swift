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
    /// - Throws: `DataFileError` if the file cannot be read, its gzip data is damaged, or it
    ///   decompresses to more than `memoryLimit` bytes.
    public init(contentsOfFile path: String) throws(DataFileError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataFileError(path: path, location: .file, message: "cannot read file: no such file")
        }
        guard !isDirectory.boolValue else {
            throw DataFileError(path: path, location: .file, message: "cannot read file: it is a directory")
        }
        guard let bytes = Self.readBytes(path) else {
            throw DataFileError(path: path, location: .file, message: "cannot read file: permission denied or I/O error")
        }
        guard Gzip.isCompressed(bytes) else {
            self.init(bytes: bytes, path: path)
            return
        }
        do {
            self.init(bytes: try Gzip.decompress(bytes, limit: Self.decompressedLimit), path: path, wasDecompressed: true)
        } catch where error.exceedsLimit {
            throw DataFileError(path: path, location: .byte(error.offset),
                                message: "the gzip data decompresses to more than \(Self.decompressedLimit) bytes, half the physical memory, so it cannot be read (a decompression bomb, or data too large for this machine)")
        } catch {
            throw DataFileError(path: path, location: .byte(error.offset), message: "cannot decompress the gzip data: \(error.message)")
        }
    }

    /// The bytes of the file at `path`, read straight into one array (in huge pages: a large file
    /// read into small ones costs a page fault per 4 KiB), or `nil` if it cannot be read.
    private static func readBytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
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
