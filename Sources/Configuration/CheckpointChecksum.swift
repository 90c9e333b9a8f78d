import Foundation

/// The `checksum` of a checkpoint: its last key, `"checksum": "sha256:HEX"`, where HEX is the
/// SHA-256 of the document without that key in canonical form, that is with every space, tab
/// and line break outside strings removed:
///
///     canonical({"a": [1.0, 2.0],\n  "b": "x y"}) = {"a":[1.0,2.0],"b":"x y"}
///
/// So a checkpoint stays a readable, diffable JSON file, re-indenting it keeps it valid, and
/// any change to a key or a value (one digit) is caught. Every read of a checkpoint verifies it.
public enum CheckpointChecksum {
    /// The key of the checksum, the last key of every checkpoint: `checksum`.
    public static let key = "checksum"
    /// The prefix of the checksum's value, before the 64 hexadecimal digits: `sha256:`.
    public static let algorithm = "sha256:"

    /// Whether a reader insists on a checksum.
    public enum Requirement: Sendable {
        /// Run checkpoints (resume, infer, export, diff): a missing checksum is an error.
        case required
        /// `init_from`: parameters written by other tools have none; one that is there is verified.
        case verifiedIfPresent
    }

    /// Checks the checksum of the checkpoint `data` read from `path`, if it has one.
    ///
    /// - Returns: Whether the checkpoint has a checksum (which then matches).
    /// - Throws: `CheckpointChecksumError` when the checksum is malformed or does not match the content.
    @discardableResult
    public static func verify(_ data: Data, path: String) throws(CheckpointChecksumError) -> Bool {
        let found: (digest: String, contentEnd: Int)?? = data.withUnsafeBytes { bytes in
            trailingMember(in: bytes)
        }
        guard let found else {
            throw CheckpointChecksumError("\(path): the \"\(key)\" key is malformed; it must be the last key, \"\(key)\": \"\(algorithm)\" and 64 hexadecimal digits.")
        }
        guard let (digest, contentEnd) = found else { return false }
        let actual = data.withUnsafeBytes { bytes in
            var hasher = CanonicalJSONHasher()
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[0..<contentEnd]))
            return hasher.finalize(closing: "}")
        }
        guard actual == digest else {
            throw CheckpointChecksumError("\(path): the checkpoint is damaged: its content does not match its \"\(key)\" (\(algorithm)\(actual.prefix(12))… instead of \(algorithm)\(digest.prefix(12))…); it was changed after it was written.")
        }
        return true
    }

    /// `document` (a JSON object without a checksum, or with one, which is dropped) with a fresh
    /// checksum as its last key: for tests that change a checkpoint on purpose.
    package static func resealed(_ document: String) -> String {
        var bytes = Array(document.utf8)
        let found = bytes.withUnsafeBytes { trailingMember(in: $0) }
        if let found = found ?? nil {
            bytes.removeSubrange(found.contentEnd...)
        } else {
            while let last = bytes.last, isSpace(last) { bytes.removeLast() }
            bytes.removeLast()  // the closing brace
            while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        }
        var hasher = CanonicalJSONHasher()
        bytes.withUnsafeBytes { hasher.update($0) }
        let digest = hasher.finalize(closing: "}")
        return String(decoding: bytes, as: UTF8.self) + ",\n  \"\(key)\": \"\(algorithm)\(digest)\"\n}\n"
    }

    /// The error for a checkpoint without a checksum where one is required.
    public static func missing(_ path: String) -> CheckpointChecksumError {
        CheckpointChecksumError("\(path): the checkpoint has no \"\(key)\", so damage cannot be detected; baifs writes one as the last key of every checkpoint (this file was written by another program, or edited).")
    }

    /// The digest of a trailing `, "checksum": "sha256:HEX" }` and the offset of its comma;
    /// `.some(nil)` if the document does not end with a checksum key, `nil` if it ends with one
    /// that is malformed.
    package static func trailingMember(in bytes: UnsafeRawBufferPointer) -> (digest: String, contentEnd: Int)?? {
        var position = bytes.count
        func skipSpace() {
            while position > 0, isSpace(bytes[position - 1]) { position -= 1 }
        }
        func expect(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard position >= expected.count, zip(bytes[(position - expected.count)..<position], expected).allSatisfy({ $0 == $1 }) else { return false }
            position -= expected.count
            return true
        }
        skipSpace()
        guard expect("}") else { return .some(nil) }
        skipSpace()
        let valueEnd = position
        guard expect("\"") else { return .some(nil) }
        while position > 0, bytes[position - 1] != UInt8(ascii: "\""), bytes[position - 1] != UInt8(ascii: "\\") { position -= 1 }
        guard position > 0, bytes[position - 1] == UInt8(ascii: "\"") else { return .some(nil) }
        let value = String(decoding: bytes[position..<(valueEnd - 1)], as: UTF8.self)
        position -= 1
        skipSpace()
        guard expect(":") else { return .some(nil) }
        skipSpace()
        guard expect("\"\(key)\"") else { return .some(nil) }
        skipSpace()
        guard expect(",") else { return nil }
        let hex = value.dropFirst(algorithm.count)
        guard value.hasPrefix(algorithm), hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return (String(hex), position)
    }

    package static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// SHA-256 of a JSON text in canonical form: the bytes with spaces, tabs and line breaks outside
/// strings removed. Fed piece by piece, so that a checkpoint is hashed as it is written.
package struct CanonicalJSONHasher {
    private var hasher = SHA256()
    private var isInString = false
    private var isEscaped = false
    /// The canonical bytes of the piece being added (reused from piece to piece).
    private var kept: [UInt8] = []

    package init() {}

    /// Adds the canonical form of `bytes`, the next piece of the text.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        // The kept bytes go straight into `kept`'s storage, sized once for the whole piece.
        kept.removeAll(keepingCapacity: true)
        kept.append(contentsOf: repeatElement(0, count: bytes.count))
        var (count, isInString, isEscaped) = (0, self.isInString, self.isEscaped)
        kept.withUnsafeMutableBufferPointer { kept in
            for byte in bytes {
                if isInString {
                    if isEscaped {
                        isEscaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        isEscaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        isInString = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    isInString = true
                } else if CheckpointChecksum.isSpace(byte) {
                    continue
                }
                kept[count] = byte
                count += 1
            }
        }
        (self.isInString, self.isEscaped) = (isInString, isEscaped)
        kept.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The digest, after `closing` (the `}` that ends the document without its checksum key).
    package mutating func finalize(closing: String) -> String {
        Array(closing.utf8).withUnsafeBytes { update($0) }
        return hasher.finalize()
    }
}

/// A checkpoint whose checksum is missing, malformed or does not match; the message names the file.
public struct CheckpointChecksumError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The sentence that says what is wrong, starting with the checkpoint's path.
    public var message: String
    init(_ message: String) { self.message = message }
    /// What printing the error shows: `message`.
    public var description: String { message }
}
