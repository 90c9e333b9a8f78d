import Foundation

/// The absolute path of the running `baifs-run`, which sweeps start their trials with and write
/// into Slurm and GNU parallel job files: `/proc/self/exe` where there is one, otherwise the
/// first argument resolved against the current folder and `PATH`.
let executablePath: String = {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    let invoked = CommandLine.arguments[0]
    if invoked.contains("/") {
        return URL(fileURLWithPath: invoked).standardizedFileURL.resolvingSymlinksInPath().path
    }
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let candidate = "\(folder)/\(invoked)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate).standardizedFileURL.path }
    }
    return invoked
}()
