extension LineChart {
    /// A shaded area between a lower and an upper curve over the same x values, e.g. a
    /// prediction interval.
    ///
    /// Where any of `x`, `lower` or `upper` is NaN or ±∞ the band is interrupted, like a line.
    public struct Band: Sendable, Equatable {
        /// Legend text; an empty name keeps the band out of the legend.
        public var name: String
        public var x: [Double]
        public var lower: [Double]
        public var upper: [Double]
        /// `nil` picks the next color of ``PlotColor/palette``.
        public var color: PlotColor?
        /// Fill opacity, `0...1`.
        public var opacity: Double

        /// - Precondition: `x`, `lower` and `upper` have the same count.
        public init(name: String, x: [Double], lower: [Double], upper: [Double], color: PlotColor? = nil,
                    opacity: Double = 0.2) {
            precondition(x.count == lower.count && x.count == upper.count,
                         "Band '\(name)': x, lower and upper must have the same count, "
                             + "got \(x.count), \(lower.count) and \(upper.count)")
            self.name = name
            self.x = x
            self.lower = lower
            self.upper = upper
            self.color = color
            self.opacity = opacity
        }

        /// Runs of indices where x, lower and upper are all finite.
        var segments: [Range<Int>] {
            var result: [Range<Int>] = []
            var start: Int?
            for index in x.indices {
                let finite = x[index].isFinite && lower[index].isFinite && upper[index].isFinite
                if finite, start == nil { start = index }
                if !finite, let begin = start {
                    result.append(begin..<index)
                    start = nil
                }
            }
            if let begin = start { result.append(begin..<x.count) }
            return result
        }
    }
}
