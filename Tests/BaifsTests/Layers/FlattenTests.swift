import Autograd
import Baifs
import Foundation
import Testing

struct FlattenTests {
    @Test func flattenKeepsTheBatchAndChannelRowColumnOrder() {
        let input = tensor(shape: [2, 2, 1, 2], values: [1, 2, 3, 4, 5, 6, 7, 8], in: Graph())
        let output = Flatten()(input)
        #expect(output.shape == [2, 4])
        #expect(output.values == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func zeroPadSurroundsEachPlaneWithZeros() {
        let input = tensor(shape: [1, 1, 1, 2], values: [1, 2], in: Graph())
        let padded = zeroPad(input, padding: 1)
        #expect(padded.shape == [1, 1, 3, 4])
        #expect(padded.values == [0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0])
    }
}
