extension HTMLReport {
    /// The page's style sheet: system fonts only (nothing to fetch), tabular figures in tables,
    /// plots that scale with the window, and print-friendly colours.
    static let style = #"""
        :root {
          --ink: #1f2328;
          --muted: #5f6b7a;
          --faint: #8c959f;
          --rule: #d8dee4;
          --grid: #eef1f4;
          --paper: #ffffff;
          --page: #f6f8fa;
          --accent: #2f6fb0;
          --best: #fff6d6;
          --bad: #b42318;
          color-scheme: light;
        }
        * { box-sizing: border-box; }
        body {
          margin: 0;
          padding: 24px 32px 40px;
          background: var(--page);
          color: var(--ink);
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        .page-header, main, .page-footer, .report-errors, .notice { max-width: 1240px; margin-left: auto; margin-right: auto; }
        h1 { font-size: 22px; font-weight: 600; margin: 0 0 2px; }
        h2 { font-size: 16px; font-weight: 600; margin: 0 0 4px; }
        .subtitle { color: var(--muted); margin: 0 0 18px; }
        .hint { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
        code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
        section.card {
          background: var(--paper);
          border: 1px solid var(--rule);
          border-radius: 8px;
          padding: 16px 18px 18px;
          margin: 0 0 18px;
        }
        .report-errors {
          background: #fdecea; color: var(--bad); border: 1px solid #f5c2bd; border-radius: 8px;
          padding: 12px 14px; white-space: pre-wrap; margin-bottom: 18px;
        }
        .notice { background: var(--paper); border: 1px solid var(--rule); border-radius: 8px; padding: 12px 14px; }
        .page-footer { color: var(--faint); font-size: 12px; margin-top: 8px; }

        /* Legends and controls */
        .legend { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; margin: 6px 0 12px; }
        .legend-item {
          display: inline-flex; align-items: center; gap: 6px;
          border: 1px solid var(--rule); border-radius: 999px; background: var(--paper);
          padding: 2px 10px 2px 8px; font: inherit; color: inherit; cursor: pointer;
        }
        .legend-item:hover { border-color: var(--faint); }
        .legend-item[aria-pressed="false"] { color: var(--faint); text-decoration: line-through; }
        .legend-item[aria-pressed="false"] .swatch { opacity: 0.25; }
        .legend-key { color: var(--muted); font-size: 12.5px; display: inline-flex; align-items: center; gap: 6px; margin-left: 8px; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; flex: none; }
        .line-key { display: inline-block; width: 22px; height: 0; border-top: 2px solid var(--muted); }
        .line-key.dashed { border-top-style: dashed; }
        button.link { border: none; background: none; color: var(--accent); cursor: pointer; font: inherit; padding: 0; }
        button.link:hover { text-decoration: underline; }
        label.toggle { font-weight: normal; color: var(--muted); font-size: 12.5px; display: inline-flex; gap: 4px; align-items: center; cursor: pointer; }

        /* Plots */
        .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 14px 20px; }
        figure.panel { margin: 0; position: relative; }
        figure.panel figcaption { display: flex; justify-content: space-between; align-items: baseline; font-weight: 600; margin-bottom: 2px; }
        svg.chart { max-width: 100%; height: auto; display: block; overflow: visible; }
        svg text { font-family: inherit; font-size: 11px; fill: var(--muted); }
        svg .axis-title { font-size: 11.5px; fill: var(--ink); }
        svg .grid line { stroke: var(--grid); }
        svg .axis-line { stroke: var(--faint); }
        svg .curve { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
        svg .curve.dashed { stroke-dasharray: 5 4; }
        svg .guide { stroke: var(--faint); stroke-dasharray: 3 3; }
        svg .empty { font-size: 13px; }
        .tooltip {
          position: absolute; pointer-events: none; z-index: 2;
          background: rgba(255, 255, 255, 0.97); border: 1px solid var(--rule); border-radius: 6px;
          box-shadow: 0 2px 8px rgba(31, 35, 40, 0.12); padding: 6px 9px; font-size: 12px; min-width: 150px;
        }
        .tooltip .tooltip-title { font-weight: 600; margin-bottom: 3px; }
        .tooltip .tooltip-row { display: flex; align-items: center; gap: 6px; white-space: nowrap; }
        .tooltip .tooltip-value { margin-left: auto; padding-left: 12px; font-variant-numeric: tabular-nums; }

        /* Parallel coordinates */
        .parallel-wrap { overflow-x: auto; }
        svg.parallel { display: block; user-select: none; }
        svg.parallel .trial { fill: none; stroke-width: 1.6; opacity: 0.85; }
        svg.parallel .trial.best { stroke-width: 3.2; opacity: 1; }
        svg.parallel .trial.filtered-out { stroke: #d5dae0 !important; opacity: 0.45; stroke-width: 1.2; }
        svg.parallel .trial.hover { stroke-width: 4; opacity: 1; }
        svg.parallel .axis-line { stroke: #57606a; stroke-width: 1.2; }
        svg.parallel .tick line { stroke: #57606a; }
        svg.parallel .tick text { fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; }
        svg.parallel .brush-area { fill: transparent; cursor: crosshair; }
        svg.parallel .brush { fill: rgba(47, 111, 176, 0.16); stroke: var(--accent); stroke-width: 1; pointer-events: none; }
        svg.parallel .axis-title { font-weight: 600; }
        svg.parallel .metric-title { fill: var(--accent); }

        /* Tables */
        .table-wrap { overflow-x: auto; }
        table.data { border-collapse: collapse; width: 100%; font-size: 13px; }
        table.data th, table.data td { padding: 5px 8px; border-bottom: 1px solid var(--grid); text-align: left; white-space: nowrap; }
        table.data td.number, table.data th.number { text-align: right; font-variant-numeric: tabular-nums; }
        table.data thead th { border-bottom: 1px solid var(--rule); color: var(--muted); font-weight: 600; vertical-align: bottom; }
        table.data thead tr.groups th { border-bottom: none; color: var(--ink); text-align: center; padding-bottom: 0; }
        table.data thead tr.groups th.group { border-bottom: 2px solid var(--rule); }
        table.data th button { border: none; background: none; font: inherit; color: inherit; cursor: pointer; padding: 0; text-align: inherit; }
        table.data th button:hover { color: var(--ink); }
        table.data th[aria-sort="ascending"] button::after { content: " \25B2"; font-size: 9px; }
        table.data th[aria-sort="descending"] button::after { content: " \25BC"; font-size: 9px; }
        table.data th.key-metric, table.data td.key-metric { background: #f3f8fd; }
        table.data tbody tr:hover td { background: #f6f8fa; }
        table.data tbody tr.best td { background: var(--best); }
        table.data td.status-failed, table.data td.status-missing, table.data td.status-interrupted { color: var(--bad); }
        table.data td.status-pending, table.data td.status-running { color: var(--muted); }
        .run-name { display: inline-flex; align-items: center; gap: 7px; }
        table.side-by-side { width: auto; min-width: 50%; }
        table.side-by-side tbody th { font-weight: normal; color: var(--ink); text-align: left; padding-left: 18px; }
        table.side-by-side tr.section th { font-weight: 600; color: var(--muted); padding: 12px 8px 3px; border-bottom: 1px solid var(--rule); text-align: left; }
        table.side-by-side th.run-column { text-align: right; }
        table.side-by-side td.best-value { font-weight: 700; }
        table.side-by-side td.off { color: var(--faint); }
        table.side-by-side tbody th:first-child { position: sticky; left: 0; background: var(--paper); }
        .run-name[aria-pressed="false"] { color: var(--faint); text-decoration: line-through; }
        .count { color: var(--muted); margin: 0 0 8px; }
        table.best-metrics { margin-top: 24px; }
        @media (max-width: 900px) { body { padding: 16px; } }
        @media print { body { background: #fff; } section.card { break-inside: avoid; } }

        """#
}
