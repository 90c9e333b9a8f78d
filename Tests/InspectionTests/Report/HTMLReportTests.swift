import Configuration
import Foundation
@testable import Inspection
import Runs
import Testing

/// `HTMLReport`: which report the arguments make, and a page that is one self-contained,
/// deterministic file whose data no run name can break out of. (What the page draws is tested in
/// a real browser, in CommandLineTests.)
struct HTMLReportTests {
    /// The text of the page's `<script type="application/json">` element.
    func embeddedData(_ html: String) throws -> String {
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"report-data\">\n"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test func oneSweepMakesASweepReportAndRunsMakeAReportOfRuns() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = try ReportFixtures.runSweep(in: folder)
        let run = try ReportFixtures.train(["name=alone"], in: folder)

        let sweepReport = try HTMLReport(arguments: [sweep.path])
        guard case .sweep = sweepReport.content else { Issue.record("a sweep directory made \(sweepReport.content)"); return }
        #expect(sweepReport.title == "sweep tiny-sweep")
        #expect(sweepReport.inputDirectories == [sweep.path])

        let single = try HTMLReport(arguments: [run])
        guard case .runs(let runs) = single.content else { Issue.record("a run directory made \(single.content)"); return }
        #expect(runs.runs.count == 1 && single.title == "alone: run report")

        let mixed = try HTMLReport(arguments: [sweep.path, run], title: "lr and batch")
        guard case .runs(let all) = mixed.content else { Issue.record("a sweep and a run made \(mixed.content)"); return }
        #expect(all.runs.count == 5 && mixed.title == "lr and batch")
    }

    @Test func thePageIsOneFileThatFetchesNothing() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = try ReportFixtures.runSweep(in: folder)
        for report in [try HTMLReport(arguments: [sweep.path]), try HTMLReport(arguments: [sweep.runPath(of: "trial-0001"), sweep.runPath(of: "trial-0002")])] {
            let html = report.html
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
            #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'\">"))
            for reference in ["src=", "href=", "@import", "url(", "<link", "<img", "<iframe", "fetch(", "XMLHttpRequest"] {
                #expect(!html.contains(reference), "the page holds \(reference)")
            }
            // The one address is the SVG namespace, which names elements and is never fetched.
            #expect(html.components(separatedBy: "://").count - 1 == 1 && html.contains("\"http://www.w3.org/2000/svg\""))
            #expect(html.components(separatedBy: "<script").count - 1 == 3)
            #expect(try embeddedData(html) == report.data.text())
        }
    }

    @Test func theSameRunsGiveTheSameBytes() throws {
        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = try ReportFixtures.runSweep(in: folder)
        let first = try HTMLReport(arguments: [sweep.path]).html
        // Over a second later, so that a time stamp (or a file's modification time) would show.
        Thread.sleep(forTimeInterval: 1.1)
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: "\(sweep.path)/manifest.jsonl")
        let second = try HTMLReport(arguments: [sweep.path]).html
        #expect(first == second)
    }

    @Test func noTextCanEndTheDataOrTheTitle() throws {
        let hostile = "</script><script>alert(1)</script><!-- \u{2028} & \"quoted\""
        let value = JSONValue.object([("name", .string(hostile))])
        let embedded = HTMLReport.embeddedJSON(value)
        #expect(!embedded.contains("<"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(embedded.utf8)) as? [String: String])
        #expect(object == ["name": hostile])

        let folder = try ReportFixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try ReportFixtures.train(in: folder)
        let html = try HTMLReport(arguments: [run], title: hostile).html
        #expect(html.contains("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- \u{2028} &amp; &quot;quoted&quot;</title>"))
        #expect(html.components(separatedBy: "</script>").count - 1 == 3)
    }
}
