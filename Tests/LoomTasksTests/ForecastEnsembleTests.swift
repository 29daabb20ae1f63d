import Foundation
import Testing
@testable import LoomTasks

@Suite("Automatic forecaster: early stopping, selection, ensembles, intervals, saving")
struct ForecastEnsembleTests {
    /// Trend + multiplicative season + deterministic noise, 120 monthly values.
    static let series: [Double] = (0..<120).map { i in
        let t = Double(i)
        let noise = 3 * Foundation.sin(t * 12.9898).truncatingRemainder(dividingBy: 1)
        return (100 + 1.5 * t) * (1 + 0.15 * Foundation.sin(2 * Double.pi * t / 12)) + noise
    }

    /// A small, quick search: two transforms, GRU(8), short training.
    static func options(seed: UInt64 = 0, threads: Int = 2) -> AutoForecastOptions {
        var o = AutoForecastOptions(horizon: 6, seasonalPeriod: 12)
        o.members = 3
        o.hiddenSize = 8
        o.model = .gru
        o.strategy = .direct
        o.epochs = 25
        o.seed = seed
        o.threads = threads
        return o
    }

    /// One network on seasonal differences, direct 6-step output.
    static func network(hidden: Int, epochs: Int, lr: Double) -> ForecasterConfig {
        var c = ForecasterConfig()
        c.window = 12; c.horizon = 6; c.strategy = .direct; c.hiddenSize = hidden; c.epochs = epochs
        c.learningRate = lr; c.batchSize = 8; c.shuffle = true
        c.transform = TargetTransform(differencing: .seasonal, scaling: .standard)
        return c
    }

    @Test func earlyStoppingRestoresTheBestEpoch() throws {
        let f = try Forecaster(config: Self.network(hidden: 16, epochs: 40, lr: 0.03))
        try f.fit(Self.series, validationCount: 18)
        let record = try #require(f.validation)
        #expect(record.errors.count == 40, "no patience: every epoch is trained")
        #expect(record.errors[record.bestEpoch - 1] == record.errors.min())
        try #require(record.bestEpoch < record.errors.count, "the test needs a run whose last epoch is not its best")
        // The weights now in the model are the best epoch's: scoring them again gives its error.
        let origins = record.origins.map { Array(Self.series[..<$0]) }
        let paths = try f.forecast(steps: 6, origins: origins)
        var total = 0.0, count = 0
        for (o, path) in zip(record.origins, paths) {
            for (k, v) in path.enumerated() where o + k < Self.series.count {
                total += (v - Self.series[o + k]) * (v - Self.series[o + k]); count += 1
            }
        }
        #expect(Swift.abs(total / Double(count) - record.bestError) <= 1e-9 * record.bestError)
        #expect(total / Double(count) < record.errors.last!, "the last epoch's weights were replaced")
    }

    @Test func patienceStopsTraining() throws {
        let f = try Forecaster(config: Self.network(hidden: 8, epochs: 200, lr: 0.05))
        let losses = try f.fit(Self.series, validationCount: 18, patience: 5)
        let record = try #require(f.validation)
        #expect(losses.count == record.bestEpoch + 5, "stops 5 epochs after the best")
        #expect(losses.count < 200)
    }

    @Test func theSameSeedGivesTheSameForecastOnAnyNumberOfThreads() throws {
        let a = try ForecastEnsemble.fit(Self.series, options: Self.options(threads: 2))
        let b = try ForecastEnsemble.fit(Self.series, options: Self.options(threads: 1))
        let fa = try a.forecast(steps: 6), fb = try b.forecast(steps: 6)
        #expect(fa == fb)
        #expect(a.selection.candidates.map(\.validationRMSE) == b.selection.candidates.map(\.validationRMSE))
        let c = try ForecastEnsemble.fit(Self.series, options: Self.options(seed: 1))
        #expect(try c.forecast(steps: 6).point != fa.point, "another seed trains other networks")
    }

    @Test func selectionTriesEveryTransformAndPicksTheSmallestValidationError() throws {
        let e = try ForecastEnsemble.fit(Self.series, options: Self.options())
        let s = e.selection
        let stageOne = s.candidates.filter { $0.stage == 1 }
        #expect(stageOne.count == 10, "levels, anchored levels, diff, sdiff, diff+sdiff, with and without Box-Cox: \(stageOne.map(\.name))")
        #expect(stageOne.filter(\.config.anchored).count == 2)
        #expect(s.chosen.validationRMSE == s.candidates.map(\.validationRMSE).min())
        #expect(e.members.count == 3)
        #expect(s.validationCount == 18, "three blocks of the horizon")
        #expect(!s.budgetExhausted)
    }

    @Test func intervalsWidenWithTheHorizonAndNest() throws {
        var o = Self.options()
        o.transform = TargetTransform(differencing: .seasonal, scaling: .standard)
        let e = try ForecastEnsemble.fit(Self.series, options: o)
        let f = try e.forecast(steps: 12, levels: [50, 80, 95])
        #expect(e.intervalScales.count == 6)
        #expect(zip(e.intervalScales, e.intervalScales.dropFirst()).allSatisfy { $0 <= $1 })
        let widths = f.intervals.map { i in zip(i.lower, i.upper).map { $1 - $0 } }
        for w in widths {
            #expect(zip(w, w.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 }, "widths \(w)")
            #expect(w[11] > w[5], "beyond the validated horizon the interval keeps widening")
        }
        for k in 0..<12 {
            #expect(f.intervals[2].lower[k] < f.intervals[1].lower[k] && f.intervals[1].lower[k] < f.intervals[0].lower[k])
            #expect(f.intervals[0].lower[k] < f.point[k] && f.point[k] < f.intervals[0].upper[k])
        }
        #expect(throws: ForecastError.self) { try e.forecast(steps: 3, levels: [100]) }
    }

    @Test func intervalsOfALogTransformAreAsymmetricAndPositive() throws {
        var o = Self.options()
        o.transform = TargetTransform(power: .log, differencing: .seasonal, scaling: .standard)
        let e = try ForecastEnsemble.fit(Self.series, options: o)
        let f = try e.forecast(steps: 6, levels: [95])
        for k in 0..<6 {
            let up = f.intervals[0].upper[k] - f.point[k], down = f.point[k] - f.intervals[0].lower[k]
            #expect(up > down, "a log-space interval reaches further up than down")
            #expect(f.intervals[0].lower[k] > 0)
        }
    }

    @Test func savedEnsembleForecastsTheSameAndContinuesItsHistory() throws {
        let train = Array(Self.series.prefix(108))
        let e = try ForecastEnsemble.fit(train, options: Self.options())
        try e.extendHistory(Self.series)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-ensemble-\(UUID()).loom")
        defer { try? FileManager.default.removeItem(at: url) }
        try e.save(to: url)
        let g = try ForecastEnsemble.load(from: url)
        #expect(g.history == Self.series)
        #expect(try g.forecast(steps: 8) == e.forecast(steps: 8))
        #expect(try g.forecast(steps: 8).point == e.forecast(steps: 8, after: Self.series).point)
        #expect(try g.forecast(steps: 8).point != e.forecast(steps: 8, after: train).point, "continues after the extended history")
        #expect(g.selection == e.selection)
    }

    @Test func badInputIsRejectedWithReasons() throws {
        #expect(throws: ForecastError.nonFiniteValue(index: 3)) { try ForecastEnsemble.fit([1, 2, 3, .nan] + Self.series, options: Self.options()) }
        var o = Self.options()
        o.members = 0
        #expect(throws: ForecastError.invalidConfig("members must be positive, got 0")) { try ForecastEnsemble.fit(Self.series, options: o) }
        #expect(throws: ForecastError.self) { try ForecastEnsemble.fit(Array(Self.series.prefix(20)), options: Self.options()) }
        var log = Self.options()
        log.transform = TargetTransform(power: .log)
        #expect(throws: ForecastError.self) { try ForecastEnsemble.fit(Self.series.map { $0 - 150 }, options: log) }
    }
}
