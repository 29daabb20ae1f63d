import Foundation
import Testing
@testable import LoomPlot

@Suite("Axis ticks")
struct AxisTicksTests {
    static let ranges: [(Double, Double)] = [
        (0, 1), (104, 622), (-3.7, 12.2), (0.001, 0.0047), (1e6, 3.3e6), (-5, -1), (0.1, 0.3),
        (1e-9, 3e-9), (-1e12, 1e12), (17, 17.0001), (-0.5, 0.5), (99.9, 100.1),
    ]

    @Test("covering ticks use a 1-2-5 step, are evenly spaced and cover the range", arguments: ranges)
    func coveringTicksAreNice(_ range: (Double, Double)) {
        let (lower, upper) = range
        for maxIntervals in [1, 2, 3, 5, 8, 10] {
            let ticks = AxisTicks.covering(lower, upper, maxIntervals: maxIntervals)
            #expect([1, 2, 5].contains(ticks.mantissa))
            #expect(ticks.step == Double(ticks.mantissa) * pow(10, Double(ticks.exponent)))
            let first = try! #require(ticks.values.first)
            let last = try! #require(ticks.values.last)
            #expect(first <= lower, "first tick \(first) must be ≤ \(lower)")
            #expect(last >= upper, "last tick \(last) must be ≥ \(upper)")
            #expect(ticks.values.count - 1 <= maxIntervals + 1)
            // Tight: dropping an end tick would no longer cover the range.
            #expect(ticks.values.count < 2 || ticks.values[1] > lower)
            #expect(ticks.values.count < 2 || ticks.values[ticks.values.count - 2] < upper)
            assertEvenlySpaced(ticks)
            // The smallest such step: the next smaller 1-2-5 step needs too many intervals.
            let smaller: Double = switch ticks.mantissa {
            case 5: 2 * pow(10, Double(ticks.exponent))
            case 2: 1 * pow(10, Double(ticks.exponent))
            default: 5 * pow(10, Double(ticks.exponent - 1))
            }
            #expect((upper - lower) / smaller > Double(maxIntervals) * (1 - 1e-12))
        }
    }

    @Test("within ticks lie inside the range", arguments: ranges)
    func withinTicksStayInside(_ range: (Double, Double)) {
        let (lower, upper) = range
        for maxIntervals in [1, 4, 7] {
            let ticks = AxisTicks.within(lower, upper, maxIntervals: maxIntervals)
            #expect(ticks.values.allSatisfy { $0 >= lower && $0 <= upper })
            #expect(ticks.values.count - 1 <= maxIntervals)
            assertEvenlySpaced(ticks)
        }
    }

    @Test("decimal ticks equal their literals exactly")
    func decimalTicksAreExact() {
        let ticks = AxisTicks.covering(0, 1, maxIntervals: 10)
        #expect(ticks.values == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
        #expect(AxisTicks.covering(104, 622, maxIntervals: 6).values == [100, 200, 300, 400, 500, 600, 700])
        #expect(AxisTicks.covering(-3.7, 12.2, maxIntervals: 4).values == [-5, 0, 5, 10, 15])
    }

    @Test("labels use as many decimals as the step and never print -0")
    func labels() {
        let halves = AxisTicks.covering(-1, 1, maxIntervals: 4)
        #expect(halves.values.map(halves.label(for:)) == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
        let hundreds = AxisTicks.covering(104, 622, maxIntervals: 6)
        #expect(hundreds.label(for: 300) == "300")
        let tenths = AxisTicks.covering(-0.3, 0.3, maxIntervals: 6)
        #expect(!tenths.values.map(tenths.label(for:)).contains { $0.hasPrefix("-0.0") || $0 == "-0" })
        #expect(tenths.label(for: -0.0) == "0.0")
        let large = AxisTicks.covering(0, 3e9, maxIntervals: 3)
        #expect(large.label(for: 1e9) == "1e9")
        let millions = AxisTicks.covering(0, 3e6, maxIntervals: 6)
        #expect(millions.values.map(millions.label(for:)) == ["0", "5.0e5", "1.0e6", "1.5e6", "2.0e6", "2.5e6", "3.0e6"])
        let tiny = AxisTicks.covering(1e-9, 3e-9, maxIntervals: 4)
        #expect(Set(tiny.values.map(tiny.label(for:))).count == tiny.values.count)
    }

    @Test("an empty range is widened around its value")
    func emptyRange() {
        for value in [0.0, 5, -42, 1e-300, 1e300] {
            let ticks = AxisTicks.covering(value, value)
            #expect(ticks.values.count >= 2, "\(value)")
            #expect(ticks.values.first! <= value && ticks.values.last! >= value, "\(value)")
        }
    }

    @Test("reversed bounds are swapped; non-finite bounds give no ticks")
    func oddBounds() {
        #expect(AxisTicks.covering(10, 0).values == AxisTicks.covering(0, 10).values)
        #expect(AxisTicks.covering(.nan, 1).values.isEmpty)
        #expect(AxisTicks.within(0, .infinity).values.isEmpty)
        #expect(AxisTicks.covering(-.infinity, .infinity).values.isEmpty)
    }

    @Test("extreme ranges terminate with a bounded number of ticks")
    func extremeRanges() {
        for (lower, upper) in [(1e15, 1e15 + 10), (1e17, 1e17 + 16), (-Double.greatestFiniteMagnitude,
                                                                      Double.greatestFiniteMagnitude),
                               (0, Double.leastNonzeroMagnitude), (1, 1 + Double.ulpOfOne)] {
            let ticks = AxisTicks.covering(lower, upper, maxIntervals: 5)
            #expect(!ticks.values.isEmpty)
            #expect(ticks.values.count <= 8)
            #expect(ticks.values.allSatisfy { $0.isFinite })
        }
    }

    private func assertEvenlySpaced(_ ticks: AxisTicks, sourceLocation: SourceLocation = #_sourceLocation) {
        for (a, b) in zip(ticks.values, ticks.values.dropFirst()) {
            #expect(abs((b - a) - ticks.step) <= ticks.step * 1e-9, sourceLocation: sourceLocation)
        }
        for value in ticks.values {
            let multiple = value / ticks.step
            #expect(abs(multiple - multiple.rounded()) < 1e-6, "\(value) is not a multiple of \(ticks.step)",
                    sourceLocation: sourceLocation)
        }
    }
}
