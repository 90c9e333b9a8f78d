import Baifs
import Testing

struct DoubleMessageTextTests {
    @Test func everyNaNIsNan() {
        let negativeNaN = -Double.nan
        #expect(negativeNaN.sign == .minus)
        #expect("\(negativeNaN)" == "-nan")  // what Swift and C print, and what this avoids
        #expect(negativeNaN.messageText == "nan")
        #expect(negativeNaN.formatted("%.5f") == "nan")
        #expect(Double.nan.formatted("%.4g") == "nan")
        #expect(Double.infinity.formatted("%.5f") == "inf")
        #expect((-Double.infinity).messageText == "-inf")
        #expect(0.1.messageText == "0.1")
        #expect(0.123456.formatted("%.4f") == "0.1235")
    }

    @Test func aNonFiniteLossIsReportedAsNan() {
        let error = TrainingError.nonFiniteLoss(epoch: 2, step: 7, value: -Double.nan)
        #expect(error.description.hasPrefix("the training loss became nan at epoch 2, step 7;"))
    }
}
