extension Experiment {
    /// The key paths whose locations the loader keeps: checks made after loading (the memory the
    /// model needs, its gradients) report their problems there.
    static let locatedKeyPaths = ["model", "training.batch_size"]

    /// An error about the value of `keyPath` (one of `locatedKeyPaths`), located where it is
    /// written; where `fallback` is written if it is not (a default), else at the file's start.
    ///
    /// - Parameters:
    ///   - keyPath: The key the problem is about.
    ///   - fallback: A key path whose location stands in when `keyPath` was not written.
    ///   - file: The experiment file's path, for an experiment without locations.
    ///   - message: What is wrong, and what would be right.
    public func error(at keyPath: String, orAt fallback: String? = nil, file: String, _ message: String) -> ConfigError {
        let location = locations[keyPath] ?? fallback.flatMap { locations[$0] }
            ?? ConfigLocation(file: file, line: 1, column: 1)
        return location.error(keyPath, message)
    }
}
