/// A split of a time series (or of its windows) into consecutive train, validation and test
/// parts, in that order: no shuffling, so the model is always evaluated on data that comes after
/// the data it learned from.
///
/// ```swift
/// // Airline tutorial: hold out the last 12 months.
/// let parts = try ChronologicalSplit(count: series.count, testCount: 12)
/// let (train, _, test) = parts.split(series)       // 132 and 12 values
/// ```
///
/// Fit scalers on `train` only, then window each part (or window the whole scaled series and
/// split the windows, whose count is the `count` here).
public struct ChronologicalSplit: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Positions of the training part: `0 ..< count − validation − test`.
    public let train: Range<Int>
    /// Positions of the validation part, right after `train`.
    public let validation: Range<Int>
    /// Positions of the test part: the last ones.
    public let test: Range<Int>

    /// Splits `count` positions, keeping the last `testCount` for test and the `validationCount`
    /// before them for validation.
    ///
    /// - Throws: ``SplitError`` when a count is negative or the training part would be empty.
    public init(count: Int, validationCount: Int = 0, testCount: Int) throws(SplitError) {
        guard count >= 0, validationCount >= 0, testCount >= 0 else {
            throw .negativeCount(count: count, validation: validationCount, test: testCount)
        }
        let trainCount = count - validationCount - testCount
        guard trainCount > 0 else {
            throw .emptyTrainingPart(count: count, validation: validationCount, test: testCount)
        }
        train = 0..<trainCount
        validation = trainCount..<(trainCount + validationCount)
        test = (trainCount + validationCount)..<count
    }

    /// Splits `count` positions by fractions: the test part has `⌈testFraction · count⌉`
    /// positions and the validation part `⌈validationFraction · count⌉` (rounding up, as
    /// scikit-learn's `train_test_split` does for its test part).
    ///
    /// - Throws: ``SplitError`` when a fraction is outside [0, 1) or the training part would be
    ///   empty.
    public init(count: Int, validationFraction: Double = 0, testFraction: Double) throws(SplitError) {
        for f in [validationFraction, testFraction] where !(f >= 0 && f < 1) {
            throw .invalidFraction(f)
        }
        let validationCount = Int((validationFraction * Double(count)).rounded(.up))
        let testCount = Int((testFraction * Double(count)).rounded(.up))
        try self.init(count: count, validationCount: validationCount, testCount: testCount)
    }

    /// The three parts of `values` (which must have `count` elements).
    public func split<T>(_ values: [T]) -> (train: [T], validation: [T], test: [T]) {
        precondition(values.count == test.upperBound,
                     "ChronologicalSplit.split: the split is for \(test.upperBound) values, got \(values.count)")
        return (Array(values[train]), Array(values[validation]), Array(values[test]))
    }

    /// The three parts of `x` along its first dimension: (count, …) → (n, …) each.
    public func split(_ x: Tensor) -> (train: Tensor, validation: Tensor, test: Tensor) {
        precondition(x.rank >= 1 && x.shape[0] == test.upperBound,
                     "ChronologicalSplit.split: the split is for \(test.upperBound) rows, got a tensor of shape \(x.shape)")
        func part(_ r: Range<Int>) -> Tensor { x.narrow(0, start: r.lowerBound, length: r.count) }
        return (part(train), part(validation), part(test))
    }

    public var description: String {
        "ChronologicalSplit(train: \(train), validation: \(validation), test: \(test))"
    }
}

/// Why a ``ChronologicalSplit`` could not be made.
public enum SplitError: Error, Equatable, CustomStringConvertible {
    case negativeCount(count: Int, validation: Int, test: Int)
    case emptyTrainingPart(count: Int, validation: Int, test: Int)
    case invalidFraction(Double)

    public var description: String {
        switch self {
        case .negativeCount(let count, let validation, let test):
            return "split sizes must not be negative, got \(count) values with validation \(validation) and test \(test)"
        case .emptyTrainingPart(let count, let validation, let test):
            return "holding out \(validation) validation and \(test) test values leaves no training data from a series of \(count)"
        case .invalidFraction(let f):
            return "split fractions must be in [0, 1), got \(f)"
        }
    }
}
