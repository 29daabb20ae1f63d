import Testing
@testable import LoomPlot

@Suite("Sparkline")
struct SparklineTests {
    @Test("one level per value from minimum to maximum")
    func levels() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([8, 1]) == "█▁")
        #expect(Sparkline.render([1, 5, 22, 13, 5]) == "▁▂█▅▂")
        #expect(Sparkline.render([-1, 0, 1]) == "▁▅█")
    }

    @Test("NaN and ±∞ are spaces")
    func nonFinite() {
        #expect(Sparkline.render([0, .nan, 1]) == "▁ █")
        #expect(Sparkline.render([.infinity, 0, 1, -.infinity]) == " ▁█ ")
        #expect(Sparkline.render([.nan, .nan]) == "  ")
    }

    @Test("empty input, equal values, a single value")
    func degenerate() {
        #expect(Sparkline.render([]) == "")
        #expect(Sparkline.render([3, 3, 3]) == "▄▄▄")
        #expect(Sparkline.render([42]) == "▄")
        #expect(Sparkline.render([.nan, 5]) == " ▄")
    }

    @Test("width shrinks by averaging buckets and stretches by repeating")
    func width() {
        #expect(Sparkline.render([0, 0, 10, 10], width: 2) == "▁█")
        #expect(Sparkline.render([0, 2, 8, 10], width: 2) == "▁█")
        #expect(Sparkline.render([0, .nan, 10, .nan, .nan, .nan], width: 3) == "▁█ ")
        #expect(Sparkline.render([0, 1], width: 4) == "▁▁██")
        #expect(Sparkline.render([1, 2, 3], width: 0) == "")
        #expect(Sparkline.render([1, 2, 3], width: -2) == "")
        for width in [1, 7, 40, 100, 250] {
            let values = (0..<100).map { Double($0 % 17) }
            #expect(Sparkline.render(values, width: width).count == width)
        }
    }

    @Test("bucket averages: 100 values into 10 characters")
    func averaging() {
        let ramp = (0..<100).map(Double.init)
        #expect(Sparkline.render(ramp, width: 10) == Sparkline.render((0..<10).map { Double($0) * 10 + 4.5 }))
        #expect(Sparkline.resample(ramp, width: 10) == (0..<10).map { Double($0) * 10 + 4.5 })
    }

    @Test("a fixed range clamps values outside it")
    func fixedRange() {
        #expect(Sparkline.render([-5, 0, 0.5, 1, 9], range: 0...1) == "▁▁▅██")
        #expect(Sparkline.render([2, 2], range: 2...2) == "▄▄")
    }

    @Test("Float input")
    func floats() {
        let losses: [Float] = [4, 3, 2, 1]
        #expect(Sparkline.render(losses) == "█▆▃▁")
    }
}
