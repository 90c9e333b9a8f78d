import Foundation
import Testing

/// End-to-end tests of `baifs-run report`: the file it writes (or refuses to write), and what a
/// real browser draws from it — with no error, one table row per trial, and the clicks, drags and
/// hovers doing what the page says.
@Suite(.serialized)
struct ReportCommandTests {
    /// A scratch folder with the quick sweep (four trials) in `runs/quick`.
    func sweepFolder() throws -> URL {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        let sweep = try BaifsRunProcess.run(["sweep", "quick.yaml", "--jobs", "2", "--quiet"], in: folder)
        try #require(sweep.status == 0, "\(sweep.standardError)")
        return folder
    }

    /// Three runs of five epochs in `folder`: two learning rates, and the third holding out a
    /// test set, which it evaluates into its summary.
    func threeRuns(in folder: URL) throws -> [String] {
        try [("slow", ["optimizer.learning_rate=0.02"]), ("fast", []), ("tested", ["dataset.test_fraction=0.2"])].map { name, overrides in
            let run = try BaifsRunProcess.run(["experiments/mlp.yaml", "--set", "training.epochs=5", "--set", "dataset.samples=60"]
                                               + overrides.flatMap { ["--set", $0] } + ["--name", name, "--quiet"], in: folder)
            try #require(run.status == 0, "\(run.standardError)")
            return run.lastLine
        }
    }

    /// `summary.json`'s test evaluation, read exactly.
    struct TestSummary: Decodable {
        var test: [String: [String: Double]?]?
    }

    /// The value of `column` at `epoch` in a run's `metrics.csv`.
    func metric(_ column: String, epoch: Int, of run: URL) throws -> Double {
        let lines = try String(contentsOf: run.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        let index = try #require(header.firstIndex(of: column))
        return try #require(Double(lines[epoch].split(separator: ",", omittingEmptySubsequences: false)[index]))
    }

    // MARK: - The file

    @Test func aReportIsWrittenAtomicallyTheSameEachTimeAndToStandardOutputWithADash() throws {
        let folder = try sweepFolder()
        let first = try BaifsRunProcess.run(["report", "runs/quick", "-o", "report.html"], in: folder)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput == "report.html\n" && first.standardError.isEmpty)
        let written = try Data(contentsOf: folder.appendingPathComponent("report.html"))

        let again = try BaifsRunProcess.run(["report", "runs/quick/", "--output", "report.html"], in: folder)
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("report.html")) == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("report") } == ["report.html"])

        let standardOutput = try BaifsRunProcess.run(["report", "runs/quick", "-o", "-"], in: folder)
        #expect(standardOutput.status == 0 && Data(standardOutput.standardOutput.utf8) == written)

        let titled = try BaifsRunProcess.run(["report", "runs/quick/trials/trial-0001", "runs/quick/trials/trial-0002", "-o", "-",
                                              "--title", "two trials"], in: folder)
        #expect(titled.standardOutput.contains("<title>two trials</title>"))
    }

    @Test func outputsTheReportDoesNotOwnAndMissingInputsAreRefused() throws {
        let folder = try sweepFolder()
        let summary = try Data(contentsOf: folder.appendingPathComponent("runs/quick/summary.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.html").path, withDestinationPath: "quick.yaml")
        #expect(mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0)

        let cases: [(arguments: [String], message: String)] = [
            (["runs/quick", "-o", "link.html"],
             "error: link.html is a symbolic link; a report does not replace links or write through them (give a new file's path, or a regular file's).\n"),
            (["runs/quick", "-o", "runs"], "error: runs is a directory; give the path of the HTML file to write, such as runs/report.html.\n"),
            (["runs/quick", "-o", "runs/quick/summary.csv"],
             "error: runs/quick/summary.csv is inside runs/quick, which the report reads; write the report outside the runs and sweeps it reads.\n"),
            (["runs/quick", "-o", "pipe"],
             "error: pipe is not a regular file (a device, pipe or socket); give the path of the HTML file to write, or - for standard output.\n"),
            (["runs/missing", "-o", "report.html"],
             "error: runs/missing is neither a run directory (with config.yaml) nor a sweep directory (with sweep.json and manifest.jsonl).\n"),
        ]
        for (arguments, message) in cases {
            let result = try BaifsRunProcess.run(["report"] + arguments, in: folder)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.standardError == message)
            #expect(result.standardOutput.isEmpty)
        }
        #expect(try Data(contentsOf: folder.appendingPathComponent("runs/quick/summary.csv")) == summary)
        #expect(try String(contentsOf: folder.appendingPathComponent("quick.yaml"), encoding: .utf8) == SweepFiles.quickSweep)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.html").path))

        let noOutput = try BaifsRunProcess.run(["report", "runs/quick"], in: folder)
        #expect(noOutput.status == 64)
        #expect(noOutput.standardError.hasPrefix("Error: Missing expected argument '--output <report.html>'"))
    }

    // MARK: - In a browser

    @Test(.enabled(if: HeadlessBrowser.shouldRun, HeadlessBrowser.skipReason))
    func aSweepReportLoadsWithoutErrorsWithOneRowAndOneLinePerTrial() throws {
        let folder = try sweepFolder()
        #expect(try BaifsRunProcess.run(["report", "runs/quick", "-o", "sweep.html"], in: folder).status == 0)
        let page = try HeadlessBrowser.load(folder.appendingPathComponent("sweep.html"))

        #expect(page.dom.contains("<body data-state=\"ready\">"), "the page's script did not finish")
        #expect(page.preformattedText(id: "report-errors") == "")
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        let trials = try SweepFiles.manifest(folder.appendingPathComponent("runs/quick")).compactMap { $0["id"] as? String }
        #expect(trials.count == 4)
        #expect(page.count("<tr data-trial=") == trials.count)
        #expect(page.count("<path class=\"trial") == trials.count)
        for trial in trials {
            // Its row in the table and its line on the plot.
            #expect(page.count("<tr data-trial=\"\(trial)\"") == 1)
            #expect(page.count("data-trial=\"\(trial)\"") == 2)
        }
        #expect(page.count("<g class=\"axis\" data-axis=") == 3)
        // The best trial's section, with its curves.
        let best = try SweepFiles.summary(folder.appendingPathComponent("runs/quick"))[1][1]
        #expect(page.dom.contains("<h2>Best trial: \(best)</h2>"))
        #expect(page.count("data-series=\"train_loss\"") == 1 && page.count("data-series=\"val_accuracy\"") == 1)
    }

    @Test(.enabled(if: HeadlessBrowser.shouldRun, HeadlessBrowser.skipReason))
    func aSweepWhoseTrialsHaveNotRunLoadsWithARowPerTrialAndNoPlot() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        try SweepFiles.write(SweepFiles.quickSweep, to: "quick.yaml", in: folder)
        #expect(try BaifsRunProcess.run(["sweep", "quick.yaml", "--emit", "parallel"], in: folder).status == 0)
        #expect(try BaifsRunProcess.run(["report", "runs/quick", "-o", "pending.html"], in: folder).status == 0)
        let page = try HeadlessBrowser.load(folder.appendingPathComponent("pending.html"))

        #expect(page.dom.contains("<body data-state=\"ready\">"), "the page's script did not finish")
        #expect(page.preformattedText(id: "report-errors") == "")
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        #expect(page.count("<tr data-trial=") == 4)
        #expect(page.count("<td class=\"status-pending\">pending</td>") == 4)
        #expect(page.count("<svg class=\"parallel\"") == 0 && !page.dom.contains("<h2>Best trial"))
        #expect(page.dom.contains("<p class=\"hint\">No trial has completed yet"))
    }

    @Test(.enabled(if: HeadlessBrowser.shouldRun, HeadlessBrowser.skipReason))
    func sortingBrushingAndHoveringTheSweepReportWork() throws {
        let folder = try sweepFolder()
        #expect(try BaifsRunProcess.run(["report", "runs/quick", "-o", "sweep.html"], in: folder).status == 0)
        let (page, results) = try HeadlessBrowser.load(folder.appendingPathComponent("sweep.html"), running: """
              const rows = () => Array.from(document.querySelectorAll("tbody tr[data-trial]"));
              const visible = () => rows().filter((row) => !row.hidden).map((row) => row.dataset.trial);
              const header = (label) => Array.from(document.querySelectorAll("thead th button")).find((button) => button.textContent === label);
              header("trial").click();
              results.byTrial = rows().map((row) => row.dataset.trial);
              header("trial").click();
              results.byTrialReversed = rows().map((row) => row.dataset.trial);
              header("training.batch_size").click();
              results.batchSizes = rows().map((row) => row.children[4].textContent);

              // Drag along the learning-rate axis from its top to three quarters up.
              const area = document.querySelector('rect.brush-area[data-axis="optimizer.learning_rate"]');
              const box = area.getBoundingClientRect();
              const x = box.left + box.width / 2;
              const at = (position) => box.top + 6 + (1 - position) * (box.height - 12);
              area.dispatchEvent(new MouseEvent("mousedown", {bubbles: true, clientX: x, clientY: at(1)}));
              window.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: at(0.75)}));
              window.dispatchEvent(new MouseEvent("mouseup", {clientX: x, clientY: at(0.75)}));
              results.brushed = visible();
              results.dimmed = Array.from(document.querySelectorAll("path.trial.filtered-out")).map((line) => line.dataset.trial);
              results.count = document.querySelector("p.count").textContent;

              // A click on the axis clears its range.
              area.dispatchEvent(new MouseEvent("mousedown", {bubbles: true, clientX: x, clientY: at(0.5)}));
              window.dispatchEvent(new MouseEvent("mouseup", {clientX: x, clientY: at(0.5)}));
              results.cleared = visible();

              // Hovering a row thickens its line.
              rows()[0].dispatchEvent(new MouseEvent("mouseenter"));
              results.hoveredRow = rows()[0].dataset.trial;
              results.hoveredLines = Array.from(document.querySelectorAll("path.trial.hover")).map((line) => line.dataset.trial);
            """)
        #expect(results["error"] == nil, "\(results["error"] ?? "")")
        #expect(page.preformattedText(id: "report-errors") == "")
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")

        let trials = ["trial-0001", "trial-0002", "trial-0003", "trial-0004"]
        #expect(results["byTrial"] as? [String] == trials)
        #expect(results["byTrialReversed"] as? [String] == trials.reversed())
        #expect(results["batchSizes"] as? [String] == ["8", "8", "16", "16"], "batch sizes sort as numbers")
        // The quick sweep's learning rates are 0.05 and 0.1: the top quarter holds the 0.1 trials.
        let manifest = try SweepFiles.manifest(folder.appendingPathComponent("runs/quick"))
        let fast = manifest.filter { ($0["overrides"] as? [String] ?? []).contains("optimizer.learning_rate=0.1") }.compactMap { $0["id"] as? String }
        #expect(fast == ["trial-0003", "trial-0004"])
        #expect(Set(results["brushed"] as? [String] ?? []) == Set(fast))
        #expect(Set(results["dimmed"] as? [String] ?? []) == Set(trials).subtracting(fast))
        #expect((results["count"] as? String)?.hasPrefix("Showing 2 of 4 trials (filtered on the plot)") == true)
        #expect(Set(results["cleared"] as? [String] ?? []) == Set(trials))
        #expect(results["hoveredLines"] as? [String] == [results["hoveredRow"] as? String ?? ""])
    }

    @Test(.enabled(if: HeadlessBrowser.shouldRun, HeadlessBrowser.skipReason))
    func aReportOfRunsShowsTheirCurvesDifferencesAndTestMetricsAndItsControlsWork() throws {
        let folder = try BaifsRunProcess.scratchFolder()
        let runs = try threeRuns(in: folder)
        let written = try BaifsRunProcess.run(["report"] + runs + ["-o", "runs.html"], in: folder)
        #expect(written.status == 0, "\(written.standardError)")

        let page = try HeadlessBrowser.load(folder.appendingPathComponent("runs.html"))
        #expect(page.dom.contains("<body data-state=\"ready\">"), "the page's script did not finish")
        #expect(page.preformattedText(id: "report-errors") == "")
        #expect(page.consoleMessages.isEmpty, "\(page.consoleMessages)")
        #expect(page.count("class=\"legend-item\"") == 3)
        for index in 0..<3 {
            // Loss and accuracy, training and validation, and the learning rate (it differs), for every run.
            #expect(page.count("data-run=\"\(index)\" data-series=") == 5)
        }
        #expect(page.dom.contains("<tr data-row=\"optimizer.learning_rate\"><th scope=\"row\">optimizer.learning_rate</th><td class=\"number\">0.02</td><td class=\"number\">0.1</td><td class=\"number\">0.1</td></tr>"))
        #expect(page.dom.contains("<tr data-row=\"dataset.test_fraction\"><th scope=\"row\">dataset.test_fraction</th><td class=\"number\">0.0</td><td class=\"number\">0.0</td><td class=\"number\">0.2</td></tr>"))
        // The test evaluation of the run with a test set, to five significant digits.
        let summary = try JSONDecoder().decode(TestSummary.self, from: Data(contentsOf: folder.appendingPathComponent("\(runs[2])/summary.json")))
        let testLoss = try #require(summary.test?["final"]??["loss"])
        #expect(page.dom.contains("<tr data-row=\"loss (final parameters)\"><th scope=\"row\">loss (final parameters)</th><td class=\"number\">—</td><td class=\"number\">—</td><td class=\"number\">\(String(format: "%.5g", testLoss))</td></tr>"))
        #expect(page.dom.contains("<tr data-row=\"accuracy (best parameters)\">"))

        let (interactive, results) = try HeadlessBrowser.load(folder.appendingPathComponent("runs.html"), running: """
              const paths = (run) => document.querySelectorAll('svg.chart path.curve[data-run="' + run + '"]').length;
              const legend = document.querySelector('.legend-item[data-run="0"]');
              results.before = [0, 1, 2].map(paths);
              legend.click();
              results.hidden = [0, 1, 2].map(paths);
              results.pressed = legend.getAttribute("aria-pressed");
              legend.click();
              results.shown = [0, 1, 2].map(paths);

              // Hover the middle of the loss plot: epoch 3 of 1 to 5.
              const loss = document.querySelector('figure[data-panel="loss"]');
              const overlay = Array.from(loss.querySelectorAll("svg rect")).pop();
              const box = overlay.getBoundingClientRect();
              overlay.dispatchEvent(new MouseEvent("mousemove", {bubbles: true, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2}));
              const tooltip = loss.querySelector(".tooltip");
              results.tooltipShown = !tooltip.hidden;
              results.tooltipTitle = tooltip.querySelector(".tooltip-title").textContent;
              results.tooltipRows = Array.from(tooltip.querySelectorAll(".tooltip-row")).map((row) => row.textContent);

              // The loss starts on a log scale; unticking the box draws it linear (the ticks move).
              const ticks = () => Array.from(loss.querySelectorAll("svg > text")).map((text) => text.textContent + "@" + text.getAttribute("y")).join(" ");
              const checkbox = loss.querySelector("input[type=checkbox]");
              results.logChecked = checkbox.checked;
              results.logTicks = ticks();
              checkbox.click();
              results.linearTicks = ticks();
            """)
        #expect(results["error"] == nil, "\(results["error"] ?? "")")
        #expect(interactive.preformattedText(id: "report-errors") == "")
        #expect(interactive.consoleMessages.isEmpty, "\(interactive.consoleMessages)")
        #expect(results["before"] as? [Int] == [5, 5, 5], "loss, accuracy and learning rate panels")
        #expect(results["hidden"] as? [Int] == [0, 5, 5])
        #expect(results["pressed"] as? String == "false")
        #expect(results["shown"] as? [Int] == [5, 5, 5])
        #expect(results["tooltipShown"] as? Bool == true)
        #expect(results["tooltipTitle"] as? String == "epoch 3")
        let rows = results["tooltipRows"] as? [String] ?? []
        #expect(rows.count == 6)
        let slowTrainLoss = try metric("train_loss", epoch: 3, of: folder.appendingPathComponent(runs[0]))
        #expect(rows.first == "slow · train loss\(String(format: "%.6g", slowTrainLoss))")
        #expect(results["logChecked"] as? Bool == true)
        #expect(results["logTicks"] as? String != results["linearTicks"] as? String)
    }
}
