import Configuration
import Foundation

extension Checkpoint {
    /// Writes the checkpoint atomically to `path`: the members of `json`, then its `checksum`
    /// (see `CheckpointChecksum`) as the last key.
    ///
    /// The text goes to the file and to the hasher a megabyte at a time, so the memory it takes
    /// does not grow with the model: no document-sized string is built.
    public func write(to path: String) throws(RunStoreError) {
        guard case .object(let members) = json else { preconditionFailure("A checkpoint's JSON is an object.") }
        do {
            try AtomicFile.write(to: path) { descriptor in
                var output = ChecksummedOutput(descriptor: descriptor, path: path)
                output.write("{\n")
                for (index, (key, value)) in members.enumerated() {
                    output.write(index == 0 ? "  " : ",\n  ")
                    output.write(quoted(key) + ": ")
                    value.write(to: &output, indent: 1)
                }
                let digest = output.finishContent()
                output.write(",\n  \(quoted(CheckpointChecksum.key)): \"\(CheckpointChecksum.algorithm)\(digest)\"\n}\n")
                try output.flush()
            }
        } catch let error as RunStoreError {
            throw error
        } catch {
            throw RunStoreError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// A text stream into a file descriptor, buffered, whose bytes also go to a canonical-JSON hasher
/// until `finishContent()`.
private struct ChecksummedOutput: TextOutputStream {
    let descriptor: Int32
    let path: String
    private var buffer: [UInt8] = []
    private var hasher: CanonicalJSONHasher? = CanonicalJSONHasher()
    /// The first write error; later writes are skipped, and `flush()` throws it.
    private var failure: RunStoreError?

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ text: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try? flush() }
    }

    /// Writes the buffered bytes out (and hashes them, before `finishContent()`).
    mutating func flush() throws(RunStoreError) {
        if let failure {
            buffer.removeAll()
            throw failure
        }
        let bytes = buffer
        if var running = hasher {
            bytes.withUnsafeBytes { running.update($0) }
            hasher = running
        }
        let reason: Int32? = bytes.withUnsafeBytes { AtomicFile.writeAllOrErrno($0, to: descriptor) }
        if let reason {
            let error = RunStoreError("cannot write \(path): \(String(cString: strerror(reason))).")
            failure = error
            throw error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the hashed content (the document without its closing brace) and returns its digest.
    mutating func finishContent() -> String {
        try? flush()
        var finished = hasher ?? CanonicalJSONHasher()
        hasher = nil
        return finished.finalize(closing: "}")
    }
}
