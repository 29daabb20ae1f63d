/// Several charts laid out in a grid in one SVG document, e.g. a whole series beside a zoom on
/// its last months.
///
/// ```swift
/// var zoom = chart
/// zoom.title = "Last 24 months"
/// zoom.xRange = 120...143
/// try Figure(columns: 2, charts: [chart, zoom]).write(to: url)   // side by side
/// try Figure(columns: 1, charts: [chart, zoom]).write(to: url)   // stacked
/// ```
///
/// Charts fill the grid row by row. Each keeps its own size; a column is as wide as its widest
/// chart and a row as tall as its tallest, and smaller charts sit at the top left of their cell.
public struct Figure: Sendable, Equatable, SVGRenderable {
    /// Text above the grid; empty for none.
    public var title: String
    /// Charts per row; values below 1 count as 1.
    public var columns: Int
    public var charts: [LineChart]
    /// Gap between cells in pixels.
    public var spacing: Double

    public init(title: String = "", columns: Int = 1, charts: [LineChart], spacing: Double = 12) {
        self.title = title
        self.columns = columns
        self.charts = charts
        self.spacing = spacing
    }

    static let titleFontSize = 18.0
    static let titleHeight = 36.0

    /// The whole figure as a standalone SVG document.
    public func svg() -> String {
        let layout = grid
        var writer = SVGWriter()
        writer.beginDocument(width: layout.width, height: layout.height, attributes: SVGStyle.rootAttributes)
        writer.element("rect", [("x", "0"), ("y", "0"), ("width", SVGWriter.number(layout.width)),
                                ("height", SVGWriter.number(layout.height)), ("fill", "white")])
        if !title.isEmpty {
            writer.element("text", [("x", SVGWriter.number(layout.width / 2)),
                                    ("y", SVGWriter.number(Self.titleHeight - 12)),
                                    ("text-anchor", "middle"), ("font-size", SVGWriter.number(Self.titleFontSize)),
                                    ("font-weight", "bold"), ("fill", SVGStyle.textColor)], text: title)
        }
        for (index, chart) in charts.enumerated() {
            let origin = layout.origins[index]
            let translation = "translate(\(SVGWriter.number(origin.x)) \(SVGWriter.number(origin.y)))"
            writer.open("g", [("transform", translation)])
            chart.draw(into: &writer, idPrefix: "loomplot-\(index)-")
            writer.close("g")
        }
        writer.endDocument()
        return writer.output
    }

    /// Cell origins and the total size.
    private var grid: (origins: [(x: Double, y: Double)], width: Double, height: Double) {
        let columnCount = max(1, min(columns, max(charts.count, 1)))
        let rowCount = (charts.count + columnCount - 1) / columnCount
        var columnWidths = [Double](repeating: 0, count: columnCount)
        var rowHeights = [Double](repeating: 0, count: rowCount)
        for (index, chart) in charts.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: columnCount)
            columnWidths[column] = max(columnWidths[column], chart.canvas.width)
            rowHeights[row] = max(rowHeights[row], chart.canvas.height)
        }
        let gap = Self.finite(spacing)
        let top = title.isEmpty ? 0 : Self.titleHeight
        var origins: [(x: Double, y: Double)] = []
        for index in charts.indices {
            let (row, column) = index.quotientAndRemainder(dividingBy: columnCount)
            let x = columnWidths[..<column].reduce(0, +) + Double(column) * gap
            let y = top + rowHeights[..<row].reduce(0, +) + Double(row) * gap
            origins.append((x, y))
        }
        let width = columnWidths.reduce(0, +) + Double(max(columnCount - 1, 0)) * gap
        let height = top + rowHeights.reduce(0, +) + Double(max(rowCount - 1, 0)) * gap
        let titleWidth = TextMetrics.width(of: title, fontSize: Self.titleFontSize) + 20
        return (origins, max(width, title.isEmpty ? 1 : titleWidth), max(height, 1))
    }

    private static func finite(_ value: Double) -> Double {
        value.isFinite ? max(value, 0) : 0
    }
}
