/// Standardizes each feature to zero mean and unit variance (scikit-learn's `StandardScaler`).
///
/// For feature f with training mean `mean[f]` and population variance `variance[f]` (divided by
/// N, not N − 1):
///
///     scale[f]            = √variance[f]       (1 for a constant feature)
///     transform(x)        = (x − mean[f]) / scale[f]
///     inverseTransform(z) = z · scale[f] + mean[f]
///
/// The variance uses scikit-learn's corrected two-pass formula and its test for constant features
/// (`var ≤ N·ε·var + (N·mean·ε)²`), so constant features are left unscaled exactly when
/// scikit-learn leaves them. Sums are compensated (Neumaier), so results agree with scikit-learn
/// to a few units in the last place. `withMean: false` skips centering, `withStd: false` skips
/// scaling.
///
/// Encodes to JSON (`Codable`) with its fitted statistics. Layouts and precision: see
/// ``FeatureScaler``.
public final class StandardScaler: FeatureScaler {
    /// Whether `transform` subtracts the mean.
    public let withMean: Bool
    /// Whether `transform` divides by the standard deviation.
    public let withStd: Bool
    /// Per-feature mean of the training data (`mean_`).
    public private(set) var mean: [Double] = []
    /// Per-feature population variance of the training data (`var_`).
    public private(set) var variance: [Double] = []
    /// Per-feature divisor (`scale_`): the standard deviation, or 1 for constant features and
    /// when `withStd` is false.
    public private(set) var scale: [Double] = []
    /// Number of (non-NaN) samples of the last fit, per feature (`n_samples_seen_`).
    public private(set) var samplesSeen: [Int] = []

    public init(withMean: Bool = true, withStd: Bool = true) {
        self.withMean = withMean
        self.withStd = withStd
    }

    public var featureCount: Int? { mean.isEmpty ? nil : mean.count }

    public func fit(columns: [[Double]]) {
        precondition(!columns.isEmpty, "StandardScaler.fit: expects at least one feature")
        var means: [Double] = [], variances: [Double] = [], counts: [Int] = []
        for column in columns {
            precondition(!column.isEmpty, "StandardScaler.fit: expects at least one sample")
            let values = column.filter { !$0.isNaN }
            let n = Double(values.count)
            let mean = StandardScaler.sum(values) / n
            let deviations = values.map { $0 - mean }
            let correction = StandardScaler.sum(deviations)
            let unnormalized = StandardScaler.sum(deviations.map { $0 * $0 }) - correction * correction / n
            means.append(mean)
            variances.append(unnormalized / n)
            counts.append(values.count)
        }
        setStatistics(mean: means, variance: variances, samplesSeen: counts)
    }

    private func setStatistics(mean: [Double], variance: [Double], samplesSeen: [Int]) {
        self.mean = mean
        self.variance = variance
        self.samplesSeen = samplesSeen
        scale = mean.indices.map { f in
            guard withStd else { return 1 }
            let n = Double(samplesSeen[f]), v = variance[f], eps = Double.ulpOfOne
            let nearlyConstant = v <= n * eps * v + (n * mean[f] * eps) * (n * mean[f] * eps)
            return nearlyConstant ? 1 : v.squareRoot()
        }
    }

    public func transform(_ value: Double, feature: Int) -> Double {
        let centered = withMean ? value - mean[feature] : value
        return withStd ? centered / scale[feature] : centered
    }

    public func inverseTransform(_ value: Double, feature: Int) -> Double {
        let scaled = withStd ? value * scale[feature] : value
        return withMean ? scaled + mean[feature] : scaled
    }

    /// Σ values with Neumaier's compensation.
    static func sum(_ values: [Double]) -> Double {
        var total = 0.0, compensation = 0.0
        for v in values {
            let t = total + v
            compensation += Swift.abs(total) >= Swift.abs(v) ? (total - t) + v : (v - t) + total
            total = t
        }
        return total + compensation
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey {
        case withMean, withStd, mean, variance, samplesSeen
    }

    /// Decodes a scaler saved by ``encode(to:)``; `scale` is recomputed from the saved variance.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        withMean = try c.decodeIfPresent(Bool.self, forKey: .withMean) ?? true
        withStd = try c.decodeIfPresent(Bool.self, forKey: .withStd) ?? true
        let mean = try c.decodeIfPresent([Double].self, forKey: .mean) ?? []
        let variance = try c.decodeIfPresent([Double].self, forKey: .variance) ?? []
        let seen = try c.decodeIfPresent([Int].self, forKey: .samplesSeen) ?? []
        guard variance.count == mean.count, seen.count == mean.count else {
            throw DecodingError.dataCorruptedError(forKey: .variance, in: c,
                debugDescription: "StandardScaler: mean, variance and samplesSeen must have one entry per feature, found \(mean.count), \(variance.count) and \(seen.count)")
        }
        guard variance.allSatisfy({ !($0 < 0) }) else {
            throw DecodingError.dataCorruptedError(forKey: .variance, in: c,
                debugDescription: "StandardScaler: variance must not be negative, found \(variance)")
        }
        if !mean.isEmpty { setStatistics(mean: mean, variance: variance, samplesSeen: seen) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(withMean, forKey: .withMean)
        try c.encode(withStd, forKey: .withStd)
        if isFitted {
            try c.encode(mean, forKey: .mean)
            try c.encode(variance, forKey: .variance)
            try c.encode(samplesSeen, forKey: .samplesSeen)
        }
    }
}
