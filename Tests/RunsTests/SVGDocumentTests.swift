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

    /// Random values, every hundredth from -20 to 20 (trailing zeros: 0.1, 0.5, 3), the values
    /// halfway between hundredths, and their neighbours one ulp away.
    @Test func numbersArePrintfsHundredthsTrimmed() {
        var generator = RandomGenerator(seed: 7)
        var values = (0..<2_000).map { _ in Double.random(in: -1e4...1e4, using: &generator) }
        for hundredths in -2_000...2_000 {
            let value = Double(hundredths) / 100
            let half = (Double(hundredths) + 0.5) / 100
            values += [value, value.nextUp, value.nextDown, half, half.nextUp, half.nextDown]
        }
        values += [1e12, -1e12 + 0.125, 123_456.785, 1e-9, -1e-9, 0.004999, 0.005, 0.995, -0.995]
        for value in values {
            #expect(SVGDocument.number(value) == Self.printfText(value), "\(value)")
        }
    }
}
