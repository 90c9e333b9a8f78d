import Foundation

/// `value` formatted by the C library's `printf` with `format` (one `double` conversion, such as
/// `"%.2f"` or `"%.3e"`): what `String(format:)` gives, for a fraction of its cost (no Foundation
/// formatter; a plot formats thousands of numbers).
func printfText(_ format: String, _ value: Double) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buffer in
        _ = withVaList([value]) { vsnprintf(buffer.baseAddress!, buffer.count, format, $0) }
        return String(cString: buffer.baseAddress!)
    }
}
