import ArgumentParser

@main
struct BaifsRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baifs-run",
        abstract: "Train baifs models from YAML experiment files.",
        discussion: "The experiment runner is being built; this command only shows its help for now."
    )

    @Argument(help: "The experiment file to run, such as experiments/mlp.yaml.")
    var experiment: String?

    func run() throws {
        throw ValidationError("The experiment runner is not available yet.")
    }
}
