/// Parsing of decimal numbers straight from UTF-8 bytes, exactly as `Double(String)` parses them
/// but without making a string for the common case.
///
/// A cell of the form `[+-]digits[.digits][(e|E)[+-]digits]` whose significant digits, read as an
/// integer `m`, satisfy `m ≤ 2⁵³`, and whose decimal exponent `e` satisfies `|e| ≤ 22`, is exactly
/// `m · 10^e` or `m / 10^−e` rounded once, since `m` and `10^|e|` are both exact doubles (Clinger's
/// fast path); anything else is handed to `Double(String)`, which rounds correctly.
enum CSVNumber {
    /// `10^exponent` for `0 ≤ exponent ≤ 22`, all exact doubles.
    @inline(__always) static func power(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0; case 1: 1e1; case 2: 1e2; case 3: 1e3; case 4: 1e4; case 5: 1e5; case 6: 1e6; case 7: 1e7
        case 8: 1e8; case 9: 1e9; case 10: 1e10; case 11: 1e11; case 12: 1e12; case 13: 1e13; case 14: 1e14
        case 15: 1e15; case 16: 1e16; case 17: 1e17; case 18: 1e18; case 19: 1e19; case 20: 1e20; case 21: 1e21
        default: 1e22
        }
    }

    /// The value of a plain decimal whose `digits` digits (leading zeros included), read as the
    /// integer `mantissa`, have `fractionDigits` of them after the point: `mantissa / 10^fractionDigits`,
    /// correctly rounded since both are exact doubles when `digits ≤ 15`; `nil` for no digits or
    /// more than 15 (left to `parse`).
    @inline(__always) static func simpleValue(mantissa: UInt64, digits: Int, fractionDigits: Int) -> Double? {
        guard digits > 0, digits <= 15 else { return nil }
        return fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / power(fractionDigits)
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
        let value = exponent >= 0 ? Double(mantissa) * power(exponent) : Double(mantissa) / power(-exponent)
        return negative ? -value : value
    }

    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: bytes, as: UTF8.self))
    }
}
