/// A color for a series, band or annotation, written into the SVG as a CSS color string.
///
/// The default ``palette`` is the Okabe–Ito set of colors that stay distinguishable for readers
/// with the common forms of color blindness; its too-light yellow is replaced by black.
public struct PlotColor: Sendable, Hashable, CustomStringConvertible {
    /// The CSS color text, e.g. `#0072B2` or `steelblue`.
    public let css: String

    /// A color from any CSS color text (`#RRGGBB`, a named color, `rgb(…)`).
    public init(css: String) {
        self.css = css
    }

    /// A color from 8-bit red, green and blue components (clamped to `0...255`).
    public init(red: Int, green: Int, blue: Int) {
        func hex(_ component: Int) -> String {
            let clamped = min(max(component, 0), 255)
            let digits = String(clamped, radix: 16, uppercase: true)
            return clamped < 16 ? "0" + digits : digits
        }
        css = "#" + hex(red) + hex(green) + hex(blue)
    }

    public var description: String { css }

    public static let blue = PlotColor(css: "#0072B2")
    public static let vermillion = PlotColor(css: "#D55E00")
    public static let green = PlotColor(css: "#009E73")
    public static let purple = PlotColor(css: "#CC79A7")
    public static let orange = PlotColor(css: "#E69F00")
    public static let skyBlue = PlotColor(css: "#56B4E9")
    public static let black = PlotColor(css: "#000000")
    public static let gray = PlotColor(css: "#808080")

    /// Series colors in the order they are assigned: the n-th series without an explicit
    /// color gets `palette[n % palette.count]`.
    public static let palette: [PlotColor] = [.blue, .vermillion, .green, .purple, .orange, .skyBlue, .black]
}
