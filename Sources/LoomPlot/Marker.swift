extension LineChart {
    /// A vertical line across the plot at one x value, e.g. where a forecast starts.
    ///
    /// The label is written above the plot area, so it never hides data.
    public struct Marker: Sendable, Equatable {
        public var x: Double
        public var label: String
        public var color: PlotColor

        public init(x: Double, label: String = "", color: PlotColor = PlotColor(css: "#555555")) {
            self.x = x
            self.label = label
            self.color = color
        }
    }
}
