import Configuration
extension SweepSchema {
    /// The JSON Schema (draft-07) of sweep files, generated from `sections` as the experiment
    /// schema is from `ConfigSchema.sections`.
    ///
    /// `set`, `grid` and `random.parameters` have key paths of the base experiment as keys
    /// (`optimizer.learning_rate`), which the schema does not check against the base file: `set`
    /// takes any value per key path, `grid` a non-empty list or `{range: {start, stop, step}}`,
    /// `random.parameters` a distribution.
    public static var jsonSchema: JSONValue {
        let keyPath: JSONValue = .object([("pattern", .string("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$"))])
        func keyPaths(_ description: String, _ value: JSONValue) -> JSONValue {
            .object([("description", .string(description)), ("type", .string("object")), ("propertyNames", keyPath),
                     ("additionalProperties", value)])
        }
        let gridValue: JSONValue = .object([("anyOf", .array([
            .object([("type", .string("array")), ("minItems", .integer(1))]),
            .object([("type", .string("object")), ("properties", .object([("range", ConfigSchema.reference("grid[].range"))])),
                     ("required", .array([.string("range")])), ("additionalProperties", .bool(false))]),
        ]))])
        return ConfigSchema.jsonSchema(
            of: sections, title: "baifs sweep file",
            comment: "Generated from SweepSchema by `baifs-run schema --sweep`; do not edit. Regenerate with BAIFS_UPDATE_DOCS=1 swift test --filter JSONSchemaTests.",
            extraDefinitions: [
                ("set", keyPaths("`key.path: value`: overrides for every trial.", .object([]))),
                ("grid", keyPaths("`key.path: [values]` or `key.path: {range: {start, stop, step}}`: every combination is a trial.", gridValue)),
                ("random.parameters", keyPaths("`key.path: {distribution, low, high}`.", ConfigSchema.reference("random.parameters[]"))),
            ])
    }
}
