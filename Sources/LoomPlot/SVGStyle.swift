/// Shared look of every chart: font stack and neutral colors.
enum SVGStyle {
    /// DejaVu Sans first: it is what librsvg and most Linux browsers fall back to anyway, and
    /// ``TextMetrics`` estimates widths for it.
    static let fontFamily = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif"
    static let textColor = "#222222"
    static let axisColor = "#444444"
    static let frameColor = "#BBBBBB"
    static let gridColor = "#E8E8E8"

    static let rootAttributes: SVGWriter.Attributes = [("font-family", fontFamily)]
}
