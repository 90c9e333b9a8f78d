/// Parsing of decimal numbers straight from UTF-8 bytes, exactly as `Double(String)` parses them
/// but without making a string for the common case.
///
/// A cell of the form `[+-]digits[.digits][(e|E)[+-]digits]` whose significant digits, read as an
/// integer `m`, satisfy `m ≤ 2⁵³`, and whose decimal exponent `e` satisfies `|e| ≤ 22`, is exactly
/// `m · 10^e` or `m / 10^−e` rounded once, since `m` and `10^|e|` are both exact doubles (Clinger's
/// fast path); anything else is handed to `Double(String)`, which rounds correctly.
enum CSVNumber {
    private static let powers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The number spelled by `bytes`, or `nil` if they do not spell one.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0, digits = 0, exponent = 0, sawDigit = false
        while index < count, case let digit = bytes[index] &- 0x30, digit < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit); if mantissa != 0 { digits += 1 } } else { exponent += 1 }
            sawDigit = true
            index += 1
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, case let digit = bytes[index] &- 0x30, digit < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit); if mantissa != 0 { digits += 1 }; exponent -= 1 }
                sawDigit = true
                index += 1
            }
        }
        if sawDigit && index < count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0, sawExponentDigit = false
            while index < count, case let digit = bytes[index] &- 0x30, digit < 10 {
                if written < 10_000 { written = written * 10 + Int(digit) }
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return slowPath(bytes) }
            exponent += exponentNegative ? -written : written
        }
        guard sawDigit, index == count, digits < 19, mantissa <= 1 << 53, abs(exponent) <= 22 else { return slowPath(bytes) }
        let value = exponent >= 0 ? Double(mantissa) * powers[exponent] : Double(mantissa) / powers[-exponent]
        return negative ? -value : value
    }

    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }
}
