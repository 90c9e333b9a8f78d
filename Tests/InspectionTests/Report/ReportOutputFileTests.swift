import Foundation
@testable import Inspection
import Runs
import RunTestSupport
import Testing

/// `ReportOutputFile`: a report replaces only a regular file outside what it reads, atomically,
/// and refuses links, directories, devices and paths inside its inputs with a sentence.
struct ReportOutputFileTests {
    @Test func aNewFileIsWrittenAndARegularFileIsReplacedAtomically() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = "\(folder)/report.html"
        try ReportOutputFile(path, inputs: ["\(folder)/runs"]).write("first")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first")
        // A hard link to the old page keeps the old page: the new one is a new file renamed over it.
        try FileManager.default.linkItem(atPath: path, toPath: "\(folder)/kept.html")
        try ReportOutputFile(path, inputs: []).write("second")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try String(contentsOfFile: "\(folder)/kept.html", encoding: .utf8) == "first")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["kept.html", "report.html", "tiny.yaml"])
    }

    @Test func linksDirectoriesAndDevicesAreRefused() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/link.html", withDestinationPath: "\(folder)/tiny.yaml")
        #expect(throws: RunStoreError("\(folder)/link.html is a symbolic link; a report does not replace links or write through them (give a new file's path, or a regular file's).")) {
            try ReportOutputFile("\(folder)/link.html", inputs: [])
        }
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/dangling.html", withDestinationPath: "\(folder)/nowhere.html")
        #expect(throws: RunStoreError("\(folder)/dangling.html is a symbolic link; a report does not replace links or write through them (give a new file's path, or a regular file's).")) {
            try ReportOutputFile("\(folder)/dangling.html", inputs: [])
        }
        #expect(throws: RunStoreError("\(folder) is a directory; give the path of the HTML file to write, such as \(folder)/report.html.")) {
            try ReportOutputFile(folder, inputs: [])
        }
        // A named pipe of its own rather than /dev/null, which other processes on the machine may touch.
        #expect(mkfifo("\(folder)/pipe", 0o600) == 0)
        #expect(throws: RunStoreError("\(folder)/pipe is not a regular file (a device, pipe or socket); give the path of the HTML file to write, or - for standard output.")) {
            try ReportOutputFile("\(folder)/pipe", inputs: [])
        }
        #expect(throws: RunStoreError("cannot write \(folder)/missing/report.html: the folder \(folder)/missing does not exist.")) {
            try ReportOutputFile("\(folder)/missing/report.html", inputs: [])
        }
        #expect(try String(contentsOfFile: "\(folder)/tiny.yaml", encoding: .utf8) == TinyRun.yaml)
    }

    @Test func aPathInsideARunOrSweepItReadsIsRefused() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try ReportFixtures.train(in: folder)
        let summary = try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8)
        #expect(throws: RunStoreError("\(run)/summary.json is inside \(run), which the report reads; write the report outside the runs and sweeps it reads.")) {
            try ReportOutputFile("\(run)/summary.json", inputs: [run])
        }
        #expect(throws: RunStoreError("\(run)/checkpoints/new.html is inside \(folder)/runs, which the report reads; write the report outside the runs and sweeps it reads.")) {
            try ReportOutputFile("\(run)/checkpoints/new.html", inputs: ["\(folder)/runs"])
        }
        // Another spelling of the same place is the same place.
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/alias", withDestinationPath: run)
        #expect(throws: RunStoreError("\(folder)/alias/../tiny/metrics.csv is inside \(run), which the report reads; write the report outside the runs and sweeps it reads.")) {
            try ReportOutputFile("\(folder)/alias/../tiny/metrics.csv", inputs: [run])
        }
        #expect(try String(contentsOfFile: "\(run)/summary.json", encoding: .utf8) == summary)
        // Beside the run, not in it: accepted.
        #expect(throws: Never.self) { try ReportOutputFile("\(folder)/runs/tiny.html", inputs: [run]) }
    }
}
