import Foundation
import Testing

/// Output paths a user names (`infer --output`, `export -o`, `plot -o`, `graph -o`) never replace
/// what the command does not own: the files it reads, symbolic links, devices and fifos.
@Suite(.serialized)
struct OutputPathTests {
    /// A folder with one short run, its last checkpoint and a CSV of inputs.
    static func trainedRun() throws -> (folder: URL, checkpoint: String) {
        let folder = try BaifsRunProcess.scratchFolder()
        let run = try BaifsRunProcess.run(InspectionCommandTests.quickRun, in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        try "x0,x1\n0.1,0.2\n-1,0.5\n".write(to: folder.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        return (folder, "\(run.lastLine)/checkpoints/last.json")
    }

    static func bytes(_ path: String, in folder: URL) -> Data? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(path).path)
    }

    static func fileType(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    @Test func anOutputThatIsAnInputIsRefused() throws {
        let (folder, checkpoint) = try Self.trainedRun()
        let before = try #require(Self.bytes(checkpoint, in: folder))
        let infer = try BaifsRunProcess.run(["infer", checkpoint, "--input", "points.csv", "--output", checkpoint], in: folder)
        #expect(infer.status == 1)
        #expect(infer.standardError == "error: --output \(checkpoint) is a file this command reads; write the output somewhere else.\n")
        let inputToo = try BaifsRunProcess.run(["infer", checkpoint, "--input", "points.csv", "--output", "./points.csv"], in: folder)
        #expect(inputToo.status == 1)
        #expect(inputToo.standardError.contains("is a file this command reads (the same file as points.csv)"))
        let export = try BaifsRunProcess.run(["export", checkpoint, "-o", checkpoint], in: folder)
        #expect(export.status == 1)
        #expect(export.standardError.contains("is a file this command reads"))
        #expect(Self.bytes(checkpoint, in: folder) == before)

        let run = String(checkpoint.dropLast("/checkpoints/last.json".count))
        let metrics = try #require(Self.bytes("\(run)/metrics.csv", in: folder))
        let plot = try BaifsRunProcess.run(["plot", run, "-o", "\(run)/metrics.csv"], in: folder)
        #expect(plot.status == 1)
        #expect(plot.standardError.contains("is a file this command reads"))
        #expect(Self.bytes("\(run)/metrics.csv", in: folder) == metrics)
        let experiment = try #require(Self.bytes("experiments/mlp.yaml", in: folder))
        let graph = try BaifsRunProcess.run(["graph", "experiments/mlp.yaml", "-o", "experiments/mlp.yaml"], in: folder)
        #expect(graph.status == 1)
        #expect(graph.standardError.contains("is a file this command reads"))
        #expect(Self.bytes("experiments/mlp.yaml", in: folder) == experiment)
    }

    @Test func symbolicLinksAndFoldersAreRefusedNotReplaced() throws {
        let (folder, checkpoint) = try Self.trainedRun()
        try "keep\n".write(to: folder.appendingPathComponent("target.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.csv").path, withDestinationPath: "target.csv")
        let linked = try BaifsRunProcess.run(["infer", checkpoint, "--input", "points.csv", "--output", "link.csv"], in: folder)
        #expect(linked.status == 1)
        #expect(linked.standardError == "error: --output link.csv is a symbolic link; baifs-run does not replace files through links: give the target's path.\n")
        #expect(Self.fileType(folder.appendingPathComponent("link.csv").path) == S_IFLNK)
        #expect(Self.bytes("target.csv", in: folder) == Data("keep\n".utf8))

        let intoFolder = try BaifsRunProcess.run(["export", checkpoint, "-o", "experiments"], in: folder)
        #expect(intoFolder.status == 1)
        #expect(intoFolder.standardError == "error: --output experiments is a folder; give a file name.\n")
    }

    @Test func devicesAndFifosAreWrittenIntoNotReplaced() throws {
        let (folder, checkpoint) = try Self.trainedRun()
        let expected = try BaifsRunProcess.run(["infer", checkpoint, "--input", "points.csv"], in: folder)
        #expect(expected.status == 0 && expected.standardOutput.hasPrefix("predicted_class,output_0\n"))

        // `-` and a link to /proc/self/fd/1 (what /dev/stdout is) are standard output. The test makes
        // its own link so that a regression cannot replace the system's /dev/stdout.
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("stdout").path, withDestinationPath: "/proc/self/fd/1")
        for path in ["-", "stdout"] {
            let result = try BaifsRunProcess.run(["infer", checkpoint, "--input", "points.csv", "--output", path], in: folder)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput == expected.standardOutput)
        }
        // A device stays the device (as root, a rename would replace it with a file). The test makes
        // its own null device (character device 1, 3) so that a regression cannot replace /dev/null.
        let device = folder.appendingPathComponent("null").path
        if mknod(device, S_IFCHR | 0o666, (1 << 8) | 3) == 0 {
            let null = try BaifsRunProcess.run(["export", checkpoint, "-o", "null"], in: folder)
            #expect(null.status == 0, "\(null.standardError)")
            #expect(null.standardOutput == "null\n")
            #expect(Self.fileType(device) == S_IFCHR)
        }
        // The tensors on standard output, with no path after them.
        let safetensors = try BaifsRunProcess.run(["export", checkpoint, "-o", "-"], in: folder)
        #expect(safetensors.status == 0)
        #expect(safetensors.standardOutput.contains("\"__metadata__\""))
        #expect(!safetensors.standardOutput.hasSuffix("\n-\n"))

        // A fifo is written into, and stays a fifo.
        let fifo = folder.appendingPathComponent("predictions.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let reader = try ShellCommand.run("timeout -s KILL 60 cat predictions.fifo > received.csv & "
            + "\(BaifsRunProcess.executable.path) infer \(checkpoint) --input points.csv --output predictions.fifo; wait", in: folder)
        #expect(reader.status == 0, "\(reader.standardError)")
        #expect(Self.bytes("received.csv", in: folder) == Data(expected.standardOutput.utf8))
        #expect(Self.fileType(fifo) == S_IFIFO)
    }
}
