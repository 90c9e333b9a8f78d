/// The experiment-file format as data: every section, its keys, their types, defaults, valid
/// ranges and the kinds they apply to.
///
/// This is the one place the format is described. The loader takes the valid keys, the defaults
/// and the ranges from it, so that unknown-key errors list exactly the keys it accepts; the
/// reference in `docs/experiment-files.md` is generated from it (`markdownReference`); and a
/// JSON Schema can be generated from it too.
public enum ConfigSchema {
    /// A mapping of the file: the top level, `dataset`, `model`, one entry of `model.layers`, …
    public struct Section: Sendable {
        /// The section's dotted path, with `[]` for the items of a list: `""` for the top level,
        /// `optimizer`, `model.layers[]`, `training.early_stopping`.
        public let path: String
        /// What an instance of the section is called in messages: `optimizer`, `layer`.
        public let noun: String
        /// One or two sentences on what the section is for.
        public let summary: String
        /// The key that chooses the section's kind (`kind`, or `type` for layers), if it has one.
        /// Keys may apply to some kinds only.
        public let kindKey: String?
        /// Whether a bare string may stand for a mapping with only the kind key: `clipping: none`,
        /// or `- relu` in a layer list.
        public let acceptsBareKind: Bool
        /// The keys, in the order the canonical YAML writes them.
        public let keys: [Key]
        /// A short example of the section in context, as YAML text starting at the top level.
        public let example: String

        package init(path: String, noun: String, summary: String, kindKey: String?, acceptsBareKind: Bool,
                     keys: [Key], example: String) {
            self.path = path
            self.noun = noun
            self.summary = summary
            self.kindKey = kindKey
            self.acceptsBareKind = acceptsBareKind
            self.keys = keys
            self.example = example
        }

        /// The key named `name`, if the section has one.
        public func key(_ name: String) -> Key? {
            keys.first { $0.name == name }
        }

        /// The key `name` as it applies to sections of `kind`: a name may stand for different keys
        /// (of different types) for different kinds, such as `features` (a list of column names
        /// for `csv`, a file for `npy`). The first key of that name if none applies.
        public func key(_ name: String, kind: String?) -> Key? {
            keys.first { $0.name == name && $0.applies(to: kind) } ?? key(name)
        }

        /// The keys named `name`, one per group of kinds.
        public func keys(named name: String) -> [Key] {
            keys.filter { $0.name == name }
        }

        /// The distinct key names, in order.
        public var keyNames: [String] {
            var seen = Set<String>()
            return keys.map(\.name).filter { seen.insert($0).inserted }
        }
    }

    /// One key of a section.
    public struct Key: Sendable {
        /// The key as written in the file (snake_case).
        public let name: String
        /// What its value must be.
        public let type: ValueType
        /// What it is when the file does not give it.
        public let defaultValue: Default
        /// The range numbers (or each number of a list) must lie in, if any.
        public let bound: Bound?
        /// The kinds of its section the key applies to, or `nil` for every kind. Giving the key
        /// in a section of another kind is an error.
        public let kinds: [String]?
        /// What the key means, in a sentence or two.
        public let summary: String

        /// Creates a key; see the properties for the meaning of each argument.
        public init(_ name: String, _ type: ValueType, default defaultValue: Default, bound: Bound? = nil,
                    kinds: [String]? = nil, _ summary: String) {
            self.name = name
            self.type = type
            self.defaultValue = defaultValue
            self.bound = bound
            self.kinds = kinds
            self.summary = summary
        }

        /// Creates a key that applies to the kinds `kinds` of an enumeration written by raw value
        /// (`LayerType`), so that a misspelled kind does not compile.
        public init<Kind: RawRepresentable>(_ name: String, _ type: ValueType, default defaultValue: Default, bound: Bound? = nil,
                                            kinds: [Kind], _ summary: String) where Kind.RawValue == String {
            self.init(name, type, default: defaultValue, bound: bound, kinds: kinds.map(\.rawValue), summary)
        }

        /// Whether the key applies in a section of `kind` (always, when the kind is unknown).
        public func applies(to kind: String?) -> Bool {
            guard let kinds, let kind else { return true }
            return kinds.contains(kind)
        }

        /// The YAML text of the key's default in a section of `kind`, when it has a fixed one.
        public func defaultText(for kind: String?) -> String? {
            switch defaultValue {
            case .value(let text): text
            case .perKind(let defaults): defaults.first { $0.kind == kind }?.value
            case .required, .unset, .derived: nil
            }
        }
    }

    /// The type of a key's value.
    public indirect enum ValueType: Sendable, Equatable {
        /// Any scalar, read as its text.
        case string
        /// A whole number.
        case integer
        /// A finite real number; integers are accepted.
        case number
        /// `true` or `false`.
        case boolean
        /// One of the listed names.
        case choice([String])
        /// A list of values of one type.
        case list(ValueType)
        /// A mapping described by the section at the given path.
        case section(String)

        /// How the type is described in messages and documentation: "an integer", "a list of integers".
        public var phrase: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .number: "a number"
            case .boolean: "true or false"
            case .choice(let names): "one of \(names.joined(separator: ", "))"
            case .list(.integer): "a list of integers"
            case .list(.string): "a list of strings"
            case .list(.section): "a list of mappings"
            case .list(let element): "a list of \(element.phrase)"
            case .section: "a mapping"
            }
        }
    }

    /// What a key is when the file does not give it.
    public enum Default: Sendable, Equatable {
        /// The key must be given (for the kinds it applies to).
        case required
        /// The key is optional and has no value when absent (the feature it controls is off).
        case unset
        /// The YAML text of the value.
        case value(String)
        /// The YAML text of the value, per kind of the section.
        case perKind([KindDefault])
        /// Computed from other settings, as the text describes.
        case derived(String)
    }

    /// A default for one kind of a section.
    public struct KindDefault: Sendable, Equatable {
        /// The kind of the section.
        public let kind: String
        /// The YAML text of the default for that kind.
        public let value: String

        /// Creates the default `value` for sections of `kind`.
        public init(_ kind: String, _ value: String) {
            self.kind = kind
            self.value = value
        }
    }

    /// The range a number must lie in.
    public enum Bound: Sendable, Equatable {
        /// `x ≥ lower`.
        case atLeast(Double)
        /// `x > lower`.
        case greaterThan(Double)
        /// `lower ≤ x ≤ upper`.
        case closed(Double, Double)
        /// `lower ≤ x < upper`.
        case closedOpen(Double, Double)
        /// `lower < x < upper`.
        case open(Double, Double)

        /// Whether `value` lies in the range.
        public func contains(_ value: Double) -> Bool {
            switch self {
            case .atLeast(let lower): value >= lower
            case .greaterThan(let lower): value > lower
            case .closed(let lower, let upper): value >= lower && value <= upper
            case .closedOpen(let lower, let upper): value >= lower && value < upper
            case .open(let lower, let upper): value > lower && value < upper
            }
        }

        /// The range as written in messages and documentation: `≥ 1`, `> 0`, `in [0, 1)`.
        public var description: String {
            switch self {
            case .atLeast(let lower): "≥ \(Self.format(lower))"
            case .greaterThan(let lower): "> \(Self.format(lower))"
            case .closed(let lower, let upper): "in [\(Self.format(lower)), \(Self.format(upper))]"
            case .closedOpen(let lower, let upper): "in [\(Self.format(lower)), \(Self.format(upper)))"
            case .open(let lower, let upper): "in (\(Self.format(lower)), \(Self.format(upper)))"
            }
        }

        /// Whole numbers without a fraction, others as Swift prints them.
        private static func format(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }

    /// The section at `path` (`optimizer`, `model.layers[]`), if there is one.
    public static func section(_ path: String) -> Section? {
        sections.first { $0.path == path }
    }
}
