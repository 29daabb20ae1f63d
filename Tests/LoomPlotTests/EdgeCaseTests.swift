import Foundation
import Testing
@testable import LoomPlot

/// Charts built from awkward data must render well-formed SVG with finite geometry.
@Suite("LineChart edge cases")
struct EdgeCaseTests {
    private func render(_ chart: LineChart, sourceLocation: SourceLocation = #_sourceLocation) -> ParsedSVG {
        let parsed = ParsedSVG(chart.svg())
        #expect(parsed.isWellFormed, "\(parsed.parseError ?? "")", sourceLocation: sourceLocation)
        assertFiniteGeometry(parsed, sourceLocation: sourceLocation)
        return parsed
    }

    @Test("a chart without series shows axes and 'no data'")
    func noSeries() {
        let parsed = render(LineChart(title: "empty"))
        #expect(parsed.texts.contains("no data"))
        #expect(parsed.texts.contains("empty"))
        #expect(!parsed.texts(in: "tick-labels").isEmpty)
    }

    @Test("an empty series renders and keeps its legend entry")
    func emptySeries() {
        var chart = LineChart()
        chart.add(series: "nothing", y: [])
        let parsed = render(chart)
        #expect(parsed.texts.contains("no data"))
        #expect(parsed.texts(in: "legend").map(\.text) == ["nothing"])
        #expect(seriesPaths(parsed).isEmpty)
    }

    @Test("a single point is drawn as a dot on a widened axis")
    func singlePoint() {
        var chart = LineChart()
        chart.add(series: "one", x: [3], y: [7])
        let parsed = render(chart)
        #expect(seriesPaths(parsed).isEmpty)
        let dots = parsed.elements(named: "circle").filter { $0.ancestorClasses.contains("series") }
        #expect(dots.count == 1)
        let yValues = parsed.texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "end" }
            .compactMap { Double($0.text) }
        #expect(yValues.count >= 2)
        #expect(yValues.min()! <= 7 && yValues.max()! >= 7)
    }

    @Test("all-equal values get a non-empty y axis", arguments: [0.0, 1, -250, 1e-12])
    func allEqual(_ value: Double) {
        var chart = LineChart()
        chart.add(series: "flat", y: [Double](repeating: value, count: 20))
        let parsed = render(chart)
        let labels = parsed.texts(in: "tick-labels").filter { $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(Set(labels).count >= 2)
        #expect(seriesPaths(parsed).count == 1)
    }

    @Test("NaN and ±∞ are skipped and break the line")
    func nonFiniteValues() {
        var chart = LineChart()
        chart.add(series: "gaps", y: [1, 2, .nan, 3, 4, .infinity, 5, 6, -.infinity, 7])
        chart.add(series: "edges", y: [.nan, 1, 2, .nan])
        let paths = seriesPaths(render(chart))
        #expect(paths.count == 2)
        #expect(subpathCount(paths[0]) == 3)
        #expect(subpathCount(paths[1]) == 1)
    }

    @Test("non-finite x values break the line too")
    func nonFiniteX() {
        var chart = LineChart()
        chart.add(series: "s", x: [0, 1, .nan, 3, 4], y: [1, 2, 3, 4, 5])
        #expect(subpathCount(seriesPaths(render(chart))[0]) == 2)
    }

    @Test("a point isolated between gaps is drawn as a dot")
    func isolatedPoint() {
        var chart = LineChart()
        chart.add(series: "s", y: [1, 2, .nan, 3, .nan, 4, 5])
        let parsed = render(chart)
        #expect(subpathCount(seriesPaths(parsed)[0]) == 2)
        #expect(parsed.elements(named: "circle").filter { $0.ancestorClasses.contains("series") }.count == 1)
    }

    @Test("a series of only non-finite values shows 'no data'")
    func onlyNonFinite() {
        var chart = LineChart()
        chart.add(series: "bad", y: [.nan, .infinity, -.infinity])
        let parsed = render(chart)
        #expect(parsed.texts.contains("no data"))
    }

    @Test("huge, tiny and mixed magnitudes render with finite coordinates")
    func extremeMagnitudes() {
        var chart = LineChart()
        chart.add(series: "huge", y: [1e300, -1e300, 1e300])
        chart.add(series: "tiny", y: [1e-300, 2e-300])
        _ = render(chart)

        var wide = LineChart()
        wide.add(series: "wide", y: [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude])
        _ = render(wide)
    }

    @Test("data far outside a fixed range is clamped and clipped")
    func outsideFixedRange() {
        var chart = LineChart()
        chart.add(series: "s", y: [0, 1e12, 2, 3])
        chart.yRange = 0...5
        chart.xRange = 1...2
        chart.marker(x: 100, label: "outside")
        _ = render(chart)
    }

    @Test("band and shade with non-finite values", arguments: [Double.nan, .infinity])
    func annotationsWithNonFinite(_ bad: Double) {
        var chart = LineChart()
        chart.add(series: "s", y: [1, 2, 3, 4])
        chart.band("b", x: [0, 1, 2, 3], lower: [0, bad, 1, 2], upper: [2, 3, bad, 5])
        chart.shade(from: bad, to: 2, label: "bad shade")
        chart.marker(x: bad, label: "bad marker")
        let parsed = render(chart)
        #expect(!parsed.texts.contains("bad marker"))
    }

    @Test("tiny and zero-size charts still render")
    func tinyCharts() {
        for (width, height) in [(10.0, 10.0), (0, 0), (-5, 40), (.nan, .infinity), (1e300, 1e300)] {
            var chart = LineChart(title: "t", xLabel: "x", yLabel: "y", width: width, height: height)
            chart.add(series: "s", y: [1, 2, 3])
            _ = render(chart)
        }
    }

    @Test("x tick label sequences that do not fit the data fall back gracefully")
    func oddTickLabels() {
        var chart = LineChart()
        chart.add(series: "s", y: [1, 2, 3])
        for labels in [LineChart.XTickLabels.sequence([]), .sequence(["a"], start: 100),
                       .sequence(["a", "b"], step: 0), .sequence(["a", "b"], step: .nan),
                       .explicit([]), .explicit([(x: .nan, label: "nan")]),
                       .sequence(["a", "b", "c"], every: 0), .sequence(["a", "b", "c"], every: .max),
                       .sequence(["a", "b", "c"], start: -.greatestFiniteMagnitude, step: .greatestFiniteMagnitude)] {
            chart.xTickLabels = labels
            _ = render(chart)
        }
    }
}
