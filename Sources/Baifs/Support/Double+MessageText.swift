import Foundation

extension Double {
    /// The number as messages, tables and files show it: Swift's shortest form that reads back
    /// exactly, but `nan` for every NaN (C and Swift print a NaN whose sign bit is set as `-nan`,
    /// which means nothing more), `inf` and `-inf` for the infinities.
    public var messageText: String {
        isNaN ? "nan" : description
    }

    /// `String(format: format, self)` for a finite number; `nan`, `inf` or `-inf` otherwise.
    ///
    /// - Parameter format: A `printf` format with one floating-point conversion, such as `%.5f`.
    public func formatted(_ format: String) -> String {
        guard isFinite else { return isNaN ? "nan" : self > 0 ? "inf" : "-inf" }
        return String(format: format, self)
    }
}
