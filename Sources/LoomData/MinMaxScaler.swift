/// Rescales each feature linearly to `featureRange` (scikit-learn's `MinMaxScaler`).
///
/// For feature f with training minimum `dataMin[f]` and maximum `dataMax[f]`:
///
///     scale[f]  = (hi − lo) / (dataMax[f] − dataMin[f])
///     offset[f] = lo − dataMin[f] · scale[f]                 (scikit-learn's `min_`)
///     transform(x)        = x · scale[f] + offset[f]
///     inverseTransform(z) = (z − offset[f]) / scale[f]
///
/// The operations and their order are scikit-learn's, so Float64 results are the same numbers.
/// A constant feature (range below 10·ε) gets range 1, as in scikit-learn: its values map to
/// `lo` instead of dividing by zero. `clip` clamps transformed values to the range (for data
/// outside the training minimum and maximum).
///
/// ```swift
/// let scaler = MinMaxScaler(featureRange: (-1, 1))
/// let trainScaled = scaler.fitTransform(train)          // fit on the training part only
/// let forecast = scaler.inverseTransform(predictions)
/// ```
///
/// Encodes to JSON (`Codable`) with its fitted statistics, so a saved model can scale new data.
/// Layouts and precision: see ``FeatureScaler``.
public final class MinMaxScaler: FeatureScaler {
    /// Target range `(lo, hi)` of the transformed data.
    public let featureRange: (Double, Double)
    /// Whether transformed values are clamped to `featureRange`.
    public let clip: Bool
    /// Per-feature minimum of the training data (`data_min_`).
    public private(set) var dataMin: [Double] = []
    /// Per-feature maximum of the training data (`data_max_`).
    public private(set) var dataMax: [Double] = []
    /// Per-feature `dataMax − dataMin` (`data_range_`, before the zero-range fix).
    public private(set) var dataRange: [Double] = []
    /// Per-feature multiplier (`scale_`).
    public private(set) var scale: [Double] = []
    /// Per-feature additive term (`min_`).
    public private(set) var offset: [Double] = []
    /// Number of samples of the last fit (`n_samples_seen_`).
    public private(set) var samplesSeen = 0

    /// - Parameters:
    ///   - featureRange: `(lo, hi)` with `lo < hi`; default `(0, 1)` as in scikit-learn.
    ///   - clip: clamp transformed values to `featureRange`; default false.
    public init(featureRange: (Double, Double) = (0, 1), clip: Bool = false) {
        precondition(featureRange.0 < featureRange.1,
                     "MinMaxScaler: minimum of desired feature range must be smaller than maximum, got \(featureRange)")
        self.featureRange = featureRange
        self.clip = clip
    }

    public var featureCount: Int? { scale.isEmpty ? nil : scale.count }

    public func fit(columns: [[Double]]) {
        precondition(!columns.isEmpty, "MinMaxScaler.fit: expects at least one feature")
        var low: [Double] = [], high: [Double] = []
        for column in columns {
            precondition(!column.isEmpty, "MinMaxScaler.fit: expects at least one sample")
            // NaNs are ignored, as numpy's nanmin/nanmax do; an all-NaN feature stays NaN.
            let finite = column.filter { !$0.isNaN }
            low.append(finite.min() ?? .nan)
            high.append(finite.max() ?? .nan)
        }
        setStatistics(dataMin: low, dataMax: high, samplesSeen: columns[0].count)
    }

    /// Derives range, scale and offset from the extremes, exactly as scikit-learn's `partial_fit`.
    private func setStatistics(dataMin: [Double], dataMax: [Double], samplesSeen: Int) {
        let (lo, hi) = featureRange
        self.dataMin = dataMin
        self.dataMax = dataMax
        self.samplesSeen = samplesSeen
        dataRange = zip(dataMax, dataMin).map { $0 - $1 }
        scale = dataRange.map { (hi - lo) / ($0 < 10 * Double.ulpOfOne ? 1 : $0) }
        offset = zip(dataMin, scale).map { lo - $0 * $1 }
    }

    public func transform(_ value: Double, feature: Int) -> Double {
        let z = value * scale[feature] + offset[feature]
        return clip ? Swift.min(Swift.max(z, featureRange.0), featureRange.1) : z
    }

    public func inverseTransform(_ value: Double, feature: Int) -> Double {
        (value - offset[feature]) / scale[feature]
    }

    // MARK: - Codable

    private enum CodingKeys: String, CodingKey {
        case featureRange, clip, dataMin, dataMax, samplesSeen
    }

    /// Decodes a scaler saved by ``encode(to:)``; the derived statistics are recomputed from the
    /// saved extremes, so they are bit-identical to the original's.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let range = try c.decode([Double].self, forKey: .featureRange)
        guard range.count == 2, range[0] < range[1] else {
            throw DecodingError.dataCorruptedError(forKey: .featureRange, in: c,
                debugDescription: "MinMaxScaler: featureRange must be [lo, hi] with lo < hi, found \(range)")
        }
        featureRange = (range[0], range[1])
        clip = try c.decodeIfPresent(Bool.self, forKey: .clip) ?? false
        let low = try c.decodeIfPresent([Double].self, forKey: .dataMin) ?? []
        let high = try c.decodeIfPresent([Double].self, forKey: .dataMax) ?? []
        guard low.count == high.count else {
            throw DecodingError.dataCorruptedError(forKey: .dataMax, in: c,
                debugDescription: "MinMaxScaler: dataMin has \(low.count) features but dataMax has \(high.count)")
        }
        let seen = try c.decodeIfPresent(Int.self, forKey: .samplesSeen) ?? 0
        if !low.isEmpty { setStatistics(dataMin: low, dataMax: high, samplesSeen: seen) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([featureRange.0, featureRange.1], forKey: .featureRange)
        try c.encode(clip, forKey: .clip)
        if isFitted {
            try c.encode(dataMin, forKey: .dataMin)
            try c.encode(dataMax, forKey: .dataMax)
            try c.encode(samplesSeen, forKey: .samplesSeen)
        }
    }
}
