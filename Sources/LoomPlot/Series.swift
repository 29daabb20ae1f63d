extension LineChart {
    /// A point in data coordinates.
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// One named line of a chart.
    ///
    /// Points are connected in the order given. A point whose `x` or `y` is NaN or ±∞ is not
    /// drawn and breaks the line in two; a point that ends up alone is drawn as a dot.
    public struct Series: Sendable, Equatable {
        /// The legend text; an empty name keeps the series out of the legend.
        public var name: String
        public var points: [Point]
        public var style: LineStyle
        /// `nil` picks the next color of ``PlotColor/palette``.
        public var color: PlotColor?
        /// Stroke width in pixels.
        public var lineWidth: Double

        public init(name: String, points: [Point], style: LineStyle = .solid, color: PlotColor? = nil,
                    lineWidth: Double = 1.8) {
            self.name = name
            self.points = points
            self.style = style
            self.color = color
            self.lineWidth = lineWidth
        }

        /// The runs of consecutive finite points, in order; non-finite points separate runs.
        var segments: [[Point]] {
            var result: [[Point]] = []
            var current: [Point] = []
            for point in points {
                if point.x.isFinite, point.y.isFinite {
                    current.append(point)
                } else if !current.isEmpty {
                    result.append(current)
                    current = []
                }
            }
            if !current.isEmpty { result.append(current) }
            return result
        }
    }
}
