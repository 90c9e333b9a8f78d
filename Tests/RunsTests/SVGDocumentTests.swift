import Baifs
import Foundation
import Runs
import Testing

struct SVGDocumentTests {
    /// printf's "%.2f" with the trailing zeros trimmed, as `number(_:)` promises.
    static func printfText(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    @Test func numbersAreHundredthsWithoutTrailingZeros() {
        #expect(SVGDocument.number(12) == "12")
        #expect(SVGDocument.number(3.5) == "3.5")
        #expect(SVGDocument.number(-0.25) == "-0.25")
        #expect(SVGDocument.number(0.05) == "0.05")
        #expect(SVGDocument.number(-0.001) == "0")
        #expect(SVGDocument.number(-0.0) == "0")
        #expect(SVGDocument.number(1e15) == "1000000000000000")
    }

    @Test func numbersAgreeWithPrintfEvenNextToAHalf() {
        // Values whose hundredths end in exactly or nearly a half (0.125 is exact in binary; 0.145
        // is not), where rounding value × 100 could differ from printf's rounding of the exact value.
        var values: [Double] = [0.125, -0.125, 0.375, 2.675, 0.145, 1.005, 1.015, -1.005, 1e10 + 0.125, 123456.785]
        for value in values { values += [value.nextUp, value.nextDown] }
        var generator = RandomGenerator(seed: 7)
        for _ in 0..<20_000 {
            let scale = [1.0, 100, 1e4, 1e9].randomElement(using: &generator)!
            values.append(Double.random(in: -scale...scale, using: &generator))
            // Halves of hundredths, with a tiny error either way.
            let half = (Double(Int.random(in: -100_000...100_000, using: &generator)) + 0.5) / 100
            values += [half, half.nextUp, half.nextDown]
        }
        for value in values where SVGDocument.number(value) != Self.printfText(value) {
            Issue.record("\(value): \(SVGDocument.number(value)) against printf's \(Self.printfText(value))")
        }
    }
}
