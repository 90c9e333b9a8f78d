import Foundation
@testable import Runs
import Testing

struct AtomicFileTests {
    /// The temporary file is a hidden sibling of the target, named after the host and process.
    @Test func temporaryFilesAreHiddenSiblings() {
        let suffix = "tmp-\(hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        #expect(AtomicFile.temporaryPath(for: "/a/b/last.json") == "/a/b/.last.json.\(suffix)")
        #expect(AtomicFile.temporaryPath(for: "runs/x/config.yaml") == "runs/x/.config.yaml.\(suffix)")
        #expect(AtomicFile.temporaryPath(for: "plot.svg") == ".plot.svg.\(suffix)")
        #expect(AtomicFile.temporaryPath(for: "/top.txt") == "/.top.txt.\(suffix)")
        #expect(AtomicFile.temporaryPath(for: "/a/é ü/n.json") == "/a/é ü/.n.json.\(suffix)")
    }

    /// A write replaces the file whole and leaves no temporary file behind; a copy too.
    @Test func writesReplaceWholeAndLeaveNothingBehind() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write("a longer first text\n", to: "\(folder)/f.txt")
        try AtomicFile.write("second\n", to: "\(folder)/f.txt")
        try AtomicFile.copy(from: "\(folder)/f.txt", to: "\(folder)/g.txt")
        #expect(try String(contentsOfFile: "\(folder)/f.txt", encoding: .utf8) == "second\n")
        #expect(try String(contentsOfFile: "\(folder)/g.txt", encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["f.txt", "g.txt"])
    }
}
