import Foundation

/// A forecast with its prediction intervals, in the series' units.
public struct EnsembleForecast: Codable, Equatable, Sendable {
    /// The combined point forecast.
    public let point: [Double]
    /// One interval per requested level, widening with the horizon.
    public let intervals: [PredictionInterval]
    /// Each member's own forecast.
    public let members: [[Double]]
}

/// The automatic forecaster: chooses a configuration (transform, network, window, strategy) on
/// rolling validation blocks inside the training part, trains an ensemble of networks from
/// different seeds with it, and attaches prediction intervals from the ensemble's validation
/// errors.
///
/// ```swift
/// var options = AutoForecastOptions(horizon: 12, seasonalPeriod: 12)
/// let ensemble = try ForecastEnsemble.fit(train, options: options)
/// let f = try ensemble.forecast(steps: 12, levels: [80, 95])   // f.point, f.intervals
/// ```
///
/// Steps: (1) hold out the last blocks of the series (``SelectionReport/validationCount``);
/// (2) train each candidate from two seeds with early stopping on the held-out values and score
/// the combined forecast from every origin in them; (3) train the remaining members of the best
/// candidate the same way; (4) retrain every member on the whole series for the epochs early
/// stopping chose. Work is spread over ``AutoForecastOptions/threads`` threads; each network has
/// its own seed, so the result is the same for a seed on any number of threads.
public final class ForecastEnsemble {
    public let options: AutoForecastOptions
    public let members: [Forecaster]
    public let selection: SelectionReport
    /// Prediction-interval scale per horizon step (standard deviation of the ensemble's
    /// validation errors in the power-transformed space, non-decreasing).
    public let intervalScales: [Double]
    /// The series forecasts continue from.
    public private(set) var history: [Double]

    init(options: AutoForecastOptions, members: [Forecaster], selection: SelectionReport, intervalScales: [Double], history: [Double]) {
        self.options = options
        self.members = members
        self.selection = selection
        self.intervalScales = intervalScales
        self.history = history
    }

    /// The chosen configuration (seed of the first member).
    public var config: ForecasterConfig { members[0].config }

    // MARK: Fitting

    /// Chooses a configuration and trains the ensemble on `series`. `progress` receives one
    /// line per finished search stage.
    public static func fit(_ series: [Double], options: AutoForecastOptions,
                           progress: ((String) -> Void)? = nil) throws -> ForecastEnsemble {
        guard options.horizon > 0 else { throw ForecastError.invalidConfig("horizon must be positive, got \(options.horizon)") }
        guard options.members > 0 else { throw ForecastError.invalidConfig("members must be positive, got \(options.members)") }
        guard options.seasonalPeriod > 0 else { throw ForecastError.invalidConfig("the seasonal period must be positive, got \(options.seasonalPeriod)") }
        if let bad = series.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
        let start = Date()
        let search = try CandidateSearch(series: series, options: options)
        let selectionSeeds = max(1, options.selectionSeeds)
        var scores: [CandidateScore] = []
        var runs: [[Forecaster]] = []          // validation-trained members per candidate
        var budgetExhausted = false
        var secondsPerFit = 0.0

        func evaluate(_ configs: [ForecasterConfig], stage: Int) throws {
            let jobs = configs.flatMap { c in (0..<selectionSeeds).map { (c, UInt64($0)) } }
            let t0 = Date()
            let trained = try ParallelJobs.map(jobs.count, threads: options.threads) { i in
                Unchecked(try validationRun(jobs[i].0, seedOffset: jobs[i].1, series: series, search: search))
            }.map(\.value)
            secondsPerFit = Date().timeIntervalSince(t0) * Double(max(1, min(options.threads, jobs.count))) / Double(max(1, jobs.count))
            for (k, c) in configs.enumerated() {
                let group = Array(trained[(k * selectionSeeds)..<((k + 1) * selectionSeeds)])
                scores.append(CandidateScore(name: CandidateSearch.name(c, lambda: group[0].transform?.lambda), config: c,
                                             validationRMSE: combinedError(group, series: series, combine: options.combine),
                                             bestEpochs: group.map { $0.validation?.bestEpoch ?? 0 }, stage: stage))
                runs.append(group)
            }
        }

        let first = search.stageOne()
        guard !first.isEmpty else {
            throw ForecastError.seriesTooShort(count: series.count, needed: search.validationCount + search.baseWindow + options.horizon + 8,
                                               reason: "\(search.validationCount) validation values, a window of \(search.baseWindow), \(options.horizon) targets and 8 training windows")
        }
        try evaluate(first, stage: 1)
        progress?(stageLine(1, scores))
        let bestFirst = scores.indices.min { scores[$0].validationRMSE < scores[$1].validationRMSE }!
        let second = search.stageTwo(around: scores[bestFirst].config)
        // Budget: the second stage and the final members must fit in what is left.
        let finalCost = secondsPerFit * Double(2 * options.members) / Double(max(1, options.threads))
        let elapsed = Date().timeIntervalSince(start)
        let affordable = max(0, Int((options.budgetSeconds - elapsed - finalCost) / max(secondsPerFit * Double(selectionSeeds) / Double(max(1, options.threads)), 1e-3)))
        if affordable < second.count { budgetExhausted = true }
        let tried = Array(second.prefix(affordable))
        if !tried.isEmpty {
            try evaluate(tried, stage: 2)
            progress?(stageLine(2, Array(scores.suffix(tried.count))))
        }
        let ranking = scores.indices.sorted { scores[$0].validationRMSE < scores[$1].validationRMSE }
        let winner = ranking[0]
        // Members go round-robin over the best `combineTop` candidates (seeds 0, 1, … of each),
        // reusing their validation runs and training the missing ones the same way.
        let top = Array(ranking.prefix(max(1, options.combineTop)))
        let plan: [(candidate: Int, seed: Int)] = (0..<options.members).map { (top[$0 % top.count], $0 / top.count) }
        let missing = plan.filter { $0.seed >= selectionSeeds }.map { (config: scores[$0.candidate].config, seed: $0.seed) }
        let more = try ParallelJobs.map(missing.count, threads: options.threads) { i in
            Unchecked(try validationRun(missing[i].config, seedOffset: UInt64(missing[i].seed), series: series, search: search))
        }.map(\.value)
        var extra = more.makeIterator()
        let validated: [Forecaster] = plan.map { $0.seed < selectionSeeds ? runs[$0.candidate][$0.seed] : extra.next()! }
        let scales = intervalScales(validated, series: series, combine: options.combine)

        // Every member again on the whole series, for the epochs early stopping chose.
        let refits: [ForecasterConfig] = validated.map { f in
            var c = f.config
            c.epochs = max(1, f.validation?.bestEpoch ?? c.epochs)
            return c
        }
        let final = try ParallelJobs.map(refits.count, threads: options.threads) { i in
            let c = refits[i]
            let f = try Forecaster(config: c)
            try f.fit(series)
            return Unchecked(f)
        }.map(\.value)
        let report = SelectionReport(candidates: scores, winner: winner, memberCandidates: plan.map(\.candidate), validationCount: search.validationCount,
                                     validationOrigins: search.validationCount, budgetExhausted: budgetExhausted,
                                     naiveValidationRMSE: search.referenceRMSE { Baseline.naive($0, steps: $1) },
                                     seasonalNaiveValidationRMSE: search.referenceRMSE {
                                         Baseline.seasonalOrNaive($0, steps: $1, period: options.seasonalPeriod) },
                                     seconds: Date().timeIntervalSince(start))
        progress?("chose \(scores[winner].name): validation RMSE \(String(format: "%.4g", scores[winner].validationRMSE))")
        return ForecastEnsemble(options: options, members: final, selection: report, intervalScales: scales, history: series)
    }

    /// One member trained with the last validation values held out and early stopping.
    private static func validationRun(_ config: ForecasterConfig, seedOffset: UInt64, series: [Double],
                                      search: CandidateSearch) throws -> Forecaster {
        var c = config
        c.seed = config.seed &+ seedOffset &* 1_000_003
        let f = try Forecaster(config: c)
        try f.fit(series, validationCount: search.validationCount, patience: max(15, c.epochs / 5))
        return f
    }

    /// Mean squared error of the members' combined validation forecasts (series units), as RMSE.
    private static func combinedError(_ group: [Forecaster], series: [Double], combine: EnsembleCombine) -> Double {
        let paths = combinedValidationPaths(group, combine: combine)
        guard let origins = group.first?.validation?.origins, !paths.isEmpty else { return .infinity }
        var total = 0.0, count = 0
        for (o, path) in zip(origins, paths) {
            for (k, v) in path.enumerated() where o + k < series.count {
                total += (v - series[o + k]) * (v - series[o + k])
                count += 1
            }
        }
        let rmse = (total / Double(max(count, 1))).squareRoot()
        return rmse.isFinite ? rmse : .infinity
    }

    /// The combined validation forecast from each origin, series units.
    private static func combinedValidationPaths(_ group: [Forecaster], combine: EnsembleCombine) -> [[Double]] {
        let perMember: [[[Double]]] = group.compactMap { f in
            guard let v = f.validation, let t = f.transform else { return nil }
            return v.poweredForecasts.map { $0.map(t.unpower) }
        }
        guard perMember.count == group.count, let firstMember = perMember.first else { return [] }
        return firstMember.indices.map { o in
            firstMember[o].indices.map { k in combine.combine(perMember.map { $0[o][k] }) }
        }
    }

    /// Per-step scale of the combined forecast's validation errors in the powered space:
    /// √(mean e²) of the errors at that step, made non-decreasing over the horizon.
    static func intervalScales(_ group: [Forecaster], series: [Double], combine: EnsembleCombine) -> [Double] {
        let paths = combinedValidationPaths(group, combine: combine)
        guard let origins = group.first?.validation?.origins, let t = group.first?.transform, !paths.isEmpty else { return [] }
        let h = paths[0].count
        var scales: [Double] = []
        for k in 0..<h {
            var total = 0.0, count = 0
            for (o, path) in zip(origins, paths) where o + k < series.count {
                let e = t.power(series[o + k]) - t.power(path[k])
                if e.isFinite { total += e * e; count += 1 }
            }
            let s = count > 0 ? (total / Double(count)).squareRoot() : (scales.last ?? 0)
            scales.append(max(s, scales.last ?? 0))
        }
        return scales
    }

    private static func stageLine(_ stage: Int, _ scores: [CandidateScore]) -> String {
        let best = scores.min { $0.validationRMSE < $1.validationRMSE }
        return "stage \(stage): \(scores.count) candidate(s), best \(best?.name ?? "-") (validation RMSE \(String(format: "%.4g", best?.validationRMSE ?? .nan)))"
    }

    // MARK: Forecasting

    /// Makes forecasts continue after `series` (the training series followed by values known
    /// since) without retraining.
    public func extendHistory(_ series: [Double]) throws {
        if let bad = series.firstIndex(where: { !$0.isFinite }) { throw ForecastError.nonFiniteValue(index: bad) }
        history = series
        for m in members { try m.extendHistory(series) }
    }

    /// Forecasts `steps` values after `context` (default: ``history``) with intervals at
    /// `levels` (percent, e.g. 80 and 95).
    ///
    /// An interval at level L is the combined forecast ± t·sₖ in the power-transformed space,
    /// mapped back through the inverse transform (exact for the bounds: the transform is
    /// monotone). sₖ is the root mean square of the ensemble's validation errors at step k
    /// (non-decreasing; beyond the validated horizon it grows as √k); t is Student's quantile of
    /// (1 + L/100)/2 with ``intervalDegreesOfFreedom`` degrees of freedom, since the scale is
    /// estimated from that few independent stretches of the series.
    public func forecast(steps: Int, after context: [Double]? = nil, levels: [Double] = [80, 95]) throws -> EnsembleForecast {
        guard steps > 0 else { throw ForecastError.invalidConfig("steps must be positive, got \(steps)") }
        for l in levels where !(l > 0 && l < 100) {
            throw ForecastError.invalidConfig("interval levels must lie strictly between 0 and 100 percent, got \(l)")
        }
        let base = context ?? history
        let perMember = try members.map { try $0.forecast(steps: steps, after: base) }
        let point = (0..<steps).map { k in options.combine.combine(perMember.map { $0[k] }) }
        let t = try members[0].fittedTransform()
        let intervals = levels.map { level -> PredictionInterval in
            let z = StudentQuantile.of(0.5 + level / 200, degreesOfFreedom: Double(intervalDegreesOfFreedom))
            var lower: [Double] = [], upper: [Double] = []
            for (k, p) in point.enumerated() {
                let s = scale(step: k) * z
                let center = t.power(p)
                lower.append(t.unpower(center - s))
                upper.append(t.unpower(center + s))
            }
            return PredictionInterval(level: level, lower: lower, upper: upper)
        }
        return EnsembleForecast(point: point, intervals: intervals, members: perMember)
    }

    /// Degrees of freedom of the interval scales: one per validation block (origins inside one
    /// block share most of their errors, so the blocks are the independent samples), less the
    /// one spent on choosing the configuration on those same blocks (at least 2).
    var intervalDegreesOfFreedom: Int { max(2, selection.validationCount / max(1, options.horizon) - 1) }

    /// The interval scale of step k (0-based).
    func scale(step k: Int) -> Double {
        guard let last = intervalScales.last else { return 0 }
        if k < intervalScales.count { return intervalScales[k] }
        return last * (Double(k + 1) / Double(intervalScales.count)).squareRoot()
    }
}

/// A prediction interval at one level.
public struct PredictionInterval: Codable, Equatable, Sendable {
    /// Percent, e.g. 80.
    public let level: Double
    public let lower: [Double]
    public let upper: [Double]

    /// Fraction of `actual` values inside [lower, upper] (compared step by step).
    public func coverage(of actual: [Double]) -> Double {
        let pairs = zip(zip(lower, upper), actual)
        let n = min(lower.count, actual.count)
        guard n > 0 else { return .nan }
        return Double(pairs.filter { $0.0.0 <= $0.1 && $0.1 <= $0.0.1 }.count) / Double(n)
    }
}

/// Wraps a value that one job hands to the thread that collects the results.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Quantiles of Student's t distribution from the normal quantile by the Cornish-Fisher
/// expansion (Abramowitz & Stegun 26.7.5; within 1% for ν ≥ 3 at the 97.5% point, exact as ν → ∞).
enum StudentQuantile {
    static func of(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        let z = NormalQuantile.of(p)
        let z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2
        let g1 = (z3 + z) / 4
        let g2 = (5 * z5 + 16 * z3 + 3 * z) / 96
        let g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384
        let g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu)
    }
}

/// The standard normal quantile function (Acklam's rational approximation, relative error
/// below 1.2e-9).
enum NormalQuantile {
    static func of(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "NormalQuantile: p must lie in (0, 1), got \(p)")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * Foundation.log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low { return -of(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
