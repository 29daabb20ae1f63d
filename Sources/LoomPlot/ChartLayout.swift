/// Where everything of a ``LineChart`` goes: data ranges, plot rectangle, scales, tick
/// positions and labels, marker label rows.
///
/// Layout is computed from estimated text widths (``TextMetrics``) so labels do not collide:
/// the left margin fits the widest y label, x labels are thinned until they fit, and the right
/// margin grows if the last x label would stick out of the chart.
struct ChartLayout {
    struct Tick {
        var value: Double
        var label: String
    }

    struct MarkerLabel {
        var x: Double
        var row: Int
        var text: String
    }

    static let padding = 10.0
    static let titleFontSize = 16.0
    static let axisLabelFontSize = 13.0
    static let tickFontSize = 11.0
    static let markerFontSize = 11.0
    static let markerRowHeight = 14.0
    static let tickLength = 5.0
    static let maxMarkerRows = 3

    let plot: Rect
    let xScale: LinearScale
    let yScale: LinearScale
    let xTicks: [Tick]
    let yTicks: [Tick]
    let markerLabels: [MarkerLabel]
    /// False when no series, band or shade has a single finite value to show.
    let hasData: Bool

    init(chart: LineChart) {
        let extent = DataExtent(chart: chart)
        hasData = extent.hasData
        let xDomain = extent.x

        // Vertical layout first: it does not depend on any text width.
        let labelledMarkers = chart.markers.filter { !$0.label.isEmpty && $0.x.isFinite }
        let markerRows = min(labelledMarkers.count, Self.maxMarkerRows)
        var top = Self.padding
        if !chart.title.isEmpty { top += Self.titleFontSize + 10 }
        top += Double(markerRows) * Self.markerRowHeight
        if markerRows == 0, chart.title.isEmpty { top += 4 }
        var bottom = Self.padding + Self.tickLength + 4 + Self.tickFontSize
        if !chart.xLabel.isEmpty { bottom += 8 + Self.axisLabelFontSize }
        let plotHeight = max(20, chart.canvas.height - top - bottom)

        // y ticks, then the left margin that fits their labels.
        let yMaxIntervals = max(1, Int(plotHeight / 45))
        let yTicks: AxisTicks
        let yDomain: (lower: Double, upper: Double)
        if let fixed = chart.yRange, let range = AxisTicks.widened(fixed.lowerBound, fixed.upperBound) {
            yTicks = AxisTicks.within(range.lower, range.upper, maxIntervals: yMaxIntervals)
            yDomain = range
        } else {
            yTicks = AxisTicks.covering(extent.y.lower, extent.y.upper, maxIntervals: yMaxIntervals)
            if let first = yTicks.values.first, let last = yTicks.values.last, first < last {
                yDomain = (first, last)
            } else {
                yDomain = extent.y
            }
        }
        let yTickLabels = yTicks.values.map { Tick(value: $0, label: yTicks.label(for: $0)) }
        let widestY = yTickLabels.map { TextMetrics.width(of: $0.label, fontSize: Self.tickFontSize) }.max() ?? 0
        var left = Self.padding + widestY + 4 + Self.tickLength
        if !chart.yLabel.isEmpty { left += Self.axisLabelFontSize + 8 }

        // x ticks; widen the right margin once if the last label would stick out.
        var right = Self.padding + 6
        var plotWidth = max(20, chart.canvas.width - left - right)
        var xTicks = Self.xTicks(for: chart, domain: xDomain, plotWidth: plotWidth)
        if let last = xTicks.last {
            let position = (last.value - xDomain.lower) / (xDomain.upper - xDomain.lower) * plotWidth
            let overhang = position + TextMetrics.width(of: last.label, fontSize: Self.tickFontSize) / 2 - plotWidth
            if overhang > right - 2 {
                right = overhang + 2
                plotWidth = max(20, chart.canvas.width - left - right)
                xTicks = Self.xTicks(for: chart, domain: xDomain, plotWidth: plotWidth)
            }
        }

        plot = Rect(x: left, y: top, width: plotWidth, height: plotHeight)
        xScale = LinearScale(domain: xDomain, range: (plot.x, plot.maxX))
        yScale = LinearScale(domain: yDomain, range: (plot.maxY, plot.y))
        self.xTicks = xTicks
        self.yTicks = yTickLabels
        markerLabels = Self.placeMarkerLabels(labelledMarkers, rows: markerRows, scale: xScale,
                                              chartWidth: chart.canvas.width)
    }

    // MARK: - x ticks

    private static func xTicks(for chart: LineChart, domain: (lower: Double, upper: Double),
                               plotWidth: Double) -> [Tick] {
        switch chart.xTickLabels?.kind {
        case .sequence(let labels, let start, let step, let every)?:
            if let ticks = sequenceTicks(labels, start: start, step: step, every: every,
                                         domain: domain, plotWidth: plotWidth) {
                return ticks
            }
            return numericTicks(domain: domain, plotWidth: plotWidth)
        case .explicit(let ticks)?:
            let inside = ticks.filter { $0.x.isFinite && $0.x >= domain.lower && $0.x <= domain.upper }
                .sorted { $0.x < $1.x }
                .map { Tick(value: $0.x, label: $0.label) }
            return thinned(inside, domain: domain, plotWidth: plotWidth)
        case nil:
            return numericTicks(domain: domain, plotWidth: plotWidth)
        }
    }

    /// The most numeric 1-2-5 ticks whose labels fit side by side.
    private static func numericTicks(domain: (lower: Double, upper: Double), plotWidth: Double) -> [Tick] {
        var maxIntervals = max(1, Int(plotWidth / 50))
        while true {
            let ticks = AxisTicks.within(domain.lower, domain.upper, maxIntervals: maxIntervals)
            let labelled = ticks.values.map { Tick(value: $0, label: ticks.label(for: $0)) }
            if maxIntervals == 1 || fits(labelled, domain: domain, plotWidth: plotWidth) {
                return thinned(labelled, domain: domain, plotWidth: plotWidth)
            }
            maxIntervals = max(1, maxIntervals * 2 / 3)
        }
    }

    /// Every k-th label of a sequence, with k = `every` (or a 1-2-5 number) doubled until the
    /// labels fit. `nil` if the sequence is unusable (bad start/step, or no label in range).
    private static func sequenceTicks(_ labels: [String], start: Double, step: Double, every: Int?,
                                      domain: (lower: Double, upper: Double), plotWidth: Double) -> [Tick]? {
        guard !labels.isEmpty, start.isFinite, step.isFinite, step > 0 else { return nil }
        let firstIndex = max(0, ((domain.lower - start) / step).rounded(.up))
        let lastIndex = min(Double(labels.count - 1), ((domain.upper - start) / step).rounded(.down))
        guard firstIndex <= lastIndex, firstIndex.isFinite, lastIndex.isFinite else { return nil }
        let first = Int(firstIndex), last = Int(lastIndex)

        let widest = labels[first...last].lazy.map { TextMetrics.width(of: $0, fontSize: tickFontSize) }.max() ?? 0
        let maxIntervals = max(1, Int(plotWidth / (widest + 12)))
        var stride: Int
        if let every, every > 0 {
            stride = min(every, labels.count)
        } else {
            // A 1-2-5 step over label indices; below 1 (more room than labels) means every one.
            let nice = AxisTicks.niceStep(span: Double(max(last - first, 1)), maxIntervals: maxIntervals)
            stride = nice.exponent < 0 ? 1 : nice.mantissa * Int(pow10(nice.exponent))
        }
        while true {
            let alignedFirst = (first + stride - 1) / stride * stride
            let ticks = Swift.stride(from: alignedFirst, through: last, by: stride).map {
                Tick(value: start + Double($0) * step, label: labels[$0])
            }
            if stride > last - first || fits(ticks, domain: domain, plotWidth: plotWidth) {
                return thinned(ticks, domain: domain, plotWidth: plotWidth)
            }
            stride *= 2
        }
    }

    private static func pow10(_ exponent: Int) -> Double {
        exponent <= 0 ? 1 : (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Whether adjacent labels have at least a small gap between them.
    private static func fits(_ ticks: [Tick], domain: (lower: Double, upper: Double), plotWidth: Double) -> Bool {
        thinned(ticks, domain: domain, plotWidth: plotWidth).count == ticks.count
    }

    /// Drops labels that would overlap the previously kept one.
    private static func thinned(_ ticks: [Tick], domain: (lower: Double, upper: Double), plotWidth: Double) -> [Tick] {
        let span = domain.upper - domain.lower
        guard span > 0 else { return Array(ticks.prefix(1)) }
        var kept: [Tick] = []
        var previousRightEdge = -Double.infinity
        for tick in ticks {
            let center = (tick.value - domain.lower) / span * plotWidth
            let half = TextMetrics.width(of: tick.label, fontSize: tickFontSize) / 2
            if center - half >= previousRightEdge + 6 {
                kept.append(tick)
                previousRightEdge = center + half
            }
        }
        return kept
    }

    // MARK: - Marker labels

    /// Puts each label in the first row where it does not overlap another; labels that fit in
    /// no row are left out (their line is still drawn).
    private static func placeMarkerLabels(_ markers: [LineChart.Marker], rows: Int, scale: LinearScale,
                                          chartWidth: Double) -> [MarkerLabel] {
        guard rows > 0 else { return [] }
        var occupied: [[(Double, Double)]] = Array(repeating: [], count: rows)
        var placed: [MarkerLabel] = []
        for marker in markers where scale.contains(marker.x) {
            let width = TextMetrics.width(of: marker.label, fontSize: markerFontSize)
            let center = min(max(scale(marker.x), width / 2 + 2), chartWidth - width / 2 - 2)
            let span = (center - width / 2 - 4, center + width / 2 + 4)
            for row in 0..<rows where !occupied[row].contains(where: { $0.0 < span.1 && span.0 < $0.1 }) {
                occupied[row].append(span)
                placed.append(MarkerLabel(x: center, row: row, text: marker.label))
                break
            }
        }
        return placed
    }
}
