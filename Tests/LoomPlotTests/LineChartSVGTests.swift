import Foundation
import Testing
@testable import LoomPlot

@Suite("LineChart SVG")
struct LineChartSVGTests {
    @Test("the forecast chart is well-formed XML with title, labels, legend and marker")
    func forecastChart() throws {
        let svg = SampleCharts.forecast().svg()
        let parsed = ParsedSVG(svg)
        #expect(parsed.isWellFormed, "\(parsed.parseError ?? "")")
        #expect(parsed.root?.name == "svg")
        #expect(parsed.root?.attributes["width"] == "640")
        #expect(parsed.root?.attributes["height"] == "400")
        #expect(parsed.texts.contains("Airline passengers"))
        #expect(parsed.texts.contains("month"))
        #expect(parsed.texts.contains("passengers (thousands)"))
        #expect(parsed.texts(in: "legend").map(\.text) == ["actual", "forecast", "held-out year"])
        #expect(parsed.texts(in: "marker-labels").map(\.text) == ["forecast start"])
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    }

    @Test("every coordinate in the document is a finite number")
    func coordinatesAreFinite() {
        let parsed = ParsedSVG(SampleCharts.forecast().svg())
        assertFiniteGeometry(parsed)
    }

    @Test("XML special characters are escaped in all text")
    func escaping() {
        let nasty = "a < b && c > \"d\" 'e'"
        var chart = LineChart(title: nasty, xLabel: "x<1>", yLabel: "y & z")
        chart.add(series: "<series & \"name\">", y: [1, 2, 3])
        chart.marker(x: 1, label: "</text>")
        chart.xTickLabels = .sequence(["<a>", "&b", "c\"d"])
        chart.band("band 'q' < 1", x: [0, 1, 2], lower: [0, 1, 2], upper: [1, 2, 3])
        let svg = chart.svg()
        let parsed = ParsedSVG(svg)
        #expect(parsed.isWellFormed, "\(parsed.parseError ?? "")")
        #expect(svg.contains("a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;"))
        #expect(!svg.contains(nasty))
        #expect(parsed.texts.contains(nasty))
        #expect(parsed.texts.contains("x<1>"))
        #expect(parsed.texts.contains("y & z"))
        #expect(parsed.texts.contains("</text>"))
        #expect(parsed.texts(in: "legend").map(\.text) == ["<series & \"name\">", "band 'q' < 1"])
        #expect(parsed.texts(in: "tick-labels").map(\.text).contains("<a>"))
        #expect(parsed.elements(named: "g").contains { $0.attributes["data-name"] == "<series & \"name\">" })
    }

    @Test("control characters that XML forbids are dropped")
    func controlCharacters() {
        var chart = LineChart(title: "bell\u{07}null\u{00}tab\tend")
        chart.add(series: "esc\u{1B}[31m", y: [1, 2])
        let parsed = ParsedSVG(chart.svg())
        #expect(parsed.isWellFormed, "\(parsed.parseError ?? "")")
        #expect(parsed.texts.contains("bellnulltab\tend"))
    }

    @Test("series get distinct palette colors; an explicit color is kept")
    func colors() {
        var chart = LineChart()
        chart.add(series: "a", y: [1, 2, 3])
        chart.add(series: "b", y: [3, 2, 1])
        chart.add(series: "c", y: [2, 2, 3])
        chart.add(series: "d", y: [1, 3, 1], color: PlotColor(red: 255, green: 0, blue: 16))
        let strokes = seriesPaths(ParsedSVG(chart.svg())).compactMap { $0.attributes["stroke"] }
        #expect(strokes.count == 4)
        #expect(Set(strokes).count == 4)
        #expect(strokes[3] == "#FF0010")
        #expect(Array(strokes.prefix(3)) == PlotColor.palette.prefix(3).map(\.css))
    }

    @Test("line styles: dashed and dotted set a dash array, points draw dots")
    func lineStyles() {
        var chart = LineChart()
        chart.add(series: "solid", y: [1, 2, 3])
        chart.add(series: "dashed", y: [1, 2, 3], style: .dashed)
        chart.add(series: "dotted", y: [1, 2, 3], style: .dotted)
        chart.add(series: "points", y: [1, 2, 3], style: .points)
        let parsed = ParsedSVG(chart.svg())
        let paths = seriesPaths(parsed)
        #expect(paths.count == 3)
        #expect(paths[0].attributes["stroke-dasharray"] == nil)
        #expect(paths[1].attributes["stroke-dasharray"] != nil)
        #expect(paths[2].attributes["stroke-dasharray"] != nil)
        #expect(parsed.elements(named: "circle").filter { $0.ancestorClasses.contains("series") }.count == 3)
    }

    @Test("legend position can be chosen or hidden; automatic avoids the data")
    func legendPlacement() throws {
        var rising = LineChart()
        rising.add(series: "up", y: (0..<50).map(Double.init))
        rising.yRange = 0...49
        // A rising line leaves the top-left and bottom-right corners empty; top left is preferred.
        let automatic = try legendBox(rising)
        let plot = try plotFrame(rising)
        #expect(automatic.x < plot.midX && automatic.y < plot.midY)

        var falling = LineChart()
        falling.add(series: "down", y: (0..<50).map { -Double($0) })
        falling.yRange = -49...0
        let box = try legendBox(falling)
        #expect(box.x > plot.midX && box.y < plot.midY)

        rising.legendPosition = .bottomRight
        let forced = try legendBox(rising)
        #expect(forced.x > plot.midX && forced.y > plot.midY)

        rising.legendPosition = .hidden
        #expect(ParsedSVG(rising.svg()).texts(in: "legend").isEmpty)
    }

    @Test("unnamed series stay out of the legend; no entries means no legend")
    func unnamedSeries() {
        var chart = LineChart()
        chart.add(series: "", y: [1, 2, 3])
        #expect(ParsedSVG(chart.svg()).elements.allSatisfy { $0.attributes["class"] != "legend" })
    }

    @Test("x tick labels from a sequence: every 12th month, aligned to January")
    func monthLabels() {
        let parsed = ParsedSVG(SampleCharts.forecast().svg())
        let labels = parsed.texts(in: "tick-labels").map(\.text).filter { $0.contains("-") }
        #expect(!labels.isEmpty)
        #expect(labels.allSatisfy { $0.hasSuffix("-01") })
        #expect(labels.first == "1949-01")
        assertNoOverlap(parsed.texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "middle" })
    }

    @Test("automatic sequence labels pick a readable 1-2-5 stride")
    func automaticSequenceLabels() {
        var chart = LineChart()
        chart.add(series: "passengers", y: SampleData.passengers)
        chart.xTickLabels = .sequence(SampleData.months)
        let parsed = ParsedSVG(chart.svg())
        let xLabels = parsed.texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "middle" }
        let indices = xLabels.compactMap { SampleData.months.firstIndex(of: $0.text) }
        #expect(indices.count == xLabels.count)
        #expect(indices.count >= 4)
        let strides = Set(zip(indices, indices.dropFirst()).map { $1 - $0 })
        #expect(strides.count == 1)
        #expect([1, 2, 5, 10, 20, 50].contains(strides.first ?? 0))
        assertNoOverlap(xLabels)
    }

    @Test("explicit x ticks are shown at their positions and thinned when crowded")
    func explicitTicks() {
        var chart = LineChart(width: 300)
        chart.add(series: "s", y: (0..<100).map(Double.init))
        chart.xTickLabels = .explicit((0..<100).map { (x: Double($0), label: "label \($0)") })
        let xLabels = ParsedSVG(chart.svg()).texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "middle" }
        #expect(xLabels.first?.text == "label 0")
        #expect(xLabels.count > 1 && xLabels.count < 10)
        assertNoOverlap(xLabels)
    }

    @Test("numeric x labels do not overlap, even with long numbers in a narrow chart")
    func numericLabelsFit() {
        var chart = LineChart(width: 260, height: 200)
        chart.add(series: "s", x: [1_000_000, 9_000_000], y: [0, 1])
        let parsed = ParsedSVG(chart.svg())
        let xLabels = parsed.texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "middle" }
        #expect(xLabels.count >= 2)
        assertNoOverlap(xLabels)
    }

    @Test("a zoomed copy fits its y axis to the visible data and clips the rest")
    func zoomFitsVisibleData() throws {
        var chart = LineChart()
        chart.add(series: "s", y: (0..<100).map { $0 < 90 ? 1000 : 100 + Double($0 - 90) })
        chart.xRange = 90...99
        let parsed = ParsedSVG(chart.svg())
        let yLabels = parsed.texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "end" }
        let values = yLabels.compactMap { Double($0.text) }
        #expect(values.count == yLabels.count)
        #expect(try #require(values.max()) <= 120)
        #expect(try #require(values.min()) >= 90)
        #expect(parsed.elements(named: "g").contains { $0.attributes["clip-path"] != nil })
    }

    @Test("a fixed y range is used as is")
    func fixedYRange() {
        var chart = LineChart()
        chart.add(series: "s", y: [0.2, 0.4, 0.3])
        chart.yRange = 0...1
        let values = ParsedSVG(chart.svg()).texts(in: "tick-labels")
            .filter { $0.attributes["text-anchor"] == "end" }.compactMap { Double($0.text) }
        #expect(values.first == 0 && values.last == 1)
    }

    @Test("Float values, tuple points and y-only series with an x offset")
    func inputForms() {
        var chart = LineChart()
        let losses: [Float] = [3, 2, 1.5]
        chart.add(series: "float", y: losses, xStart: 10)
        chart.add(series: "float xy", x: [Float(10), 11, 12], y: [Float(1), 2, 3])
        chart.add(series: "tuples", points: [(x: 10, y: 0.5), (x: 12, y: 3.5)])
        #expect(chart.series.map(\.points.count) == [3, 3, 2])
        #expect(chart.series[0].points.map(\.x) == [10, 11, 12])
        #expect(chart.series[0].points.map(\.y) == [3, 2, 1.5])
        let parsed = ParsedSVG(chart.svg())
        #expect(parsed.isWellFormed)
        #expect(seriesPaths(parsed).count == 3)
        #expect(parsed.texts(in: "legend").map(\.text) == ["float", "float xy", "tuples"])
    }

    @Test("markers, shades and bands are drawn")
    func annotations() {
        var chart = LineChart()
        chart.add(series: "s", y: [1, 3, 2, 5])
        chart.marker(x: 2, label: "here")
        chart.shade(from: 1, to: 2)
        chart.band("interval", x: [0, 1, 2, 3], lower: [0, 2, 1, 4], upper: [2, 4, 3, 6])
        let parsed = ParsedSVG(chart.svg())
        #expect(parsed.isWellFormed)
        #expect(parsed.elements(named: "line").contains { $0.attributes["stroke-dasharray"] == "4 3" })
        #expect(parsed.elements(named: "path").contains { $0.attributes["d"]?.hasSuffix("Z") == true })
        #expect(parsed.elements(named: "rect").contains { $0.attributes["fill-opacity"] == "0.15" })
        #expect(parsed.texts(in: "legend").map(\.text) == ["s", "interval"])
    }
}

// MARK: - Helpers

/// The `<path>` elements that draw series lines.
func seriesPaths(_ parsed: ParsedSVG) -> [ParsedSVG.Element] {
    parsed.elements(named: "path").filter { $0.ancestorClasses.contains("series") }
}

/// The number of separate lines (`M` commands) in a series path.
func subpathCount(_ path: ParsedSVG.Element) -> Int {
    (path.attributes["d"] ?? "").filter { $0 == "M" }.count
}

func legendBox(_ chart: LineChart) throws -> Rect {
    let parsed = ParsedSVG(chart.svg())
    let rect = try #require(parsed.elements(named: "rect").first { $0.ancestorClasses.last == "legend" })
    return Rect(x: rect.number("x") ?? .nan, y: rect.number("y") ?? .nan,
                width: rect.number("width") ?? .nan, height: rect.number("height") ?? .nan)
}

func plotFrame(_ chart: LineChart) throws -> Rect {
    let parsed = ParsedSVG(chart.svg())
    let rect = try #require(parsed.elements(named: "rect").first { $0.name == "rect" && $0.attributes["stroke"] != nil })
    return Rect(x: rect.number("x") ?? .nan, y: rect.number("y") ?? .nan,
                width: rect.number("width") ?? .nan, height: rect.number("height") ?? .nan)
}

/// Centered labels on one line must not overlap (widths estimated like the layout does).
func assertNoOverlap(_ labels: [ParsedSVG.Element], sourceLocation: SourceLocation = #_sourceLocation) {
    let spans = labels.map { label -> (Double, Double) in
        let center = label.number("x") ?? 0
        let half = TextMetrics.width(of: label.text, fontSize: ChartLayout.tickFontSize) / 2
        return (center - half, center + half)
    }.sorted { $0.0 < $1.0 }
    for (a, b) in zip(spans, spans.dropFirst()) {
        #expect(a.1 <= b.0, "labels overlap: \(a) and \(b)", sourceLocation: sourceLocation)
    }
}

/// All geometry attributes and path data are finite numbers.
func assertFiniteGeometry(_ parsed: ParsedSVG, sourceLocation: SourceLocation = #_sourceLocation) {
    let numeric = ["x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r"]
    for element in parsed.elements {
        for name in numeric {
            guard let text = element.attributes[name] else { continue }
            let value = Double(text)
            #expect(value?.isFinite == true, "\(element.name) \(name)=\"\(text)\"", sourceLocation: sourceLocation)
        }
        if element.name == "path", let path = element.attributes["d"] {
            for token in path.split(whereSeparator: { "MLZ ".contains($0) }) {
                #expect(Double(token)?.isFinite == true, "path token \(token)", sourceLocation: sourceLocation)
            }
        }
    }
}
