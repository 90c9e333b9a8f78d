import Foundation

/// The built `baifs-run` executable, run as a child process in a scratch folder.
struct BaifsRunProcess {
    /// The executable: beside the test bundle in the build products folder.
    static let executable: URL = {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("baifs-run")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("baifs-run")
    }()

    /// The repository's root, where `experiments/` is.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// The last line of standard output: the run directory, by contract.
        var lastLine: String { standardOutput.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// Runs `baifs-run arguments` in `folder` and waits for it.
    static func run(_ arguments: [String], in folder: URL) throws -> Result {
        let process = try start(arguments, in: folder)
        return try finish(process)
    }

    /// Starts `baifs-run arguments` in `folder` without waiting.
    static func start(_ arguments: [String], in folder: URL) throws -> RunningProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return RunningProcess(process: process, output: output, error: error)
    }

    static func finish(_ running: RunningProcess) throws -> Result {
        let outputData = running.output.fileHandleForReading.readDataToEndOfFile()
        let errorData = running.error.fileHandleForReading.readDataToEndOfFile()
        running.process.waitUntilExit()
        return Result(status: running.process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }

    struct RunningProcess {
        var process: Process
        var output: Pipe
        var error: Pipe
    }

    /// The folder that holds this test process's scratch folders, removed when the process exits,
    /// so that test runs do not pile copies of `experiments/` up in the temporary folder.
    static let scratchRoot: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("baifs-cli-\(UUID().uuidString)")
        scratchRootPath = root.path
        atexit { if let path = scratchRootPath { try? FileManager.default.removeItem(atPath: path) } }
        return root
    }()

    /// A new empty folder with the repository's `experiments/` copied in.
    static func scratchFolder() throws -> URL {
        let folder = scratchRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repository.appendingPathComponent("experiments"), to: folder.appendingPathComponent("experiments"))
        return folder
    }

    /// Every file under `folder` but `timing.json` and TensorBoard's event files (which hold wall
    /// times), by relative path, with its bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return result }
        for case let relative as String in enumerator where !relative.hasSuffix("timing.json") && !relative.contains("tfevents") {
            var isDirectory: ObjCBool = false
            let path = base + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return result
    }
}

/// `BaifsRunProcess.scratchRoot`'s path, for the exit handler (which captures nothing).
nonisolated(unsafe) private var scratchRootPath: String?
