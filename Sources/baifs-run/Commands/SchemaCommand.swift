import ArgumentParser
import Configuration
import Sweeps

/// `baifs-run schema`: the JSON Schema of experiment files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft-07) of experiment files, for editors with a YAML language server.",
        discussion: """
        Generated from the definitions the loader validates with. A copy is docs/experiment.schema.json;
        point an experiment file at it with a first line `# yaml-language-server: $schema=PATH`.
        """
    )

    @Flag(help: "The schema of sweep files instead.")
    var sweep = false

    func run() throws {
        print((sweep ? SweepSchema.jsonSchema : ConfigSchema.jsonSchema).text(), terminator: "")
    }
}
