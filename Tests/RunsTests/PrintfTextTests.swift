import Baifs
import Foundation
@testable import Runs
import Testing

struct PrintfTextTests {
    @Test func printfTextIsStringFormat() {
        for value in [0.0, -0.0, 1.5, -2.25e-7, 123456789.125, .infinity, -.infinity] {
            for format in ["%.2f", "%.0f", "%.3e", "%g"] {
                #expect(printfText(format, value) == String(format: format, value), "\(format) of \(value)")
            }
        }
    }

    @Test(arguments: 0...6)
    func fixedPointTextAgreesWithPrintfEvenNextToAHalf(decimals: Int) {
        // Values whose last kept digit is followed by exactly or nearly a half (0.125 is exact in
        // binary; 0.145 is not), where rounding value × 10ᴺ could differ from printf's rounding
        // of the exact value, and negative values that round to zero.
        var values: [Double] = [0, -0.0, 0.125, -0.125, 0.375, 2.675, 0.145, 1.005, -1.005, 0.5, 2.5, -0.5,
                                1e10 + 0.125, 123456.785, -1e-9, 1e15, .nan, .infinity]
        for value in values { values += [value.nextUp, value.nextDown] }
        var generator = RandomGenerator(seed: UInt64(decimals))
        let unit = pow(10, -Double(decimals))
        for _ in 0..<10_000 {
            let scale = [1.0, 100, 1e4, 1e9].randomElement(using: &generator)!
            values.append(Double.random(in: -scale...scale, using: &generator))
            let half = (Double(Int.random(in: -100_000...100_000, using: &generator)) + 0.5) * unit
            values += [half, half.nextUp, half.nextDown]
        }
        for value in values where fixedPointText(value, decimals: decimals) != String(format: "%.\(decimals)f", value) {
            Issue.record("\(value): \(fixedPointText(value, decimals: decimals)) against printf's \(String(format: "%.\(decimals)f", value))")
        }
    }
}
