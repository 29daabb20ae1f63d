/// Where a chart's legend is drawn. All positions are inside the plot area, in a corner, on a
/// translucent white box.
public enum LegendPosition: Sendable, Hashable {
    /// The corner whose box would hide the fewest data points (ties: top right, top left,
    /// bottom left, bottom right).
    case automatic
    case topLeft
    case topRight
    case bottomLeft
    case bottomRight
    /// No legend.
    case hidden
}

/// The legend's entries, size and placement.
struct Legend {
    enum Swatch {
        case line(LineStyle, lineWidth: Double)
        case area(opacity: Double)
    }

    struct Entry {
        var label: String
        var color: PlotColor
        var swatch: Swatch
    }

    static let fontSize = 12.0
    static let rowHeight = 17.0
    static let swatchWidth = 26.0
    static let padding = 7.0
    /// Distance between the legend box and the plot edges.
    static let inset = 8.0

    let entries: [Entry]

    /// The entries of `chart` that have a non-empty name: series, then bands, then shades.
    init(chart: LineChart) {
        let colors = chart.resolvedColors
        var entries: [Entry] = []
        for (series, color) in zip(chart.series, colors.series) where !series.name.isEmpty {
            entries.append(Entry(label: series.name, color: color,
                                 swatch: .line(series.style, lineWidth: series.lineWidth)))
        }
        for (band, color) in zip(chart.bands, colors.bands) where !band.name.isEmpty {
            entries.append(Entry(label: band.name, color: color, swatch: .area(opacity: max(band.opacity, 0.25))))
        }
        for shade in chart.shades where !shade.label.isEmpty {
            entries.append(Entry(label: shade.label, color: shade.color,
                                 swatch: .area(opacity: max(shade.opacity, 0.25))))
        }
        self.entries = entries
    }

    var size: (width: Double, height: Double) {
        let widest = entries.map { TextMetrics.width(of: $0.label, fontSize: Self.fontSize) }.max() ?? 0
        return (Self.padding * 2 + Self.swatchWidth + 6 + widest,
                Self.padding * 2 + Self.rowHeight * Double(entries.count) - 3)
    }

    /// The legend box at `corner` of `plot`.
    func frame(at corner: LegendPosition, in plot: Rect) -> Rect {
        let (width, height) = size
        let left = plot.x + Self.inset
        let right = plot.maxX - Self.inset - width
        let top = plot.y + Self.inset
        let bottom = plot.maxY - Self.inset - height
        switch corner {
        case .topLeft: return Rect(x: left, y: top, width: width, height: height)
        case .bottomLeft: return Rect(x: left, y: bottom, width: width, height: height)
        case .bottomRight: return Rect(x: right, y: bottom, width: width, height: height)
        case .topRight, .automatic, .hidden: return Rect(x: right, y: top, width: width, height: height)
        }
    }

    /// The corner (or the requested one) whose box covers the fewest of `obstacles`.
    func placement(_ requested: LegendPosition, in plot: Rect, avoiding obstacles: [(x: Double, y: Double)]) -> Rect? {
        guard !entries.isEmpty, requested != .hidden else { return nil }
        guard requested == .automatic else { return frame(at: requested, in: plot) }
        let corners: [LegendPosition] = [.topRight, .topLeft, .bottomLeft, .bottomRight]
        var best: (frame: Rect, hidden: Int)?
        for corner in corners {
            let box = frame(at: corner, in: plot).expanded(by: 4)
            let hidden = obstacles.count { box.contains(x: $0.x, y: $0.y) }
            if best == nil || hidden < best!.hidden { best = (frame(at: corner, in: plot), hidden) }
        }
        return best?.frame
    }
}
