import Foundation
import Testing

/// Chromium, run headless on a local page, for the tests of what `baifs-run report` draws: the
/// DOM after the page's scripts ran (`--dump-dom`) and the browser's log, in which every console
/// message and uncaught error of the page appears as a `CONSOLE` line (`--enable-logging=stderr`).
///
/// Debian packages it as `chromium` (`apt-get install chromium`; `.ci/run` installs it). Without it
/// the browser tests are skipped with the reason, unless `CI=true`, where they fail.
enum HeadlessBrowser {
    /// The browser on `PATH`, if any.
    static let executable: String? = ["chromium", "chromium-browser"].lazy.compactMap { name in
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }.first

    /// Whether the environment says this is CI, where a missing browser is a failure, not a skip.
    static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the browser tests run: the browser is there, or it must be.
    static let shouldRun = executable != nil || isRequired

    static let skipReason: Comment = "chromium is not installed (apt-get install -y chromium); with CI=true this test fails instead"

    /// What the browser made of a page.
    struct Page {
        /// The DOM once the page had loaded, serialised.
        var dom: String
        /// The browser's standard error.
        var log: String

        /// The page's console messages and uncaught errors, one per line of the log.
        var consoleMessages: [String] {
            log.split(separator: "\n").filter { $0.contains(":CONSOLE") || $0.contains("CONSOLE(") }.map(String.init)
        }

        /// The text of the element `<pre id="ID" …>…</pre>`, or `nil` if there is none.
        func preformattedText(id: String) -> String? {
            guard let start = dom.range(of: "<pre id=\"\(id)\""),
                  let open = dom.range(of: ">", range: start.upperBound..<dom.endIndex),
                  let close = dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex) else { return nil }
            return String(dom[open.upperBound..<close.lowerBound])
        }

        /// How many times `text` occurs in the DOM.
        func count(_ text: String) -> Int {
            dom.components(separatedBy: text).count - 1
        }
    }

    /// Loads `file` in a fresh headless browser (a 1200 × 900 window, its own profile) and returns
    /// the DOM and the log; gives up after `timeout` seconds, stopping the browser it started.
    static func load(_ file: URL, timeout: TimeInterval = 180) throws -> Page {
        let executable = try #require(executable, "CI=true, but there is no chromium on PATH to test the report in")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let domFile = scratch.appendingPathComponent("dom.html"), logFile = scratch.appendingPathComponent("log.txt")
        _ = FileManager.default.createFile(atPath: domFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                             "--window-size=1200,900", "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
                             "--dump-dom", file.absoluteString]
        // Files, not pipes: the browser writes more than a pipe holds before it exits.
        process.standardOutput = try FileHandle(forWritingTo: domFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("chromium did not finish loading \(file.path) within \(Int(timeout)) s; it was stopped")
        }
        #expect(process.terminationStatus == 0, "chromium exited with status \(process.terminationStatus)")
        return Page(dom: try String(contentsOf: domFile, encoding: .utf8), log: try String(contentsOf: logFile, encoding: .utf8))
    }

    /// Loads `report` with `script` run after the page's own scripts, as a user's clicks would come
    /// after the page drew; the script writes what it saw into `<pre id="interaction-results">`
    /// as JSON, which is returned with the page.
    static func load(_ report: URL, running script: String) throws -> (page: Page, results: [String: Any]) {
        let html = try String(contentsOf: report, encoding: .utf8)
        let closing = try #require(html.range(of: "</body>", options: .backwards))
        let page = report.deletingPathExtension().appendingPathExtension("interactions.html")
        var interactive = html
        interactive.replaceSubrange(closing, with: """
            <script>
            (function () {
              const results = {};
              try {
            \(script)
              } catch (error) {
                results.error = String(error && error.stack ? error.stack : error);
              }
              const output = document.createElement("pre");
              output.id = "interaction-results";
              output.textContent = JSON.stringify(results);
              document.body.append(output);
            })();
            </script>
            </body>
            """)
        try interactive.write(to: page, atomically: true, encoding: .utf8)
        let loaded = try load(page)
        let text = try #require(loaded.preformattedText(id: "interaction-results"), "the interaction script did not run")
        let json = text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (loaded, results)
    }
}
