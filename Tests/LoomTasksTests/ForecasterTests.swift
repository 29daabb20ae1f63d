import Foundation
import Testing
@testable import LoomTasks

@Suite("Forecaster: metrics, baselines, strategies, backtest, saving")
struct ForecasterTests {
    static let seasonal: [Double] = (0..<72).map { (i: Int) -> Double in
        let t = Double(i)
        return 50 + 10 * Foundation.sin(t * 2 * Double.pi / 12) + 0.5 * t
    }

    @Test func metricsMatchTheirDefinitions() {
        let m = ForecastMetrics(forecast: [110, 90], actual: [100, 100], training: [1, 3, 2, 6], seasonalPeriod: 1)
        #expect(m.rmse == 10)
        #expect(m.mae == 10)
        #expect(abs(m.mape - 10) < 1e-12)
        #expect(abs(m.smape - 100 * (20 / 210 + 20 / 190) / 2) < 1e-12)
        #expect(abs(m.mase - 10 / (7.0 / 3)) < 1e-12)   // in-sample naive MAE: (2 + 1 + 4) / 3
        #expect(Baseline.naive([1, 2, 3], steps: 2) == [3, 3])
        #expect(Baseline.seasonalNaive([1, 2, 3, 4, 5], steps: 3, period: 2) == [4, 5, 4])
    }

    static func config(_ strategy: ForecastStrategy) -> ForecasterConfig {
        var c = ForecasterConfig()
        c.window = 12; c.hiddenSize = 16; c.epochs = 40; c.learningRate = 0.01; c.batchSize = 8; c.shuffle = true
        c.strategy = strategy; c.horizon = 6
        return c
    }

    @Test(arguments: [ForecastStrategy.recursive, .direct])
    func learnsASeasonalSeriesBetterThanTheNaiveForecast(strategy: ForecastStrategy) throws {
        let e = try Forecaster(config: Self.config(strategy)).evaluate(series: Self.seasonal, testCount: 6)
        #expect(e.forecast.count == 6)
        let first: Double = e.losses.first!, last: Double = e.losses.last!
        #expect(last < first / 4, "training reduces the loss: \(first) → \(last)")
        let rmse: Double = e.metrics.rmse, naive: Double = e.naiveMetrics.rmse
        #expect(rmse < naive, "\(strategy): RMSE \(rmse) vs naive \(naive)")
    }

    @Test func backtestUsesEarlierOriginsForEachFold() throws {
        var c = Self.config(.recursive)
        c.epochs = 2
        let folds = try Forecaster.backtest(series: Self.seasonal, config: c, testCount: 6, folds: 3)
        let trainCounts: [Int] = folds.map { $0.train.count }
        #expect(trainCounts == [54, 60, 66])
        #expect(folds.last!.actual == Array(Self.seasonal.suffix(6)))
    }

    @Test func savedForecasterPredictsTheSame() throws {
        var c = Self.config(.direct)
        c.epochs = 3
        let f = try Forecaster(config: c)
        try f.fit(Self.seasonal)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-forecaster-\(UUID()).loom")
        defer { try? FileManager.default.removeItem(at: url) }
        try f.save(to: url)
        let g = try Forecaster.load(from: url)
        #expect(g.config == c)
        #expect(try g.forecast(steps: 9) == f.forecast(steps: 9))
        #expect(try g.forecast(steps: 3, after: Array(Self.seasonal.prefix(30))) == f.forecast(steps: 3, after: Array(Self.seasonal.prefix(30))))
    }

    @Test func badSeriesAreRejectedWithReasons() throws {
        let f = try Forecaster(config: Self.config(.recursive))
        #expect(throws: ForecastError.seriesTooShort(count: 5, needed: 13, reason: "differencing 0 + window 12 + 1 target value(s)")) { try f.fit([1, 2, 3, 4, 5]) }
        #expect(throws: ForecastError.nonFiniteValue(index: 2)) { try f.fit([1, 2, .nan] + Self.seasonal) }
        var bad = Self.config(.recursive)
        bad.window = 0
        #expect(throws: ForecastError.self) { try Forecaster(config: bad) }
    }

    @Test func anchoredWindowsAreRelativeToTheirRecentLevel() {
        let x = Tensor(shape: [2, 3, 1], scalars: [1, 2, 4, 10, 20, 30])
        let y = Tensor(shape: [2, 2], scalars: [5, 6, 31, 29])
        let (ax, ay) = Forecaster.anchor(x, y, span: 1)
        #expect(ax.scalars == [-3, -2, 0, -20, -10, 0])
        #expect(ay.scalars == [1, 2, 1, -1])
        let (bx, by) = Forecaster.anchor(x, y, span: 2)          // the mean of the last two values
        #expect(bx.scalars == [-2, -1, 1, -15, -5, 5])
        #expect(by.scalars == [2, 3, 6, 4])
    }

    /// A level model scaled on the training part cannot leave its range; anchored at each
    /// window's last value it follows the trend past it.
    @Test func anchoredLevelsFollowATrendBeyondTheTrainingRange() throws {
        let ramp: [Double] = (0..<80).map { 10 + 2 * Double($0) + 3 * Foundation.sin(Double($0)) }
        var c = ForecasterConfig()
        c.window = 8; c.horizon = 6; c.strategy = .direct; c.hiddenSize = 16; c.epochs = 60
        c.learningRate = 0.01; c.batchSize = 8; c.shuffle = true
        c.transform = TargetTransform(scaling: .standard)
        c.anchored = true
        let anchored = try Forecaster(config: c)
        try anchored.fit(ramp)
        let top = ramp.max()!
        let f = try anchored.forecast(steps: 6)
        #expect(f[5] > top + 6, "anchored forecast \(f) should continue the trend past \(top)")
        c.anchored = false
        let global = try Forecaster(config: c)
        try global.fit(ramp)
        #expect(try global.forecast(steps: 6)[5] < f[5], "the unanchored model stays nearer its training range")
    }
}
