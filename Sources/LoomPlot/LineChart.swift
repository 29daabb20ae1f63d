/// A line chart rendered as SVG: title, axis labels, 1-2-5 ticks with gridlines, several
/// named series, a legend, vertical markers, shaded spans and bands.
///
/// ```swift
/// var chart = LineChart(title: "Airline passengers", xLabel: "month", yLabel: "passengers")
/// chart.add(series: "actual", y: values)
/// chart.add(series: "forecast", x: xs, y: ys, style: .dashed)
/// chart.marker(x: 132, label: "forecast start")
/// try chart.write(to: URL(filePath: "forecast.svg"))
/// ```
///
/// A chart is a value: build it, copy it (e.g. to make a zoomed copy with ``xRange``), then
/// render it with ``svg()`` or ``write(to:)``, or lay several out with ``Figure``.
///
/// Data is never trusted to be clean: empty series, a single point, all-equal values and
/// NaN/±∞ values all render (non-finite points are skipped and break the line).
public struct LineChart: Sendable, Equatable {
    /// Text above the plot; empty for none.
    public var title: String
    /// Text under the x axis; empty for none.
    public var xLabel: String
    /// Text beside the y axis (rotated); empty for none.
    public var yLabel: String
    /// Size of the whole chart in pixels, including title, labels and margins.
    public var width: Double
    public var height: Double

    /// The lines, drawn in order (later series on top).
    public var series: [Series] = []
    /// Shaded areas between two curves, drawn below the lines.
    public var bands: [Band] = []
    /// Shaded vertical spans, drawn below bands and lines.
    public var shades: [Shade] = []
    /// Vertical marker lines.
    public var markers: [Marker] = []

    /// Text labels for the x axis (dates, categories); `nil` for numeric labels.
    public var xTickLabels: XTickLabels?
    /// A fixed x range; `nil` fits the data exactly. Data outside it is clipped.
    public var xRange: ClosedRange<Double>?
    /// A fixed y range; `nil` fits the (visible) data and rounds outward to ticks.
    public var yRange: ClosedRange<Double>?
    /// Where the legend goes; ``LegendPosition/automatic`` picks the emptiest corner.
    public var legendPosition: LegendPosition = .automatic
    /// Whether to draw gridlines at the ticks.
    public var showsGrid = true

    /// An empty chart of `width × height` pixels.
    public init(title: String = "", xLabel: String = "", yLabel: String = "",
                width: Double = 640, height: Double = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    // MARK: - Series

    /// Adds a series of y values at `x = xStart, xStart + 1, …`.
    public mutating func add(series name: String, y: [Double], xStart: Double = 0,
                             style: LineStyle = .solid, color: PlotColor? = nil) {
        let points = y.enumerated().map { Point(x: xStart + Double($0.offset), y: $0.element) }
        series.append(Series(name: name, points: points, style: style, color: color))
    }

    /// Adds a series of y values at `x = xStart, xStart + 1, …` (any floating-point type).
    public mutating func add<Value: BinaryFloatingPoint>(series name: String, y: [Value], xStart: Double = 0,
                                                         style: LineStyle = .solid, color: PlotColor? = nil) {
        add(series: name, y: y.map { Double($0) }, xStart: xStart, style: style, color: color)
    }

    /// Adds a series of `(x[i], y[i])` points.
    ///
    /// - Precondition: `x.count == y.count`.
    public mutating func add(series name: String, x: [Double], y: [Double],
                             style: LineStyle = .solid, color: PlotColor? = nil) {
        precondition(x.count == y.count,
                     "LineChart.add(series: \"\(name)\"): x has \(x.count) values but y has \(y.count)")
        let points = zip(x, y).map { Point(x: $0, y: $1) }
        series.append(Series(name: name, points: points, style: style, color: color))
    }

    /// Adds a series of `(x[i], y[i])` points (any floating-point type).
    ///
    /// - Precondition: `x.count == y.count`.
    public mutating func add<Value: BinaryFloatingPoint>(series name: String, x: [Value], y: [Value],
                                                         style: LineStyle = .solid, color: PlotColor? = nil) {
        add(series: name, x: x.map { Double($0) }, y: y.map { Double($0) }, style: style, color: color)
    }

    /// Adds a series of points.
    public mutating func add(series name: String, points: [(x: Double, y: Double)],
                             style: LineStyle = .solid, color: PlotColor? = nil) {
        let points = points.map { Point(x: $0.x, y: $0.y) }
        series.append(Series(name: name, points: points, style: style, color: color))
    }

    // MARK: - Annotations

    /// Draws a vertical line at `x`, labelled above the plot (e.g. "forecast start").
    public mutating func marker(x: Double, label: String = "", color: PlotColor = PlotColor(css: "#555555")) {
        markers.append(Marker(x: x, label: label, color: color))
    }

    /// Shades the vertical span between `from` and `to` (e.g. the test period).
    public mutating func shade(from: Double, to: Double, label: String = "", color: PlotColor = .gray) {
        shades.append(Shade(from: from, to: to, label: label, color: color))
    }

    /// Shades the area between `lower` and `upper` over `x` (e.g. a prediction interval).
    ///
    /// - Precondition: `x`, `lower` and `upper` have the same count.
    public mutating func band(_ name: String, x: [Double], lower: [Double], upper: [Double],
                              color: PlotColor? = nil) {
        bands.append(Band(name: name, x: x, lower: lower, upper: upper, color: color))
    }

    // MARK: - Size

    /// ``width`` and ``height`` made safe to lay out: clamped to `1...100_000`, and the
    /// defaults for non-finite values.
    var canvas: (width: Double, height: Double) {
        func clamp(_ value: Double, default fallback: Double) -> Double {
            value.isFinite ? min(max(value, 1), 100_000) : fallback
        }
        return (clamp(width, default: 640), clamp(height, default: 400))
    }

    // MARK: - Colors

    /// The color each series is drawn in: its own, or the next palette color.
    ///
    /// Bands without a color share the palette sequence after the series, so a band added for
    /// a forecast does not take the forecast line's color unless asked to.
    var resolvedColors: (series: [PlotColor], bands: [PlotColor]) {
        var next = 0
        func take(_ explicit: PlotColor?) -> PlotColor {
            if let explicit { return explicit }
            defer { next += 1 }
            return PlotColor.palette[next % PlotColor.palette.count]
        }
        let seriesColors = series.map { take($0.color) }
        let bandColors = bands.map { take($0.color) }
        return (seriesColors, bandColors)
    }
}
