/// A per-feature affine rescaling learned from training data (scikit-learn's scalers).
///
/// Data layouts accepted by `fit`, `transform` and `inverseTransform` (N samples, F features):
/// - a series `[Double]`/`[Float]` or a 1-d tensor (N): one feature;
/// - rows `[[Double]]` (N × F) or a tensor (N, F): one feature per column, like scikit-learn;
/// - a tensor (…, F) of higher rank: the last dimension holds the features, all others index
///   samples (a window batch (B, T, F) is scaled feature by feature).
///
/// Fit on the training part only, then transform every part with the same statistics.
/// Statistics are computed in Float64 whatever the input type; results have the input's type
/// (and a tensor's shape and dtype). Tensor results are new leaves: scaling is preprocessing and
/// is not recorded by autograd. NaN values are ignored by `fit` and stay NaN through `transform`,
/// as in scikit-learn.
///
/// Transforming before fitting, or with a different number of features than the scaler was
/// fitted with, is a programmer error and stops with a message naming both counts.
public protocol FeatureScaler: AnyObject, Codable {
    /// Number of features the scaler was fitted with; `nil` before ``fit(columns:)``.
    var featureCount: Int? { get }

    /// Learns the statistics of each feature; `columns[f]` holds the N values of feature f.
    /// Replaces any previous fit.
    func fit(columns: [[Double]])

    /// The scaled value of one element of feature `feature`.
    func transform(_ value: Double, feature: Int) -> Double

    /// The original value of one scaled element of feature `feature`.
    func inverseTransform(_ value: Double, feature: Int) -> Double
}

extension FeatureScaler {
    /// Whether ``fit(columns:)`` (or one of the `fit` overloads) has run.
    public var isFitted: Bool { featureCount != nil }

    // MARK: - fit

    /// Fits one feature on a series of N values.
    @discardableResult
    public func fit<S: BinaryFloatingPoint>(_ series: [S]) -> Self {
        precondition(!series.isEmpty, "\(Self.self).fit: expects at least one sample, got an empty series")
        fit(columns: [series.map { Double($0) }])
        return self
    }

    /// Fits F features on N rows of F values.
    @discardableResult
    public func fit<S: BinaryFloatingPoint>(_ rows: [[S]]) -> Self {
        let matrix = FeatureMatrix(rows: rows, function: "\(Self.self).fit")
        precondition(matrix.sampleCount > 0, "\(Self.self).fit: expects at least one sample, got 0 rows")
        fit(columns: matrix.columns)
        return self
    }

    /// Fits on a tensor: (N) is one feature, (N, F) or (…, F) is F features.
    @discardableResult
    public func fit(_ x: Tensor) -> Self {
        let matrix = FeatureMatrix(tensor: x, function: "\(Self.self).fit")
        precondition(matrix.sampleCount > 0, "\(Self.self).fit: expects at least one sample, got shape \(x.shape)")
        fit(columns: matrix.columns)
        return self
    }

    // MARK: - transform

    /// Scales a one-feature series.
    public func transform<S: BinaryFloatingPoint>(_ series: [S]) -> [S] {
        checkFitted(features: 1, "transform")
        return series.map { S(transform(Double($0), feature: 0)) }
    }

    /// Scales N rows of F features.
    public func transform<S: BinaryFloatingPoint>(_ rows: [[S]]) -> [[S]] {
        map(rows, "transform") { transform($0, feature: $1) }
    }

    /// Scales a tensor (N), (N, F) or (…, F); the result has the same shape and dtype.
    public func transform(_ x: Tensor) -> Tensor {
        map(x, "transform") { transform($0, feature: $1) }
    }

    // MARK: - inverseTransform

    /// Undoes `transform` on a one-feature series.
    public func inverseTransform<S: BinaryFloatingPoint>(_ series: [S]) -> [S] {
        checkFitted(features: 1, "inverseTransform")
        return series.map { S(inverseTransform(Double($0), feature: 0)) }
    }

    /// Undoes `transform` on N rows of F features.
    public func inverseTransform<S: BinaryFloatingPoint>(_ rows: [[S]]) -> [[S]] {
        map(rows, "inverseTransform") { inverseTransform($0, feature: $1) }
    }

    /// Undoes `transform`; the result has the same shape and dtype.
    public func inverseTransform(_ x: Tensor) -> Tensor {
        map(x, "inverseTransform") { inverseTransform($0, feature: $1) }
    }

    // MARK: - fitTransform

    /// `fit` then `transform`.
    public func fitTransform<S: BinaryFloatingPoint>(_ series: [S]) -> [S] { fit(series).transform(series) }
    /// `fit` then `transform`.
    public func fitTransform<S: BinaryFloatingPoint>(_ rows: [[S]]) -> [[S]] { fit(rows).transform(rows) }
    /// `fit` then `transform`.
    public func fitTransform(_ x: Tensor) -> Tensor { fit(x).transform(x) }

    // MARK: - Helpers

    private func checkFitted(features: Int, _ function: String) {
        guard let fitted = featureCount else {
            preconditionFailure("\(Self.self).\(function): this \(Self.self) is not fitted yet; call fit(_:) with the training data first")
        }
        precondition(fitted == features,
                     "\(Self.self).\(function): the data has \(features) feature\(features == 1 ? "" : "s"), but the \(Self.self) was fitted with \(fitted)")
    }

    private func map<S: BinaryFloatingPoint>(_ rows: [[S]], _ function: String,
                                             _ f: (Double, Int) -> Double) -> [[S]] {
        let width = rows.first?.count ?? (featureCount ?? 0)
        precondition(rows.allSatisfy { $0.count == width },
                     "\(Self.self).\(function): rows have different lengths \(Set(rows.map(\.count)).sorted())")
        checkFitted(features: width, function)
        return rows.map { row in row.enumerated().map { S(f(Double($0.element), $0.offset)) } }
    }

    private func map(_ x: Tensor, _ function: String, _ f: (Double, Int) -> Double) -> Tensor {
        let width = x.rank <= 1 ? 1 : x.shape[x.rank - 1]
        checkFitted(features: width, function)
        let values = x.doubleScalars
        var out = [Double](repeating: 0, count: values.count)
        for i in 0..<values.count { out[i] = f(values[i], i % width) }
        let y = Tensor(shape: x.shape, scalars: out)
        return x.dtype == .float64 ? y : y.float()
    }
}

/// Row-major values of N samples × F features, built from the layouts scalers accept.
struct FeatureMatrix {
    let sampleCount: Int
    let featureCount: Int
    let values: [Double]

    init<S: BinaryFloatingPoint>(rows: [[S]], function: String) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width },
                     "\(function): rows have different lengths \(Set(rows.map(\.count)).sorted())")
        precondition(width > 0 || rows.isEmpty, "\(function): rows have no features")
        sampleCount = rows.count
        featureCount = width
        values = rows.flatMap { $0.map { Double($0) } }
    }

    init(tensor x: Tensor, function: String) {
        precondition(x.rank >= 1, "\(function): expects a tensor (N) or (…, F), got a scalar tensor")
        let width = x.rank == 1 ? 1 : x.shape[x.rank - 1]
        precondition(width > 0, "\(function): the feature dimension is empty in shape \(x.shape)")
        featureCount = width
        sampleCount = x.count / width
        values = x.doubleScalars
    }

    /// `columns[f]` = the N values of feature f.
    var columns: [[Double]] {
        (0..<featureCount).map { f in (0..<sampleCount).map { values[$0 * featureCount + f] } }
    }
}
