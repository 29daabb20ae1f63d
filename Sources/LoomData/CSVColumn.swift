/// A column of a CSV file, selected by header name or by 0-based position.
///
/// String and integer literals work directly: `columns: ["passengers"]`, `columns: [2]`.
public enum CSVColumn: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
                       CustomStringConvertible {
    case name(String)
    case index(Int)

    public init(stringLiteral value: String) { self = .name(value) }
    public init(integerLiteral value: Int) { self = .index(value) }

    public var description: String {
        switch self {
        case .name(let name): return "'\(name)'"
        case .index(let index): return String(index)
        }
    }
}

/// Whether the first row of a CSV file names the columns.
public enum CSVHeader: Sendable {
    /// Decide from the data: the first row is a header when, in some column, it is not a number
    /// while the following rows mostly are (see ``CSVTable``).
    case auto
    /// The first row is a header.
    case present
    /// Every row is data; columns are selected by index.
    case absent
}
