/// The few protocol-buffer encodings a TensorBoard event needs, written by hand: varints,
/// 64-bit and 32-bit little-endian fields, and length-delimited fields, each after its key
/// `(field number << 3) | wire type`.
package struct ProtobufWriter {
    /// The message so far.
    package private(set) var bytes: [UInt8] = []

    package init() {}

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func appendKey(_ field: Int, wireType: UInt64) {
        appendVarint(UInt64(field) << 3 | wireType)
    }

    /// An `int64` field (wire type 0; negative values take ten bytes, as protobuf writes them).
    package mutating func int64(_ field: Int, _ value: Int64) {
        appendKey(field, wireType: 0)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A `double` field (wire type 1).
    package mutating func double(_ field: Int, _ value: Double) {
        appendKey(field, wireType: 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `float` field (wire type 5).
    package mutating func float(_ field: Int, _ value: Float) {
        appendKey(field, wireType: 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `bytes` or embedded-message field (wire type 2).
    package mutating func bytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, wireType: 2)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (wire type 2, UTF-8).
    package mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// An embedded message field, written by `body`.
    package mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        body(&inner)
        bytes(field, inner.bytes)
    }
}
