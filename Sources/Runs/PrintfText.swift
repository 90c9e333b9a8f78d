import Foundation

/// `value` formatted by the C library's `printf` with `format` (one `double` conversion, such as
/// `"%.2f"` or `"%.3e"`): what `String(format:)` gives, for a fraction of its cost (no Foundation
/// formatter).
func printfText(_ format: String, _ value: Double) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buffer in
        _ = withVaList([value]) { vsnprintf(buffer.baseAddress!, buffer.count, format, $0) }
        return String(cString: buffer.baseAddress!)
    }
}

/// printf's `"%.Nf"` of `value` for `N = decimals` (0 to 6): the exact value rounded to `N`
/// decimals, `-` kept for negative values that round to zero. A plot formats thousands of
/// numbers, so most are written from `value × 10ᴺ` rounded to an integer, which gives printf's
/// digits whenever that product is farther from a half than its rounding error can reach; the
/// rest go through `printfText`.
func fixedPointText(_ value: Double, decimals: Int) -> String {
    precondition((0...6).contains(decimals), "fixedPointText takes 0 to 6 decimals; got \(decimals).")
    let scale = [1.0, 10, 100, 1_000, 10_000, 100_000, 1_000_000][decimals]
    let scaled = value * scale
    let rounded = scaled.rounded()
    // |scaled| < 10¹² makes its rounding error below 2⁻⁵³ × 10¹² ≈ 1.1 × 10⁻⁴.
    guard abs(scaled) < 1e12, abs(abs(scaled - rounded) - 0.5) > 1e-3 else {
        return printfText("%.\(decimals)f", value)
    }
    let units = UInt64(abs(rounded))
    let divisor = UInt64(scale)
    let sign = value.sign == .minus ? "-" : ""
    guard decimals > 0 else { return sign + String(units) }
    let fraction = String(units % divisor)
    return sign + String(units / divisor) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
