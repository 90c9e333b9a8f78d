import Configuration
import Foundation
import Runs
import Sweeps

/// One self-contained HTML page of runs or of a sweep, as `baifs-run report` writes it.
///
/// The page is a single file with nothing to fetch: its style sheet and script are inline, its
/// data is one JSON document in a `<script type="application/json">` element, and a content
/// security policy forbids the browser any request, so it opens the same from a laptop's disk or
/// a cluster's shared file system. It holds no time stamp: the same runs give the same bytes.
public struct HTMLReport: Sendable {
    /// What the page shows.
    enum Content: Sendable {
        /// Run directories, or the trials of several sweeps, side by side.
        case runs(RunReport)
        /// One sweep: its ranked trials and their parallel coordinates.
        case sweep(SweepReport)
    }

    /// The page's `<title>` and heading: as given, or `N runs`, `NAME: run report`, `sweep NAME`.
    let title: String
    /// What the page shows.
    let content: Content
    /// The run and sweep directories the report reads, as given.
    public let inputDirectories: [String]

    /// Reads what `arguments` name: one sweep directory gives a sweep report; run directories
    /// (or several sweeps, for their trials' runs) give a report of runs.
    ///
    /// - Parameters:
    ///   - arguments: Run directories, or sweep directories.
    ///   - title: The page's title, or `nil` for one that names the runs or the sweep.
    /// - Throws: `RunStoreError` if an argument is neither a run nor a sweep directory, or a file
    ///   it holds is malformed.
    public init(arguments: [String], title: String? = nil) throws(RunStoreError) {
        precondition(!arguments.isEmpty, "A report needs at least one run or sweep directory.")
        let content: Content
        if arguments.count == 1, !FileManager.default.fileExists(atPath: "\(arguments[0])/config.yaml"),
           let directory = try? SweepDirectory(existing: arguments[0]) {
            content = .sweep(try SweepReport(directory))
        } else {
            content = .runs(try RunReport(arguments))
        }
        self.content = content
        self.title = title ?? {
            switch content {
            case .runs(let report): report.defaultTitle
            case .sweep(let report): report.defaultTitle
            }
        }()
        inputDirectories = arguments
    }

    /// The document the page's script draws from: `RunReport.json` or `SweepReport.json`.
    public var data: JSONValue {
        switch content {
        case .runs(let report): report.json
        case .sweep(let report): report.json
        }
    }

    /// The page.
    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
        <meta name="generator" content="baifs-run report">
        <title>\(Self.escapedText(title))</title>
        <style>
        \(Self.style)</style>
        <script>
        \(Self.errorScript)</script>
        </head>
        <body>
        <header class="page-header">
        <h1>\(Self.escapedText(title))</h1>
        <p id="report-subtitle" class="subtitle"></p>
        </header>
        <pre id="report-errors" class="report-errors" hidden></pre>
        <noscript><p class="notice">This report draws its tables and plots with JavaScript; allow scripts for this file to see them.</p></noscript>
        <main id="report"></main>
        <footer class="page-footer">Written by <code>baifs-run report</code>.</footer>
        <script type="application/json" id="report-data">
        \(Self.embeddedJSON(data))</script>
        <script>
        \(Self.script)</script>
        </body>
        </html>

        """
    }

    /// `text` with `&`, `<`, `>` and `"` escaped, for HTML text and attribute values (as in SVG).
    static func escapedText(_ text: String) -> String {
        SVGDocument.escaped(text)
    }

    /// `value` as JSON text that is safe inside a `<script>` element: every `<` is written
    /// `\u003c`, so that no `</script>` or `<!--` in a run's name or path can end or change the
    /// element. (A `<` can only be inside a JSON string, where the escape reads back the same.)
    static func embeddedJSON(_ value: JSONValue) -> String {
        value.text().replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// Collects the errors of the page's scripts before anything else runs, and shows them in
    /// `#report-errors` (which the browser tests read), so that a page that broke says so.
    static let errorScript = """
        "use strict";
        (function () {
          const errors = [];
          function show() {
            const box = document.getElementById("report-errors");
            if (!box || errors.length === 0) return;
            box.textContent = "This report hit an error; please report it with the file:\\n" + errors.join("\\n");
            box.hidden = false;
          }
          window.reportError = function (message) { errors.push(String(message)); show(); };
          window.addEventListener("error", function (event) {
            window.reportError((event.message || "error") + (event.lineno ? " (line " + event.lineno + ")" : ""));
          });
          window.addEventListener("unhandledrejection", function (event) {
            window.reportError("unhandled rejection: " + event.reason);
          });
          document.addEventListener("DOMContentLoaded", show);
        })();

        """
}
