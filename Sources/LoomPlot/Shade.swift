extension LineChart {
    /// A shaded vertical span `from...to` across the whole plot height, e.g. the held-out
    /// test period. Bounds may come in either order; a non-finite bound hides the span.
    public struct Shade: Sendable, Equatable {
        public var from: Double
        public var to: Double
        /// Legend text; an empty label keeps the span out of the legend.
        public var label: String
        public var color: PlotColor
        /// Fill opacity, `0...1`.
        public var opacity: Double

        public init(from: Double, to: Double, label: String = "", color: PlotColor = .gray,
                    opacity: Double = 0.15) {
            self.from = from
            self.to = to
            self.label = label
            self.color = color
            self.opacity = opacity
        }
    }
}
