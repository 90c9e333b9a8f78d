import SHA256Kernels

/// The SHA-256 digest (FIPS 180-4) of some bytes, as 64 lowercase hexadecimal digits.
///
/// Written out here so that hashing a config needs no cryptography package; it is used to tie a
/// checkpoint to the exact resolved config it was trained with, and to notice a damaged
/// checkpoint, not for security.
public func sha256Hex<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var hasher = SHA256()
    hasher.update(Array(bytes))
    return hasher.finalize()
}

/// SHA-256 over bytes given piece by piece, so that a file of any size is hashed in constant memory.
///
/// The blocks go to `baifs_sha256_compress` (the `SHA256Kernels` C target), which uses the x86 SHA
/// extensions where the processor has them and portable C elsewhere: the same digest either way.
struct SHA256: Sendable {
    /// H0…H7, starting from the first 32 bits of the fractional parts of the square roots of the
    /// first eight primes.
    private var hash: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    /// Bytes of an incomplete 64-byte block.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Which code compresses the blocks.
    private let implementation: SHA256Implementation

    init(implementation: SHA256Implementation = .best) {
        self.implementation = implementation
        pending.reserveCapacity(64)
    }

    /// Adds `bytes` to the message.
    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds `bytes` to the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let taken = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<taken])
            offset = taken
            if pending.count == 64 {
                pending.withUnsafeBytes { compress($0, blocks: 1) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let blocks = (bytes.count - offset) / 64
        if blocks > 0 {
            compress(UnsafeRawBufferPointer(rebasing: bytes[offset...]), blocks: blocks)
            offset += 64 * blocks
        }
        if offset < bytes.count { pending.append(contentsOf: bytes[offset...]) }
    }

    /// The digest of the message so far, as 64 lowercase hexadecimal digits.
    mutating func finalize() -> String {
        let bitLength = length &* 8
        var padding: [UInt8] = [0x80]
        while (pending.count + padding.count) % 64 != 56 { padding.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { padding.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        let savedLength = length
        update(padding)
        length = savedLength
        let digits = Array("0123456789abcdef")
        var result = ""
        for word in hash {
            for shift in stride(from: 28, through: 0, by: -4) { result.append(digits[Int((word >> UInt32(shift)) & 0xF)]) }
        }
        return result
    }

    /// Processes the first `blocks` 64-byte blocks of `bytes`.
    private mutating func compress(_ bytes: UnsafeRawBufferPointer, blocks: Int) {
        guard let base = bytes.baseAddress else { return }
        hash.withUnsafeMutableBufferPointer { hash in
            baifs_sha256_compress(implementation.rawValue, hash.baseAddress, base.assumingMemoryBound(to: UInt8.self), blocks)
        }
    }
}

/// The code that compresses SHA-256's blocks. Both give the same digests; tests compare them.
enum SHA256Implementation: Int32, CaseIterable, Sendable {
    /// FIPS 180-4 in portable C.
    case portable = 0
    /// The x86 SHA extensions (SHA-NI); `portable` on a processor without them.
    case extensions = 1

    /// The fastest this processor has.
    static let best = SHA256Implementation(rawValue: baifs_sha256_supported_level()) ?? .portable
}
