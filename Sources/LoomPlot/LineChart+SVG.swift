/// Drawing a ``LineChart`` as SVG elements, following a ``ChartLayout``.
///
/// Painting order, back to front: background, gridlines, shaded spans, bands, series, marker
/// lines (all clipped to the plot area), then axes, tick labels, marker labels, title, axis
/// labels and the legend.
extension LineChart: SVGRenderable {
    /// The chart as a standalone SVG document.
    public func svg() -> String {
        var writer = SVGWriter()
        writer.beginDocument(width: canvas.width, height: canvas.height, attributes: SVGStyle.rootAttributes)
        draw(into: &writer, idPrefix: "loomplot-")
        writer.endDocument()
        return writer.output
    }

    /// Writes the chart's elements with its top-left corner at the current origin.
    ///
    /// `idPrefix` makes element ids (the clip path) unique when several charts share a document.
    func draw(into writer: inout SVGWriter, idPrefix: String) {
        let layout = ChartLayout(chart: self)
        let colors = resolvedColors
        let plot = layout.plot
        let clipID = idPrefix + "plot-area"
        let number = SVGWriter.number

        writer.open("g", [("class", "line-chart")])
        writer.element("rect", [("x", "0"), ("y", "0"), ("width", number(canvas.width)),
                                ("height", number(canvas.height)), ("fill", "white")])
        writer.open("defs")
        writer.open("clipPath", [("id", clipID)])
        writer.element("rect", rectAttributes(plot))
        writer.close("clipPath")
        writer.close("defs")

        if showsGrid { drawGrid(&writer, layout) }

        writer.open("g", [("clip-path", "url(#\(clipID))")])
        drawShades(&writer, layout)
        for (band, color) in zip(bands, colors.bands) { drawBand(band, color: color, &writer, layout) }
        for (series, color) in zip(series, colors.series) { drawLines(of: series, color: color, &writer, layout) }
        drawMarkerLines(&writer, layout)
        writer.close("g")
        // Dots are filtered by hand instead of clipped, so a dot on the plot edge stays whole.
        for (series, color) in zip(series, colors.series) { drawDots(of: series, color: color, &writer, layout) }

        drawAxes(&writer, layout)
        drawTexts(&writer, layout)

        let legend = Legend(chart: self)
        if let frame = legend.placement(legendPosition, in: plot, avoiding: obstacles(layout)) {
            drawLegend(legend, in: frame, &writer)
        }
        writer.close("g")
    }

    // MARK: - Plot area

    private func drawGrid(_ writer: inout SVGWriter, _ layout: ChartLayout) {
        let plot = layout.plot
        let number = SVGWriter.number
        writer.open("g", [("class", "grid"), ("stroke", SVGStyle.gridColor), ("stroke-width", "1")])
        for tick in layout.yTicks {
            let y = number(layout.yScale(tick.value))
            writer.element("line", [("x1", number(plot.x)), ("y1", y), ("x2", number(plot.maxX)), ("y2", y)])
        }
        for tick in layout.xTicks {
            let x = number(layout.xScale(tick.value))
            writer.element("line", [("x1", x), ("y1", number(plot.y)), ("x2", x), ("y2", number(plot.maxY))])
        }
        writer.close("g")
    }

    private func drawShades(_ writer: inout SVGWriter, _ layout: ChartLayout) {
        for shade in shades where shade.from.isFinite && shade.to.isFinite {
            let a = layout.xScale(shade.from), b = layout.xScale(shade.to)
            let span = Rect(x: min(a, b), y: layout.plot.y, width: abs(b - a), height: layout.plot.height)
            writer.element("rect", rectAttributes(span) + [
                ("fill", shade.color.css), ("fill-opacity", SVGWriter.number(clampedOpacity(shade.opacity))),
            ])
        }
    }

    private func drawBand(_ band: Band, color: PlotColor, _ writer: inout SVGWriter, _ layout: ChartLayout) {
        var path = ""
        for segment in band.segments {
            let upper = segment.map { (layout.xScale(band.x[$0]), layout.yScale(band.upper[$0])) }
            let lower = segment.reversed().map { (layout.xScale(band.x[$0]), layout.yScale(band.lower[$0])) }
            path += Self.pathData(upper + lower) + " Z "
        }
        guard !path.isEmpty else { return }
        writer.element("path", [("d", path.trimmingSpaces), ("fill", color.css),
                                ("fill-opacity", SVGWriter.number(clampedOpacity(band.opacity))),
                                ("stroke", "none")])
    }

    private func drawLines(of series: Series, color: PlotColor, _ writer: inout SVGWriter, _ layout: ChartLayout) {
        guard series.style != .points else { return }
        let lines = series.segments.filter { $0.count >= 2 }
            .map { $0.map { (layout.xScale($0.x), layout.yScale($0.y)) } }
        guard !lines.isEmpty else { return }
        writer.open("g", [("class", "series"), ("data-name", series.name)])
        writer.element("path", [
            ("d", lines.map(Self.pathData).joined(separator: " ")), ("fill", "none"), ("stroke", color.css),
            ("stroke-width", SVGWriter.number(series.lineWidth)),
            ("stroke-dasharray", series.style.dashArray),
            ("stroke-linejoin", "round"),
            ("stroke-linecap", series.style == .dotted ? "round" : "butt"),
        ])
        writer.close("g")
    }

    /// Dots for every point of a `.points` series, and for points that have no neighbour to
    /// connect to (a single point, or one isolated between NaNs). Only points inside the axis
    /// ranges are drawn.
    private func drawDots(of series: Series, color: PlotColor, _ writer: inout SVGWriter, _ layout: ChartLayout) {
        let candidates = series.style == .points
            ? series.segments.flatMap { $0 }
            : series.segments.filter { $0.count == 1 }.flatMap { $0 }
        let visible = candidates.filter { layout.xScale.contains($0.x) && layout.yScale.contains($0.y) }
        guard !visible.isEmpty else { return }
        let radius = SVGWriter.number(max(2, series.lineWidth * 1.3))
        writer.open("g", [("class", "series"), ("data-name", series.name), ("fill", color.css)])
        for point in visible {
            writer.element("circle", [("cx", SVGWriter.number(layout.xScale(point.x))),
                                      ("cy", SVGWriter.number(layout.yScale(point.y))), ("r", radius)])
        }
        writer.close("g")
    }

    private func drawMarkerLines(_ writer: inout SVGWriter, _ layout: ChartLayout) {
        let number = SVGWriter.number
        for marker in markers where marker.x.isFinite && layout.xScale.contains(marker.x) {
            let x = number(layout.xScale(marker.x))
            writer.element("line", [
                ("x1", x), ("y1", number(layout.plot.y)), ("x2", x), ("y2", number(layout.plot.maxY)),
                ("stroke", marker.color.css), ("stroke-width", "1.3"), ("stroke-dasharray", "4 3"),
            ])
        }
    }

    /// Points (in pixels) the legend should not cover: samples along every line and band edge,
    /// about one every 5 px, and along marker lines.
    private func obstacles(_ layout: ChartLayout) -> [(x: Double, y: Double)] {
        var samples: [(x: Double, y: Double)] = []
        func sample(_ points: [(Double, Double)]) {
            guard let first = points.first else { return }
            samples.append(first)
            for (a, b) in zip(points, points.dropFirst()) {
                let distance = ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).squareRoot()
                let steps = min(200, max(1, Int(distance / 5)))
                for step in 1...steps {
                    let t = Double(step) / Double(steps)
                    samples.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
                }
            }
        }
        for series in series {
            for segment in series.segments {
                sample(segment.map { (layout.xScale($0.x), layout.yScale($0.y)) })
            }
        }
        for band in bands {
            for segment in band.segments {
                sample(segment.map { (layout.xScale(band.x[$0]), layout.yScale(band.upper[$0])) })
                sample(segment.map { (layout.xScale(band.x[$0]), layout.yScale(band.lower[$0])) })
            }
        }
        for marker in markers where marker.x.isFinite && layout.xScale.contains(marker.x) {
            let x = layout.xScale(marker.x)
            sample([(x, layout.plot.y), (x, layout.plot.maxY)])
        }
        return samples
    }

    // MARK: - Axes and text

    private func drawAxes(_ writer: inout SVGWriter, _ layout: ChartLayout) {
        let plot = layout.plot
        let number = SVGWriter.number
        let tick = ChartLayout.tickLength
        writer.element("rect", rectAttributes(plot) + [("fill", "none"), ("stroke", SVGStyle.frameColor),
                                                       ("stroke-width", "1")])
        writer.open("g", [("class", "axes"), ("stroke", SVGStyle.axisColor), ("stroke-width", "1")])
        writer.element("line", [("x1", number(plot.x)), ("y1", number(plot.maxY)),
                                ("x2", number(plot.maxX)), ("y2", number(plot.maxY))])
        writer.element("line", [("x1", number(plot.x)), ("y1", number(plot.y)),
                                ("x2", number(plot.x)), ("y2", number(plot.maxY))])
        for value in layout.yTicks.map(\.value) {
            let y = number(layout.yScale(value))
            writer.element("line", [("x1", number(plot.x - tick)), ("y1", y), ("x2", number(plot.x)), ("y2", y)])
        }
        for value in layout.xTicks.map(\.value) {
            let x = number(layout.xScale(value))
            writer.element("line", [("x1", x), ("y1", number(plot.maxY)), ("x2", x), ("y2", number(plot.maxY + tick))])
        }
        writer.close("g")
    }

    private func drawTexts(_ writer: inout SVGWriter, _ layout: ChartLayout) {
        let plot = layout.plot
        let number = SVGWriter.number
        let tickSize = ChartLayout.tickFontSize

        writer.open("g", [("class", "tick-labels"), ("font-size", number(tickSize)), ("fill", SVGStyle.textColor)])
        let xBaseline = number(plot.maxY + ChartLayout.tickLength + 3 + tickSize)
        for tick in layout.xTicks {
            writer.element("text", [("x", number(layout.xScale(tick.value))), ("y", xBaseline),
                                    ("text-anchor", "middle")], text: tick.label)
        }
        let yRight = number(plot.x - ChartLayout.tickLength - 3)
        for tick in layout.yTicks {
            writer.element("text", [("x", yRight), ("y", number(layout.yScale(tick.value) + tickSize * 0.35)),
                                    ("text-anchor", "end")], text: tick.label)
        }
        writer.close("g")

        if !layout.markerLabels.isEmpty {
            writer.open("g", [("class", "marker-labels"), ("font-size", number(ChartLayout.markerFontSize)),
                              ("fill", SVGStyle.textColor), ("text-anchor", "middle")])
            for label in layout.markerLabels {
                let baseline = plot.y - 4 - Double(label.row) * ChartLayout.markerRowHeight
                writer.element("text", [("x", number(label.x)), ("y", number(baseline))], text: label.text)
            }
            writer.close("g")
        }

        if !title.isEmpty {
            let size = ChartLayout.titleFontSize
            let center = centered(plot.midX, text: title, fontSize: size)
            writer.element("text", [("x", number(center)), ("y", number(ChartLayout.padding + size)),
                                    ("text-anchor", "middle"), ("font-size", number(size)),
                                    ("font-weight", "bold"), ("fill", SVGStyle.textColor)], text: title)
        }
        let labelSize = ChartLayout.axisLabelFontSize
        if !xLabel.isEmpty {
            let center = centered(plot.midX, text: xLabel, fontSize: labelSize)
            writer.element("text", [("x", number(center)), ("y", number(canvas.height - ChartLayout.padding - 2)),
                                    ("text-anchor", "middle"), ("font-size", number(labelSize)),
                                    ("fill", SVGStyle.textColor)], text: xLabel)
        }
        if !yLabel.isEmpty {
            let x = number(ChartLayout.padding + labelSize)
            let y = number(plot.midY)
            writer.element("text", [("x", x), ("y", y), ("transform", "rotate(-90 \(x) \(y))"),
                                    ("text-anchor", "middle"), ("font-size", number(labelSize)),
                                    ("fill", SVGStyle.textColor)], text: yLabel)
        }
        if !layout.hasData {
            writer.element("text", [("x", number(plot.midX)), ("y", number(plot.midY)), ("text-anchor", "middle"),
                                    ("font-size", "13"), ("fill", "#999999")], text: "no data")
        }
    }

    private func drawLegend(_ legend: Legend, in frame: Rect, _ writer: inout SVGWriter) {
        let number = SVGWriter.number
        writer.open("g", [("class", "legend"), ("font-size", number(Legend.fontSize))])
        writer.element("rect", rectAttributes(frame) + [("rx", "3"), ("fill", "white"), ("fill-opacity", "0.88"),
                                                        ("stroke", SVGStyle.frameColor), ("stroke-width", "1")])
        for (row, entry) in legend.entries.enumerated() {
            let baseline = frame.y + Legend.padding + Double(row) * Legend.rowHeight + Legend.fontSize - 1
            let middle = baseline - Legend.fontSize * 0.35
            let left = frame.x + Legend.padding
            switch entry.swatch {
            case .line(let style, let lineWidth):
                if style == .points {
                    writer.element("circle", [("cx", number(left + Legend.swatchWidth / 2)), ("cy", number(middle)),
                                              ("r", number(max(2, lineWidth * 1.3))), ("fill", entry.color.css)])
                } else {
                    writer.element("line", [
                        ("x1", number(left)), ("y1", number(middle)),
                        ("x2", number(left + Legend.swatchWidth)), ("y2", number(middle)),
                        ("stroke", entry.color.css), ("stroke-width", number(lineWidth)),
                        ("stroke-dasharray", style.dashArray),
                        ("stroke-linecap", style == .dotted ? "round" : "butt"),
                    ])
                }
            case .area(let opacity):
                writer.element("rect", [("x", number(left)), ("y", number(middle - 5)),
                                        ("width", number(Legend.swatchWidth)), ("height", "10"),
                                        ("fill", entry.color.css), ("fill-opacity", number(opacity))])
            }
            writer.element("text", [("x", number(left + Legend.swatchWidth + 6)), ("y", number(baseline)),
                                    ("fill", SVGStyle.textColor)], text: entry.label)
        }
        writer.close("g")
    }

    // MARK: - Helpers

    /// `M x y L x y …` for pixel points.
    private static func pathData(_ points: [(Double, Double)]) -> String {
        var path = ""
        for (index, point) in points.enumerated() {
            path += index == 0 ? "M" : " L"
            path += SVGWriter.number(point.0) + " " + SVGWriter.number(point.1)
        }
        return path
    }

    private func rectAttributes(_ rect: Rect) -> SVGWriter.Attributes {
        [("x", SVGWriter.number(rect.x)), ("y", SVGWriter.number(rect.y)),
         ("width", SVGWriter.number(max(0, rect.width))), ("height", SVGWriter.number(max(0, rect.height)))]
    }

    /// `preferred`, moved just enough that a centered text of this size stays inside the chart.
    private func centered(_ preferred: Double, text: String, fontSize: Double) -> Double {
        let half = TextMetrics.width(of: text, fontSize: fontSize) / 2
        let width = canvas.width
        guard half * 2 + 8 < width else { return width / 2 }
        return min(max(preferred, half + 4), width - half - 4)
    }

    private func clampedOpacity(_ opacity: Double) -> Double {
        opacity.isFinite ? min(max(opacity, 0), 1) : 0.2
    }
}

private extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
