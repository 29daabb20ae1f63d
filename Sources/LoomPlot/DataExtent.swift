/// The x and y ranges a chart's axes must show.
///
/// x comes from ``LineChart/xRange`` if set, else from every finite series point, band, shade
/// and marker (or the x tick label sequence when there is no data). y comes from
/// ``LineChart/yRange`` if set, else from the finite series and band values whose x lies in the
/// x range, so a zoomed copy of a chart fits its y axis to what it shows. Ranges are never
/// empty: a single value is widened (see ``AxisTicks/widened(_:_:)``), no data gives `0...1`.
struct DataExtent {
    let x: (lower: Double, upper: Double)
    let y: (lower: Double, upper: Double)
    /// Whether any series or band has a finite point.
    let hasData: Bool

    init(chart: LineChart) {
        var xs = Bounds()
        var hasData = false
        for series in chart.series {
            for point in series.points where point.x.isFinite && point.y.isFinite {
                xs.include(point.x)
                hasData = true
            }
        }
        for band in chart.bands {
            for segment in band.segments {
                for index in segment { xs.include(band.x[index]) }
                hasData = true
            }
        }
        for shade in chart.shades where shade.from.isFinite && shade.to.isFinite {
            xs.include(shade.from)
            xs.include(shade.to)
        }
        for marker in chart.markers where marker.x.isFinite {
            xs.include(marker.x)
        }
        if xs.isEmpty, case .sequence(let labels, let start, let step, _)? = chart.xTickLabels?.kind,
           !labels.isEmpty {
            xs.include(start)
            xs.include(start + Double(labels.count - 1) * step)
        }

        let x: (lower: Double, upper: Double)
        if let fixed = chart.xRange, let range = AxisTicks.widened(fixed.lowerBound, fixed.upperBound) {
            x = range
        } else {
            x = xs.range ?? (0, 1)
        }

        var ys = Bounds()
        let visible = { (value: Double) in value >= x.lower && value <= x.upper }
        for series in chart.series {
            for point in series.points where point.x.isFinite && point.y.isFinite && visible(point.x) {
                ys.include(point.y)
            }
        }
        for band in chart.bands {
            for segment in band.segments {
                for index in segment where visible(band.x[index]) {
                    ys.include(band.lower[index])
                    ys.include(band.upper[index])
                }
            }
        }
        self.x = x
        self.y = ys.range ?? (0, 1)
        self.hasData = hasData
    }

    /// Running minimum and maximum of finite values.
    private struct Bounds {
        private var lower = Double.infinity
        private var upper = -Double.infinity

        var isEmpty: Bool { lower > upper }

        mutating func include(_ value: Double) {
            guard value.isFinite else { return }
            lower = min(lower, value)
            upper = max(upper, value)
        }

        /// The (widened) range, or `nil` if nothing was included.
        var range: (lower: Double, upper: Double)? {
            isEmpty ? nil : AxisTicks.widened(lower, upper)
        }
    }
}
