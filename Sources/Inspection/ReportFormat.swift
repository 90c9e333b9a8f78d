/// How `diff` and `compare` print their reports.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Aligned columns for a terminal.
    case text
    /// GitHub-flavoured Markdown tables, for notes and pull requests.
    case markdown
    /// One JSON document with exact numbers, for programs.
    case json
}
