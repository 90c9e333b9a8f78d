extension HTMLReport {
    /// The page's script: it reads the JSON of `#report-data` and draws the report into `#report`
    /// with plain DOM and SVG calls (no library), then marks `<body data-state="ready">`.
    ///
    /// A report of runs: the learning curves overlaid (a legend button or the run's name in the
    /// table toggles a run; hovering a plot shows the values at an epoch; the loss plot starts on
    /// a log scale), then one column per run with the config keys that differ and the final, best
    /// and test metrics, the best of each row in bold. A sweep report: a parallel-coordinates plot of the swept keys and the metric
    /// (dragging along an axis keeps the trials inside the range, in the plot and the table;
    /// clicking the axis clears it), the trials as a sortable table, and the best trial's curves
    /// and metrics.
    static let script = #"""
        "use strict";
        (function () {
          const SVG_NAMESPACE = "http://www.w3.org/2000/svg";
          const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#7f7f7f"];
          const METRIC_NAMES = {
            train_loss: "train loss", train_accuracy: "train accuracy",
            val_loss: "val loss", val_accuracy: "val accuracy",
            loss: "loss", accuracy: "accuracy", epoch: "epoch",
          };
          // From the worst trial's colour to the best one's (viridis, reversed and trimmed).
          const RAMP = ["#b5de2b", "#5ec962", "#21918c", "#3b528b", "#440154"];

          const data = JSON.parse(document.getElementById("report-data").textContent);
          const main = document.getElementById("report");
          // The plots, drawn at their width once the page is built and again when it changes.
          const plots = [];

          // ---- Building DOM and SVG elements

          function element(tag, attributes, children) {
            return build(document.createElement(tag), attributes, children);
          }

          function svgElement(tag, attributes, children) {
            return build(document.createElementNS(SVG_NAMESPACE, tag), attributes, children);
          }

          // Sets attributes (`text` is the text content, `onX` an event listener) and appends
          // children (nodes or strings); null, undefined and false are skipped.
          function build(node, attributes, children) {
            for (const [name, value] of Object.entries(attributes || {})) {
              if (value === null || value === undefined || value === false) continue;
              if (name === "text") node.textContent = value;
              else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
              else node.setAttribute(name, value === true ? "" : String(value));
            }
            for (const child of [].concat(children === undefined ? [] : children)) {
              if (child === null || child === undefined || child === false) continue;
              node.append(typeof child === "string" ? document.createTextNode(child) : child);
            }
            return node;
          }

          function section(title, hint, children) {
            return element("section", {class: "card"}, [
              element("h2", {text: title}),
              hint ? element("p", {class: "hint", text: hint}) : null,
            ].concat(children));
          }

          // ---- Numbers

          function isMissing(value) {
            return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
          }

          // A number with `digits` significant digits (4 unless given), an integer as it is, or a
          // dash for no value.
          function formatNumber(value, digits) {
            if (isMissing(value)) return "—";
            if (typeof value !== "number") return String(value);
            if (Number.isInteger(value)) return String(value);
            const magnitude = Math.abs(value);
            const precision = digits || 4;
            if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e6)) return value.toExponential(precision - 1);
            return String(Number(value.toPrecision(precision)));
          }

          // The smallest and largest of many numbers (spreading them into Math.min would overflow
          // the call stack for long runs).
          function minimum(values) {
            let result = Infinity;
            for (const value of values) if (value < result) result = value;
            return result;
          }

          function maximum(values) {
            let result = -Infinity;
            for (const value of values) if (value > result) result = value;
            return result;
          }

          // A config value as a number when it is one, so that 8 sorts before 16.
          function numberOrText(text) {
            if (isMissing(text)) return null;
            const number = Number(text);
            return text.trim() !== "" && Number.isFinite(number) ? number : text;
          }

          function metricName(key) {
            return METRIC_NAMES[key] || key.replace(/_/g, " ");
          }

          // The metric's name in a table header, where columns are narrow.
          function shortMetricName(key) {
            return metricName(key).replace(/accuracy$/, "acc.");
          }

          // Tick values for a linear axis over [low, high]: about `count` round numbers.
          function linearTicks(low, high, count) {
            if (!(high > low)) return [low];
            const raw = (high - low) / Math.max(1, count);
            const power = Math.pow(10, Math.floor(Math.log10(raw)));
            const fraction = raw / power;
            const step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * power;
            const ticks = [];
            for (let index = Math.ceil(low / step - 1e-9); index * step <= high + step * 1e-9; index += 1) {
              ticks.push(Number((index * step).toPrecision(12)));
            }
            return ticks;
          }

          // Tick values for a log axis over [low, high] (both > 0): the powers of ten, and more
          // multiples of them the fewer decades the range spans; round numbers as on a linear axis
          // when it spans less than about half a decade.
          function logTicks(low, high) {
            const decades = Math.log10(high / low);
            if (decades < 0.6) return linearTicks(low, high, 4);
            const ticks = [];
            const first = Math.floor(Math.log10(low)), last = Math.ceil(Math.log10(high));
            const multiples = decades <= 1 ? [1, 1.5, 2, 3, 5, 7] : decades <= 2.5 ? [1, 2, 5] : [1];
            for (let exponent = first; exponent <= last; exponent += 1) {
              for (const multiple of multiples) {
                const value = Number((multiple * Math.pow(10, exponent)).toPrecision(12));
                if (value >= low * (1 - 1e-9) && value <= high * (1 + 1e-9)) ticks.push(value);
              }
            }
            return ticks.length >= 2 ? ticks : linearTicks(low, high, 4);
          }

          // A scale from the values [low, high] to the pixels [start, end], linear or by log10;
          // `ticks` are round values inside. A linear domain is widened to round numbers.
          function makeScale(kind, low, high, start, end) {
            const log = kind === "log";
            if (log) {
              if (low === high) { low /= 2; high *= 2; }
              const pad = Math.pow(high / low, 0.04);
              low /= pad; high *= pad;
            } else {
              if (low === high) { const pad = Math.abs(low) * 0.1 || 1; low -= pad; high += pad; }
              const ticks = linearTicks(low, high, 5);
              const step = ticks.length > 1 ? ticks[1] - ticks[0] : 0;
              if (step > 0) { low = Math.min(low, ticks[0]); high = Math.max(high, ticks[ticks.length - 1]); }
            }
            const transform = log ? Math.log10 : (value) => value;
            const from = transform(low), to = transform(high);
            const scale = (value) => start + (transform(value) - from) / (to - from) * (end - start);
            scale.invert = (pixel) => {
              const value = from + (pixel - start) / (end - start) * (to - from);
              return log ? Math.pow(10, value) : value;
            };
            scale.ticks = log ? logTicks(low, high) : linearTicks(low, high, 5);
            return scale;
          }

          // The colour of a position from 0 (worst) to 1 (best) on RAMP.
          function rampColour(position) {
            const scaled = Math.max(0, Math.min(1, position)) * (RAMP.length - 1);
            const index = Math.min(RAMP.length - 2, Math.floor(scaled));
            const fraction = scaled - index;
            const [a, b] = [RAMP[index], RAMP[index + 1]].map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));
            return "rgb(" + a.map((channel, at) => Math.round(channel + (b[at] - channel) * fraction)).join(",") + ")";
          }

          // The position of a pointer event along an SVG's view box.
          function pointInViewBox(svg, event, width, height) {
            const box = svg.getBoundingClientRect();
            return {
              x: (event.clientX - box.left) / box.width * width,
              y: (event.clientY - box.top) / box.height * height,
            };
          }

          // ---- Sortable tables

          // Values compare as numbers when both are, text otherwise; rows without a value stay last
          // in either direction.
          function compareValues(a, b, descending) {
            const missingA = isMissing(a), missingB = isMissing(b);
            if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
            let order;
            if (typeof a === "number" && typeof b === "number") order = a - b;
            else if (typeof a === "number") order = -1;
            else if (typeof b === "number") order = 1;
            else order = a < b ? -1 : a > b ? 1 : 0;
            return descending ? -order : order;
          }

          // A table of `rows`: `columns` are {label, group, value(row), cell(row), numeric, className,
          // descendingFirst}. Clicking a header sorts by it (again: the other way); accuracies sort
          // high to low first. Returns the table and its rows' <tr>, in `rows` order.
          function sortableTable(columns, rows, rowAttributes) {
            const header = element("thead");
            if (columns.some((column) => column.group)) {
              const groups = element("tr", {class: "groups"});
              for (let index = 0; index < columns.length;) {
                let span = 1;
                while (index + span < columns.length && columns[index + span].group === columns[index].group) span += 1;
                const group = columns[index].group;
                groups.append(element("th", {colspan: span, class: group ? "group" : null, scope: "colgroup", text: group || ""}));
                index += span;
              }
              header.append(groups);
            }
            const headerCells = columns.map((column, index) => element("th", {
              scope: "col",
              class: [column.numeric ? "number" : "", column.className || ""].join(" ").trim() || null,
              title: column.title || null,
            }, [element("button", {type: "button", text: column.label, onclick: () => sortBy(index)})]));
            header.append(element("tr", {}, headerCells));

            const body = element("tbody");
            const rowNodes = rows.map((row, rowIndex) => element("tr", rowAttributes(row, rowIndex), columns.map((column) => {
              const cell = column.cell ? column.cell(row) : formatNumber(column.value(row));
              return element("td", {class: [column.numeric ? "number" : "", column.cellClass ? column.cellClass(row) : "", column.className || ""].join(" ").trim() || null,
                                    title: column.cellTitle ? column.cellTitle(row) : null}, [cell]);
            })));
            body.append(...rowNodes);

            let sortedBy = null, descending = false;
            function sortBy(index) {
              descending = sortedBy === index ? !descending : Boolean(columns[index].descendingFirst);
              sortedBy = index;
              const order = rows.map((row, rowIndex) => rowIndex);
              const value = columns[index].value;
              order.sort((a, b) => compareValues(value(rows[a]), value(rows[b]), descending) || a - b);
              for (const rowIndex of order) body.append(rowNodes[rowIndex]);
              headerCells.forEach((cell, cellIndex) => {
                if (cellIndex === index) cell.setAttribute("aria-sort", descending ? "descending" : "ascending");
                else cell.removeAttribute("aria-sort");
              });
            }
            const table = element("table", {class: "data"}, [header, body]);
            return {node: element("div", {class: "table-wrap"}, [table]), table, rows: rowNodes, sortBy};
          }

          // ---- Learning curves

          // A panel of learning curves: for every shown run, one line per series ({column, label,
          // dashed}); hovering shows the values at the nearest epoch. `colour(run, series)` picks the
          // colours; `shown(run)` says whether a run is toggled on.
          function curvesPanel(options) {
            const height = 250;
            const margin = {left: 58, right: 14, top: 10, bottom: 38};
            let width = 600;
            const svg = svgElement("svg", {class: "chart", role: "img", "aria-label": options.title});
            const tooltip = element("div", {class: "tooltip", hidden: true});
            let log = Boolean(options.log);
            const caption = element("figcaption", {}, [element("span", {text: options.title})]);
            if (options.logToggle) {
              const box = element("input", {type: "checkbox", checked: log, onchange: (event) => { log = event.target.checked; draw(); }});
              caption.append(element("label", {class: "toggle"}, [box, "log scale"]));
            }
            const node = element("figure", {class: "panel", "data-panel": options.key}, [caption, svg, tooltip]);
            plots.push(() => draw());

            function seriesPoints(run, series) {
              const epochs = run.curves.epoch || [];
              const values = run.curves[series.column] || [];
              const points = [];
              epochs.forEach((epoch, index) => {
                const value = values[index];
                if (!isMissing(value) && !isMissing(epoch) && (!log || value > 0)) points.push([epoch, value]);
              });
              return points;
            }

            function draw() {
              width = Math.max(280, Math.round(node.clientWidth) || 600);
              svg.setAttribute("viewBox", "0 0 " + width + " " + height);
              svg.setAttribute("width", width);
              svg.setAttribute("height", height);
              svg.replaceChildren();
              tooltip.hidden = true;
              const lines = [];
              options.runs.forEach((run, runIndex) => {
                if (!options.shown(runIndex)) return;
                for (const series of options.series) {
                  const points = seriesPoints(run, series);
                  if (points.length > 0) lines.push({run, runIndex, series, points});
                }
              });
              if (lines.length === 0) {
                svg.append(svgElement("text", {class: "empty", x: width / 2, y: height / 2, "text-anchor": "middle",
                                               text: options.runs.some((run, index) => options.shown(index)) ? "no values to plot" : "every run is hidden"}));
                return;
              }
              const epochs = lines.flatMap((line) => line.points.map((point) => point[0]));
              const values = lines.flatMap((line) => line.points.map((point) => point[1]));
              let firstEpoch = minimum(epochs), lastEpoch = maximum(epochs);
              if (firstEpoch === lastEpoch) { firstEpoch -= 1; lastEpoch += 1; }
              const x = makeScale("linear", firstEpoch, lastEpoch, margin.left, width - margin.right);
              const y = makeScale(log ? "log" : "linear", minimum(values), maximum(values), height - margin.bottom, margin.top);

              const grid = svgElement("g", {class: "grid"});
              for (const tick of y.ticks) {
                const at = y(tick);
                grid.append(svgElement("line", {x1: margin.left, x2: width - margin.right, y1: at, y2: at}));
                svg.append(svgElement("text", {x: margin.left - 6, y: at + 4, "text-anchor": "end", text: formatNumber(tick, 3)}));
              }
              const epochTicks = x.ticks.filter((tick) => Number.isInteger(tick));
              for (const tick of epochTicks) {
                svg.append(svgElement("text", {x: x(tick), y: height - margin.bottom + 16, "text-anchor": "middle", text: String(tick)}));
              }
              svg.prepend(grid);
              svg.append(svgElement("line", {class: "axis-line", x1: margin.left, x2: width - margin.right, y1: height - margin.bottom, y2: height - margin.bottom}));
              svg.append(svgElement("text", {class: "axis-title", x: (margin.left + width - margin.right) / 2, y: height - 6, "text-anchor": "middle", text: "epoch"}));

              for (const line of lines) {
                const colour = options.colour(line.runIndex, line.series);
                const path = line.points.map((point, index) => (index === 0 ? "M" : "L") + x(point[0]).toFixed(2) + " " + y(point[1]).toFixed(2)).join(" ");
                svg.append(svgElement("path", {class: "curve" + (line.series.dashed ? " dashed" : ""), d: path, stroke: colour,
                                               "data-run": line.runIndex, "data-series": line.series.column}));
                if (line.points.length === 1) {
                  svg.append(svgElement("circle", {cx: x(line.points[0][0]), cy: y(line.points[0][1]), r: 3, fill: colour}));
                }
              }

              const hover = svgElement("g", {class: "hover"});
              svg.append(hover);
              const overlay = svgElement("rect", {x: margin.left, y: margin.top, width: width - margin.left - margin.right,
                                                  height: height - margin.top - margin.bottom, fill: "transparent"});
              overlay.addEventListener("mousemove", (event) => {
                const pointer = pointInViewBox(svg, event, width, height);
                const wanted = x.invert(pointer.x);
                let epoch = epochs[0];
                for (const candidate of epochs) if (Math.abs(candidate - wanted) < Math.abs(epoch - wanted)) epoch = candidate;
                hover.replaceChildren(svgElement("line", {class: "guide", x1: x(epoch), x2: x(epoch), y1: margin.top, y2: height - margin.bottom}));
                const rows = [];
                for (const line of lines) {
                  const point = line.points.find((candidate) => candidate[0] === epoch);
                  if (!point) continue;
                  const colour = options.colour(line.runIndex, line.series);
                  hover.append(svgElement("circle", {cx: x(epoch), cy: y(point[1]), r: 3.5, fill: colour, stroke: "#fff", "stroke-width": 1.5}));
                  rows.push(element("div", {class: "tooltip-row"}, [
                    element("span", {class: "swatch", style: "background:" + colour}),
                    element("span", {text: options.lineLabel(line.run, line.series)}),
                    element("span", {class: "tooltip-value", text: formatNumber(point[1], 6)}),
                  ]));
                }
                tooltip.replaceChildren(element("div", {class: "tooltip-title", text: "epoch " + epoch}), ...rows);
                tooltip.hidden = false;
                const box = svg.getBoundingClientRect();
                const left = x(epoch) / width * box.width;
                tooltip.style.top = (svg.offsetTop + 8) + "px";
                tooltip.style.left = (left > box.width / 2 ? left - tooltip.offsetWidth - 12 : left + 12) + "px";
              });
              overlay.addEventListener("mouseleave", () => { hover.replaceChildren(); tooltip.hidden = true; });
              svg.append(overlay);
            }
            return {node, draw};
          }

          // The panels of `runs`' curves present in any of them: loss (train solid, validation
          // dashed; log scale), accuracy, and the learning rate when it changes (a schedule) or
          // differs between runs.
          function curvePanels(runs, colour, lineLabel, shown) {
            const values = (column) => runs.flatMap((run) => (run.curves[column] || []).filter((value) => !isMissing(value)));
            const has = (column) => column === "learning_rate" ? new Set(values(column)).size > 1 : values(column).length > 0;
            const specifications = [
              {key: "loss", title: "loss", columns: ["train_loss", "val_loss"], log: true},
              {key: "accuracy", title: "accuracy", columns: ["train_accuracy", "val_accuracy"], log: false},
              {key: "learning_rate", title: "learning rate", columns: ["learning_rate"], log: false},
            ];
            return specifications.filter((specification) => specification.columns.some(has)).map((specification) => curvesPanel({
              key: specification.key,
              title: specification.title,
              runs, colour, lineLabel, shown,
              log: specification.log,
              logToggle: specification.key !== "accuracy",
              series: specification.columns.filter(has).map((column) => ({column, label: metricName(column), dashed: column.startsWith("val_")})),
            }));
          }

          function lineStyleKey(runs) {
            const hasValidation = runs.some((run) => (run.curves.val_loss || run.curves.val_accuracy || []).some((value) => !isMissing(value)));
            if (!hasValidation) return null;
            return element("span", {class: "legend-key"}, [
              element("span", {class: "line-key"}), "train", element("span", {class: "line-key dashed"}), "validation",
            ]);
          }

          // ---- A report of runs

          function renderRuns() {
            const runs = data.runs;
            const hidden = new Set();
            const colour = (runIndex) => PALETTE[runIndex % PALETTE.length];
            const shown = (runIndex) => !hidden.has(runIndex);
            const differing = data.config_keys.length;
            document.getElementById("report-subtitle").textContent = runs.map((run) => run.path).join(", ") + " · "
              + (runs.length === 1 ? "1 run" : differing === 0 ? "the same config but for the name"
                 : differing + (differing === 1 ? " config key differs" : " config keys differ") + " (" + data.config_keys.join(", ") + ")");

            const legendButtons = runs.map((run, runIndex) => element("button", {
              type: "button", class: "legend-item", "aria-pressed": "true", "data-run": runIndex, title: run.path + " · " + (run.status || "no summary yet"),
              onclick: () => toggle(runIndex),
            }, [element("span", {class: "swatch", style: "background:" + colour(runIndex)}), run.label]));
            const panels = curvePanels(runs, colour, (run, series) => run.label + " · " + series.label, shown);
            main.append(section("Learning curves", runs.length > 1 ? "Click a run to hide or show it; hover over a plot for the values at an epoch." : "Hover over a plot for the values at an epoch.", [
              element("div", {class: "legend"}, legendButtons.concat([lineStyleKey(runs)])),
              element("div", {class: "panels"}, panels.map((panel) => panel.node)),
            ]));

            const table = runsTable(runs, colour, (runIndex) => toggle(runIndex));
            main.append(section("Config and metrics side by side",
              "One column per run (click its name to hide or show it); the best value of each metric row is in bold. "
              + "Final is the last epoch, best the epoch the run's monitor chose, test the test set with the final or the best parameters.", [table.node]));

            function toggle(runIndex) {
              if (hidden.has(runIndex)) hidden.delete(runIndex); else hidden.add(runIndex);
              legendButtons[runIndex].setAttribute("aria-pressed", String(shown(runIndex)));
              table.header[runIndex].setAttribute("aria-pressed", String(shown(runIndex)));
              for (const cell of table.columns[runIndex]) cell.classList.toggle("off", !shown(runIndex));
              for (const panel of panels) panel.draw();
            }
          }

          // The runs side by side: one column per run, one row per config key that differs, then the
          // final, best and test metrics in sections. In each metric row the best value is bold
          // (the lowest loss, the highest accuracy).
          function runsTable(runs, colour, toggle) {
            const sections = [];
            if (new Set(runs.map((run) => run.status)).size > 1) {
              sections.push({title: null, rows: [{label: "status", values: runs.map((run) => run.status), text: true}]});
            }
            if (data.config_keys.length > 0) {
              sections.push({title: "config that differs", rows: data.config_keys.map((key, index) => ({
                label: key, values: runs.map((run) => run.config[index]), text: true,
              }))});
            }
            for (const which of ["final", "best"]) {
              sections.push({title: which, rows: [{label: "epoch", values: runs.map((run) => run[which] ? run[which].epoch : null)}]
                .concat(data.metrics.map((metric) => ({label: metricName(metric), metric, values: runs.map((run) => run[which] ? run[which][metric] : null)})))});
            }
            if (data.test_metrics.length > 0) {
              sections.push({title: "test", rows: ["final", "best"].flatMap((which) => data.test_metrics.map((metric) => ({
                label: metric + " (" + which + " parameters)", metric,
                values: runs.map((run) => run.test && run.test[which] && run.test[which][metric] !== undefined ? run.test[which][metric] : null),
              })))});
            }

            const header = runs.map((run, runIndex) => element("th", {scope: "col", class: "number run-column"}, [
              element("button", {type: "button", class: "link run-name", "aria-pressed": "true", title: "hide or show " + run.path, onclick: () => toggle(runIndex)},
                      [element("span", {class: "swatch", style: "background:" + colour(runIndex)}), run.label]),
            ]));
            const columns = runs.map(() => []);
            const body = element("tbody");
            for (const part of sections) {
              if (part.title) body.append(element("tr", {class: "section"}, [element("th", {scope: "rowgroup", colspan: runs.length + 1, text: part.title})]));
              for (const row of part.rows) {
                const present = row.values.filter((value) => !isMissing(value));
                let best = null;
                if (row.metric && present.length > 1 && new Set(present).size > 1) {
                  best = row.metric.endsWith("accuracy") ? maximum(present) : minimum(present);
                }
                const cells = row.values.map((value, runIndex) => {
                  const cell = element("td", {class: "number" + (best !== null && value === best ? " best-value" : ""),
                                              text: row.text ? (isMissing(value) ? "—" : String(value)) : formatNumber(value, 5)});
                  columns[runIndex].push(cell);
                  return cell;
                });
                body.append(element("tr", {"data-row": row.label}, [element("th", {scope: "row", text: row.label})].concat(cells)));
              }
            }
            const table = element("table", {class: "data side-by-side"}, [
              element("thead", {}, [element("tr", {}, [element("th", {scope: "col"})].concat(header))]), body,
            ]);
            return {node: element("div", {class: "table-wrap"}, [table]), header: header.map((cell) => cell.firstChild), columns};
          }

          // ---- A sweep report

          function renderSweep() {
            const sweep = data.sweep, trials = data.trials, axes = data.axes;
            const metricLabel = sweep.use + " " + sweep.metric;
            document.getElementById("report-subtitle").textContent = sweep.trials + " trials, " + sweep.completed + " completed · ranked by "
              + metricLabel + " (" + sweep.goal + ") · " + sweep.path;

            const shownCount = element("p", {class: "count"});
            const plot = axes.some((axis) => axis.metric) ? parallelCoordinates(axes, trials, sweep, (passes) => {
              table.rows.forEach((row, index) => { row.hidden = !passes[index]; });
              updateCount(passes);
            }) : null;

            const columns = [
              {label: "rank", numeric: true, value: (trial) => trial.rank},
              {label: "trial", value: (trial) => trial.trial, cell: (trial) => element("span", {class: "mono", text: trial.trial}), cellTitle: (trial) => trial.run},
              {label: "status", value: (trial) => trial.status, cell: (trial) => trial.status,
               cellClass: (trial) => "status-" + trial.status, cellTitle: (trial) => trial.error},
            ];
            sweep.parameters.forEach((key, index) => columns.push({
              group: "swept", label: key, value: (trial) => numberOrText(trial.parameters[index]),
              cell: (trial) => trial.parameters[index] === null ? "—" : trial.parameters[index],
            }));
            columns.push({group: sweep.use + " row", label: "epoch", numeric: true, value: (trial) => trial.epoch});
            for (const metric of data.metrics) {
              columns.push({group: sweep.use + " row", label: shortMetricName(metric), title: metricName(metric), numeric: true, descendingFirst: metric.endsWith("accuracy"),
                            className: metric === sweep.metric ? "key-metric" : null, value: (trial) => trial.metrics[metric]});
            }
            const table = sortableTable(columns, trials, (trial) => ({"data-trial": trial.trial, class: trial.rank === 1 ? "best" : null}));
            table.rows.forEach((row, index) => {
              row.addEventListener("mouseenter", () => plot && plot.highlight(index, true));
              row.addEventListener("mouseleave", () => plot && plot.highlight(index, false));
            });
            function updateCount(passes) {
              const shown = passes.filter(Boolean).length;
              shownCount.replaceChildren("Showing " + shown + " of " + trials.length + " trials");
              if (shown < trials.length && plot) {
                shownCount.append(" (filtered on the plot) · ", element("button", {type: "button", class: "link", text: "clear the filters", onclick: () => plot.clear()}));
              }
            }
            updateCount(trials.map(() => true));

            if (plot) {
              main.append(section("Swept keys against " + metricLabel,
                "One line per completed trial, coloured from worst to best " + sweep.metric + "; the best is thickest. Drag along an axis to keep the trials in a range (here and in the table); click the axis to clear it.",
                [plot.node]));
            } else {
              main.append(section("Swept keys against " + metricLabel, "No trial has completed yet: the plot shows the trials once they have a " + metricLabel + ".", []));
            }
            main.append(section("Trials", "Ranked by " + metricLabel + "; click a column to sort by it, hover a row to find its line.", [shownCount, table.node]));
            if (data.best) main.append(bestTrial(data.best, sweep));
          }

          // The parallel-coordinates plot: one axis per swept key and the metric, one line per
          // completed trial through its `coordinates` (0 at the bottom of an axis, 1 at the top).
          // Dragging along an axis brushes a range; `onFilter` gets, per trial, whether it is inside
          // every brush. Brushes are kept as positions, so redrawing at another width keeps them.
          function parallelCoordinates(axes, trials, sweep, onFilter) {
            const height = 380, top = 62, bottom = 30, side = 80;
            const metricAxis = axes.findIndex((axis) => axis.metric);
            const svg = svgElement("svg", {class: "parallel", role: "img", "aria-label": "parallel coordinates of the swept keys and " + sweep.metric});
            const node = element("div", {class: "parallel-wrap"}, [svg]);
            const brushes = axes.map(() => null);
            let width = 0, lines = [], lineGroup = null, brushRects = [];
            const axisX = (index) => axes.length === 1 ? width / 2 : side + index * (width - 2 * side) / (axes.length - 1);
            const axisY = (position) => top + (1 - position) * (height - top - bottom);
            plots.push(() => draw());

            function draw() {
              width = Math.max(160 * axes.length + 2 * side, Math.round(node.clientWidth) || 900);
              svg.setAttribute("viewBox", "0 0 " + width + " " + height);
              svg.setAttribute("width", width);
              svg.setAttribute("height", height);
              svg.replaceChildren();
              lineGroup = svgElement("g", {class: "trials"});
              svg.append(lineGroup);
              lines = trials.map((trial) => {
                if (metricAxis < 0 || trial.coordinates[metricAxis] === null) return null;
                let path = "", pen = "M";
                trial.coordinates.forEach((position, axisIndex) => {
                  if (position === null) { pen = "M"; return; }
                  path += pen + axisX(axisIndex).toFixed(2) + " " + axisY(position).toFixed(2) + " ";
                  pen = "L";
                });
                const quality = sweep.goal === "maximize" ? trial.coordinates[metricAxis] : 1 - trial.coordinates[metricAxis];
                const line = svgElement("path", {class: "trial" + (trial.rank === 1 ? " best" : ""), d: path.trim(), stroke: rampColour(quality), "data-trial": trial.trial},
                                        [svgElement("title", {text: trial.trial + " · " + sweep.metric + " " + formatNumber(trial.metrics[sweep.metric], 6)})]);
                lineGroup.append(line);
                return line;
              });
              const best = lines.find((line, index) => line && trials[index].rank === 1);
              if (best) lineGroup.append(best);

              brushRects = axes.map((axis, axisIndex) => {
                const x = axisX(axisIndex);
                const group = svgElement("g", {class: "axis", "data-axis": axis.key});
                group.append(svgElement("line", {class: "axis-line", x1: x, x2: x, y1: axisY(0), y2: axisY(1)}));
                // The last axis is labelled on its right, where nothing else is drawn.
                const labelSide = axes.length > 1 && axisIndex === axes.length - 1 ? 1 : -1;
                for (const tick of axisTicks(axis, axisIndex)) {
                  const y = axisY(tick.position);
                  group.append(svgElement("g", {class: "tick"}, [
                    svgElement("line", {x1: x + 4 * labelSide, x2: x, y1: y, y2: y}),
                    svgElement("text", {x: x + 7 * labelSide, y: y + 4, "text-anchor": labelSide > 0 ? "start" : "end", text: tick.label}),
                  ]));
                }
                const words = axis.label.split(".");
                const name = words.pop();
                if (words.length > 0) group.append(svgElement("text", {x, y: top - 42, "text-anchor": "middle", text: words.join(".") + "."}));
                group.append(svgElement("text", {class: "axis-title" + (axis.metric ? " metric-title" : ""), x, y: top - 27, "text-anchor": "middle", text: name}));
                const note = axis.metric ? (sweep.goal === "maximize" ? "↑ better" : "↓ better") : axis.kind === "log" ? "log scale" : "";
                if (note) group.append(svgElement("text", {x, y: top - 13, "text-anchor": "middle", text: note}));
                const brush = svgElement("rect", {class: "brush", x: x - 9, width: 18, y: 0, height: 0, visibility: "hidden"});
                const area = svgElement("rect", {class: "brush-area", x: x - 16, width: 32, y: axisY(1) - 6, height: axisY(0) - axisY(1) + 12, "data-axis": axis.key});
                area.addEventListener("mousedown", (event) => startBrush(event, axisIndex));
                group.append(brush, area);
                svg.append(group);
                return brush;
              });
              apply();
            }

            function positionAt(event) {
              const pointer = pointInViewBox(svg, event, width, height);
              return Math.max(0, Math.min(1, 1 - (pointer.y - top) / (height - top - bottom)));
            }

            function startBrush(event, axisIndex) {
              event.preventDefault();
              const start = positionAt(event);
              const move = (moveEvent) => {
                const end = positionAt(moveEvent);
                brushes[axisIndex] = [Math.min(start, end), Math.max(start, end)];
                apply();
              };
              const finish = (upEvent) => {
                window.removeEventListener("mousemove", move);
                window.removeEventListener("mouseup", finish);
                const end = positionAt(upEvent);
                // A click, not a drag, clears the axis's range.
                brushes[axisIndex] = Math.abs(end - start) < 0.01 ? null : [Math.min(start, end), Math.max(start, end)];
                apply();
              };
              window.addEventListener("mousemove", move);
              window.addEventListener("mouseup", finish);
            }

            function apply() {
              brushes.forEach((range, axisIndex) => {
                const rect = brushRects[axisIndex];
                if (!range) { rect.setAttribute("visibility", "hidden"); return; }
                rect.setAttribute("visibility", "visible");
                rect.setAttribute("y", axisY(range[1]));
                rect.setAttribute("height", Math.max(1, axisY(range[0]) - axisY(range[1])));
              });
              const passes = trials.map((trial) => brushes.every((range, axisIndex) => {
                if (!range) return true;
                const position = trial.coordinates[axisIndex];
                return position !== null && position >= range[0] - 1e-9 && position <= range[1] + 1e-9;
              }));
              lines.forEach((line, index) => { if (line) line.classList.toggle("filtered-out", !passes[index]); });
              onFilter(passes);
            }

            // Ticks: every value of a key that takes few (as written), else round numbers.
            function axisTicks(axis, axisIndex) {
              if (axis.kind === "categorical") {
                return axis.categories.map((category, index) => ({label: category, position: axis.categories.length === 1 ? 0.5 : index / (axis.categories.length - 1)}));
              }
              if (!axis.metric) {
                const seen = new Map();
                const parameterIndex = sweep.parameters.indexOf(axis.key);
                trials.forEach((trial) => {
                  const text = trial.parameters[parameterIndex], position = trial.coordinates[axisIndex];
                  if (text !== null && position !== null && !seen.has(text)) seen.set(text, position);
                });
                if (seen.size <= 8) return Array.from(seen, ([label, position]) => ({label, position}));
              }
              if (axis.min === axis.max) return [{label: formatNumber(axis.min, 4), position: 0.5}];
              const log = axis.kind === "log";
              const transform = log ? Math.log10 : (value) => value;
              const values = log ? logTicks(axis.min, axis.max) : linearTicks(axis.min, axis.max, 5);
              const ticks = [];
              for (const value of values) {
                const position = (transform(value) - transform(axis.min)) / (transform(axis.max) - transform(axis.min));
                if (position >= -1e-9 && position <= 1 + 1e-9) ticks.push({label: formatNumber(value, 3), position});
              }
              return ticks;
            }

            return {
              node,
              highlight(index, on) {
                const line = lines[index];
                if (!line) return;
                line.classList.toggle("hover", on);
                if (on) lineGroup.append(line);
              },
              clear() {
                brushes.fill(null);
                apply();
              },
            };
          }

          // The best trial: its swept values, its final, best and test metrics, and its curves.
          function bestTrial(run, sweep) {
            const values = sweep.parameters.map((key, index) => key + " = " + (run.config[index] === null ? "—" : run.config[index])).join(", ");
            const ranked = run[sweep.use];
            const sentence = run.label + (values ? " (" + values + ")" : "") + " ranks first with " + sweep.use + " " + sweep.metric + " "
              + formatNumber(ranked ? ranked[sweep.metric] : null, 6) + (ranked && ranked.epoch !== null ? " at epoch " + ranked.epoch : "") + ".";

            const rows = [];
            for (const metric of data.metrics) {
              rows.push([metricName(metric), run.final ? run.final[metric] : null, run.best ? run.best[metric] : null]);
            }
            rows.push(["epoch", run.final ? run.final.epoch : null, run.best ? run.best.epoch : null]);
            if (run.test) {
              for (const metric of ["loss", "accuracy"]) {
                const final = run.test.final ? run.test.final[metric] : undefined, best = run.test.best ? run.test.best[metric] : undefined;
                if (final !== undefined || best !== undefined) rows.push(["test " + metric, final, best]);
              }
            }
            const metrics = element("table", {class: "data best-metrics"}, [
              element("thead", {}, [element("tr", {}, ["", "final", "best"].map((label, index) => element("th", {class: index > 0 ? "number" : null, text: label})))]),
              element("tbody", {}, rows.map((row) => element("tr", {}, row.map((cell, index) => element("td", {
                class: index > 0 ? "number" : null, text: index === 0 ? cell : formatNumber(cell, 6),
              }))))),
            ]);
            const seriesColours = {train_loss: PALETTE[0], val_loss: PALETTE[1], train_accuracy: PALETTE[0], val_accuracy: PALETTE[1], learning_rate: PALETTE[3]};
            const panels = curvePanels([run], (runIndex, series) => seriesColours[series.column] || PALETTE[2], (run, series) => series.label, () => true);
            const key = element("div", {class: "legend"}, [
              element("span", {class: "legend-key"}, [element("span", {class: "line-key", style: "border-color:" + PALETTE[0]}), "train",
                                                       element("span", {class: "line-key dashed", style: "border-color:" + PALETTE[1]}), "validation"]),
            ]);
            return section("Best trial: " + run.label, sentence, [
              key,
              element("div", {class: "panels"}, [element("div", {class: "panel"}, [metrics])].concat(panels.map((panel) => panel.node))),
            ]);
          }

          try {
            if (data.kind === "sweep") renderSweep(); else renderRuns();
            for (const draw of plots) draw();
            let frame = 0;
            window.addEventListener("resize", () => {
              cancelAnimationFrame(frame);
              frame = requestAnimationFrame(() => { for (const draw of plots) draw(); });
            });
            document.body.dataset.state = "ready";
          } catch (error) {
            window.reportError(error && error.stack ? error.stack : error);
          }
        })();

        """#
}
