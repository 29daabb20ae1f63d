import Foundation
import Testing
@testable import LoomPlot

@Suite("Figure")
struct FigureTests {
    @Test("two charts side by side: widths add up, ids stay unique, both titles present")
    func sideBySide() throws {
        let figure = SampleCharts.figure()
        let parsed = ParsedSVG(figure.svg())
        #expect(parsed.isWellFormed, "\(parsed.parseError ?? "")")
        #expect(parsed.root?.attributes["width"] == "1292")
        #expect(parsed.root?.number("height") == 400)
        #expect(parsed.texts.contains("Airline passengers"))
        #expect(parsed.texts.contains("Last 24 months"))
        let ids = parsed.elements.compactMap { $0.attributes["id"] }
        #expect(ids.count == 2)
        #expect(Set(ids).count == ids.count)
        let transforms = parsed.elements(named: "g").compactMap { $0.attributes["transform"] }
        #expect(transforms == ["translate(0 0)", "translate(652 0)"])
        // Every clip-path reference points at an id of the document.
        let references = parsed.elements.compactMap { $0.attributes["clip-path"] }
        #expect(Set(references) == Set(ids.map { "url(#\($0))" }))
    }

    @Test("stacked charts with a title: heights add up")
    func stacked() {
        let small = LineChart(title: "small", width: 300, height: 200)
        let figure = Figure(title: "Two & more", columns: 1, charts: [SampleCharts.forecast(), small], spacing: 10)
        let parsed = ParsedSVG(figure.svg())
        #expect(parsed.isWellFormed)
        #expect(parsed.root?.number("width") == 640)
        #expect(parsed.root?.number("height") == Figure.titleHeight + 400 + 10 + 200)
        #expect(parsed.texts.first == "Two & more")
    }

    @Test("a grid with an incomplete last row", arguments: [1, 2, 3, 5])
    func grid(columns: Int) {
        let charts = (0..<5).map { LineChart(title: "chart \($0)", width: 100, height: 50) }
        let parsed = ParsedSVG(Figure(columns: columns, charts: charts, spacing: 0).svg())
        let rows = (5 + columns - 1) / columns
        #expect(parsed.root?.number("width") == Double(columns * 100))
        #expect(parsed.root?.number("height") == Double(rows * 50))
        #expect(parsed.elements(named: "g").filter { $0.attributes["transform"] != nil }.count == 5)
    }

    @Test("odd inputs: no charts, zero or negative columns")
    func oddInputs() {
        for figure in [Figure(charts: []), Figure(title: "only a title", charts: []),
                       Figure(columns: 0, charts: [LineChart()]), Figure(columns: -3, charts: [LineChart(), LineChart()])] {
            let parsed = ParsedSVG(figure.svg())
            #expect(parsed.isWellFormed)
            #expect((parsed.root?.number("width") ?? 0) > 0)
        }
    }
}
