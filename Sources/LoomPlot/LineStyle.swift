/// How a series is stroked.
public enum LineStyle: Sendable, Hashable {
    /// A continuous line.
    case solid
    /// A dashed line, e.g. for a forecast or a prediction.
    case dashed
    /// A dotted line.
    case dotted
    /// Only the data points, drawn as dots, without connecting lines.
    case points

    /// The SVG `stroke-dasharray` value, `nil` for a continuous stroke.
    var dashArray: String? {
        switch self {
        case .solid, .points: nil
        case .dashed: "7 4"
        case .dotted: "1.5 3"
        }
    }
}
