import Baifs
import Testing

struct CSVFeatureTableTests {
    @Test func readsTheRequestedColumnsInTheirOrder() throws {
        let table = try CSVFeatureTable(parsing: "a,b,c\n1,2,3\n4,5,6\n", path: "input.csv", columns: ["c", "a"])
        #expect(table.columns == ["c", "a"])
        #expect(table.features == [3, 1, 6, 4])
        #expect(table.count == 2)
    }

    @Test func aWideInputIsReadInTimeLinearInItsColumns() throws {
        let count = 200_000
        let names = (0..<count).map { "f\($0)" }
        let text = names.joined(separator: ",") + "\n" + Array(repeating: "1", count: count).joined(separator: ",") + "\n"
        let table = try CSVFeatureTable(parsing: text, path: "input.csv", columns: names.reversed())
        #expect(table.columns.first == "f\(count - 1)")
        #expect(table.features.count == count)
    }

    @Test func aMissingColumnIsNamedInOneBoundedLine() {
        let names = (0..<1000).map { "column\($0)\n" }
        let text = names.map { "\"\($0)\"" }.joined(separator: ",") + "\n" + Array(repeating: "1", count: 1000).joined(separator: ",") + "\n"
        do {
            _ = try CSVFeatureTable(parsing: text, path: "input.csv", columns: ["x"] + names)
            Issue.record("The table was read.")
        } catch {
            #expect(error.description.hasPrefix("input.csv:1:1: error: the input has no column 'x'; the model needs the columns x, column0\\n, "))
            #expect(error.description.hasSuffix("… (1000 in all)"))
            #expect(!error.description.contains("\n"))
        }
    }
}
