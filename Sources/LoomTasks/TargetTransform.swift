import Foundation

/// A variance-stabilizing transform applied to the series before differencing.
public enum PowerTransform: Codable, Equatable, Sendable {
    /// The values as they are.
    case none
    /// Natural logarithm (Box-Cox with λ = 0); needs positive values.
    case log
    /// Box-Cox: (y^λ − 1) / λ, log y at λ = 0; needs positive values. `lambda: nil` fits λ on the
    /// training part (Guerrero's method, λ in [0, 1]).
    case boxCox(lambda: Double?)

    /// Whether the transform is defined only for positive values.
    public var needsPositiveValues: Bool { self != .none }
}

/// Differencing that removes a trend, a season or both before the network sees the series.
public enum Differencing: String, Codable, Equatable, Sendable, CaseIterable {
    /// Levels.
    case none
    /// zₜ = yₜ − yₜ₋₁.
    case first
    /// zₜ = yₜ − yₜ₋ₘ with the seasonal period m.
    case seasonal
    /// Both: zₜ = (yₜ − yₜ₋ₘ) − (yₜ₋₁ − yₜ₋ₘ₋₁).
    case both

    /// Values lost at the start of the series (the order of the differencing).
    public func order(period m: Int) -> Int {
        switch self {
        case .none: return 0
        case .first: return 1
        case .seasonal: return m
        case .both: return m + 1
        }
    }
}

/// How the transformed series is scaled for the network (fit on the training part).
public enum Scaling: Codable, Equatable, Sendable {
    /// Linear map of the training minimum and maximum to `[low, high]` (the tutorial's
    /// `MinMaxScaler(feature_range=(-1, 1))`).
    case minMax(low: Double, high: Double)
    /// Zero mean and unit standard deviation on the training part.
    case standard
}

/// The target transform of a forecaster: power transform → differencing → scaling, each fit on
/// the training part; forecasts (and interval bounds) map back through the inverse steps.
///
/// The tutorial's configuration is `TargetTransform(power: .none, differencing: .none,
/// scaling: .minMax(low: -1, high: 1))`, the default.
public struct TargetTransform: Codable, Equatable, Sendable, CustomStringConvertible {
    public var power: PowerTransform
    public var differencing: Differencing
    public var scaling: Scaling

    public init(power: PowerTransform = .none, differencing: Differencing = .none,
                scaling: Scaling = .minMax(low: -1, high: 1)) {
        self.power = power
        self.differencing = differencing
        self.scaling = scaling
    }

    /// The tutorial's transform: levels scaled to [-1, 1].
    public static let tutorial = TargetTransform()

    /// A short name such as `log+diff` or `boxcox(0.21)+sdiff` (scaling not shown).
    public var description: String {
        var parts: [String] = []
        switch power {
        case .none: break
        case .log: parts.append("log")
        case .boxCox(let lambda): parts.append(lambda.map { String(format: "boxcox(%.2f)", $0) } ?? "boxcox")
        }
        switch differencing {
        case .none: break
        case .first: parts.append("diff")
        case .seasonal: parts.append("sdiff")
        case .both: parts.append("diff+sdiff")
        }
        return parts.isEmpty ? "levels" : parts.joined(separator: "+")
    }

    /// Parses the names used by ``description`` and the CLI: `levels`/`none`, `log`, `boxcox`,
    /// `diff`, `sdiff`, `diff+sdiff`, joined with `+` (e.g. `log+diff`, `boxcox+sdiff`).
    public init?(name: String, scaling: Scaling = .standard) {
        var power: PowerTransform = .none
        var first = false, seasonal = false
        for part in name.lowercased().split(separator: "+") {
            switch part {
            case "levels", "none": break
            case "log": power = .log
            case "boxcox": power = .boxCox(lambda: nil)
            case "diff": first = true
            case "sdiff": seasonal = true
            default: return nil
            }
        }
        let differencing: Differencing = first ? (seasonal ? .both : .first) : (seasonal ? .seasonal : .none)
        self.init(power: power, differencing: differencing, scaling: scaling)
    }
}

/// A ``TargetTransform`` fit on a training series: the fitted Box-Cox λ and scaling constants.
///
/// `apply` maps a series to the network's space (shorter by the differencing order);
/// `invert` turns values that continue that space back into the series' units, given the
/// series they continue.
public struct FittedTransform: Codable, Equatable, Sendable {
    public let transform: TargetTransform
    public let period: Int
    /// λ of the power transform (0 for log; nil for none).
    public let lambda: Double?
    /// Scaling: network value = value · multiplier + offset (scikit-learn's order of operations,
    /// so the tutorial's min-max scaling gives the same numbers as ``MinMaxScaler``).
    public let multiplier: Double
    public let offset: Double

    /// Fits λ (when asked) and the scaling on `series`.
    /// - Precondition: `series` is longer than the differencing order and positive when the
    ///   power transform needs it (callers check and throw).
    public init(_ transform: TargetTransform, period: Int, fitOn series: [Double]) {
        self.transform = transform
        self.period = max(1, period)
        switch transform.power {
        case .none: lambda = nil
        case .log: lambda = 0
        case .boxCox(let fixed): lambda = fixed ?? BoxCox.guerreroLambda(series, period: max(2, period))
        }
        let powered = series.map { [lambda] in BoxCox.forward($0, lambda: lambda) }
        let differenced = Self.difference(powered, transform.differencing, period: self.period)
        switch transform.scaling {
        case .minMax(let low, let high):
            let lo = differenced.min() ?? 0, hi = differenced.max() ?? 1
            let range = hi - lo
            multiplier = (high - low) / (range < 10 * Double.ulpOfOne ? 1 : range)
            offset = low - lo * multiplier
        case .standard:
            let n = Double(max(differenced.count, 1))
            let mean = differenced.reduce(0, +) / n
            let variance = differenced.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
            multiplier = variance > 1e-24 ? 1 / variance.squareRoot() : 1
            offset = -mean * multiplier
        }
    }

    /// A transform with known constants (e.g. read from a file).
    public init(transform: TargetTransform, period: Int, lambda: Double?, multiplier: Double, offset: Double) {
        self.transform = transform
        self.period = max(1, period)
        self.lambda = lambda
        self.multiplier = multiplier
        self.offset = offset
    }

    /// Values lost to differencing at the start of a series.
    public var order: Int { transform.differencing.order(period: period) }

    /// The power transform of one value (identity without one).
    public func power(_ y: Double) -> Double { BoxCox.forward(y, lambda: lambda) }

    /// The inverse power transform of one value.
    public func unpower(_ z: Double) -> Double { BoxCox.inverse(z, lambda: lambda) }

    /// The series in the network's space: powered, differenced (count − ``order`` values), scaled.
    public func apply(_ series: [Double]) -> [Double] {
        Self.difference(series.map(power), transform.differencing, period: period).map { $0 * multiplier + offset }
    }

    /// Values continuing ``apply(_:)`` of `history`, mapped back to the power-transformed space
    /// (undifferenced with `history`'s last values). Map these through ``unpower(_:)`` for the
    /// series' units — separately, so interval bounds can be placed in the powered space first.
    public func invertToPowered(_ values: [Double], continuing history: [Double]) -> [Double] {
        let z = values.map { ($0 - offset) / multiplier }
        var level = history.suffix(period + 1).map(power)      // enough past values for every lag
        var out: [Double] = []
        out.reserveCapacity(z.count)
        for d in z {
            let n = level.count
            let next: Double
            switch transform.differencing {
            case .none: next = d
            case .first: next = level[n - 1] + d
            case .seasonal: next = level[n - period] + d
            case .both: next = d + level[n - 1] + level[n - period] - level[n - period - 1]
            }
            level.append(next)
            out.append(next)
        }
        return out
    }

    /// Values continuing ``apply(_:)`` of `history`, in the series' units.
    public func invert(_ values: [Double], continuing history: [Double]) -> [Double] {
        invertToPowered(values, continuing: history).map(unpower)
    }

    static func difference(_ x: [Double], _ kind: Differencing, period m: Int) -> [Double] {
        switch kind {
        case .none: return x
        case .first: return x.count > 1 ? (1..<x.count).map { x[$0] - x[$0 - 1] } : []
        case .seasonal: return x.count > m ? (m..<x.count).map { x[$0] - x[$0 - m] } : []
        case .both: return difference(difference(x, .seasonal, period: m), .first, period: m)
        }
    }
}

/// Box-Cox transform and Guerrero's (1993) choice of λ.
public enum BoxCox {
    /// (y^λ − 1) / λ, or log y at λ = 0; identity when `lambda` is nil.
    public static func forward(_ y: Double, lambda: Double?) -> Double {
        guard let lambda else { return y }
        if lambda == 0 { return Foundation.log(y) }
        return (Foundation.pow(y, lambda) - 1) / lambda
    }

    /// The inverse: (λz + 1)^(1/λ), or eᶻ at λ = 0. Values below the transform's range
    /// (λz + 1 ≤ 0) map to 0, the lower end of the positive series' range.
    public static func inverse(_ z: Double, lambda: Double?) -> Double {
        guard let lambda else { return z }
        if lambda == 0 { return Foundation.exp(z) }
        let base = lambda * z + 1
        return base > 0 ? Foundation.pow(base, 1 / lambda) : 0
    }

    /// Guerrero's method: split the series into subseries of `period` values (at least 2), and
    /// choose the λ in [0, 1] that makes sd / mean^(1−λ) of the subseries most constant
    /// (smallest coefficient of variation). λ near 0 means the spread grows with the level
    /// (multiplicative), near 1 that it does not.
    public static func guerreroLambda(_ series: [Double], period: Int) -> Double {
        let m = max(2, period)
        let groups = series.count / m
        guard groups >= 2 else { return 1 }
        let start = series.count - groups * m               // use the most recent whole groups
        var means: [Double] = [], sds: [Double] = []
        for g in 0..<groups {
            let part = series[(start + g * m)..<(start + (g + 1) * m)]
            let mean = part.reduce(0, +) / Double(m)
            let variance = part.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(m - 1)
            means.append(mean)
            sds.append(variance.squareRoot())
        }
        guard means.allSatisfy({ $0 > 0 }) else { return 1 }
        func variation(_ lambda: Double) -> Double {
            let ratios = zip(sds, means).map { $0 / Foundation.pow($1, 1 - lambda) }
            let mean = ratios.reduce(0, +) / Double(ratios.count)
            let variance = ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ratios.count - 1)
            return mean > 0 ? variance.squareRoot() / mean : .infinity
        }
        // A grid, then a finer grid around the best point (the curve is smooth and cheap).
        var best = 0.0, bestValue = Double.infinity
        for i in 0...20 {
            let lambda = Double(i) / 20
            let v = variation(lambda)
            if v < bestValue { best = lambda; bestValue = v }
        }
        let coarse = best
        for i in -10...10 {
            let lambda = min(1, max(0, coarse + Double(i) / 200))
            let v = variation(lambda)
            if v < bestValue { best = lambda; bestValue = v }
        }
        return best
    }
}
