/// One-line terminal charts made of the block characters `▁▂▃▄▅▆▇█`.
///
/// ```swift
/// Sparkline.render([1, 5, 22, 13, 5])          // "▁▂█▅▂"
/// Sparkline.render(losses, width: 40)          // 40 characters, averaged buckets
/// ```
public enum Sparkline {
    /// The eight levels, lowest first.
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value (or per bucket when `width` is given).
    ///
    /// - Parameters:
    ///   - values: The data. NaN and ±∞ are drawn as a space.
    ///   - width: The number of characters. Fewer than `values.count`: consecutive values are
    ///     averaged in `width` near-equal buckets (non-finite values are left out of a bucket's
    ///     average; a bucket with none finite is a space). More: values are repeated to stretch.
    ///     `nil` (the default): one character per value. Zero or less: the empty string.
    ///   - range: The values drawn as `▁` and `█`; values outside are clamped. `nil` (the
    ///     default) uses the minimum and maximum of the finite (resampled) values. When all
    ///     values are equal, every character is `▄`.
    public static func render(_ values: [Double], width: Int? = nil, range: ClosedRange<Double>? = nil) -> String {
        let samples = resample(values, width: width ?? values.count)
        let finite = samples.filter(\.isFinite)
        guard let low = range?.lowerBound ?? finite.min(),
              let high = range?.upperBound ?? finite.max() else {
            return String(repeating: " ", count: samples.count)
        }
        let top = Double(levels.count - 1)
        var line = ""
        for value in samples {
            guard value.isFinite else {
                line.append(" ")
                continue
            }
            let fraction = (value - low) / (high - low)
            guard high > low, fraction.isFinite else {
                line.append(levels[levels.count / 2 - 1])
                continue
            }
            let level = Int((min(max(fraction, 0), 1) * top).rounded())
            line.append(levels[level])
        }
        return line
    }

    /// ``render(_:width:range:)`` for any floating-point type (e.g. `[Float]` losses).
    public static func render<Value: BinaryFloatingPoint>(_ values: [Value], width: Int? = nil,
                                                          range: ClosedRange<Double>? = nil) -> String {
        render(values.map { Double($0) }, width: width, range: range)
    }

    /// `values` resampled to `width` entries: bucket averages when shrinking, repetition when
    /// stretching.
    static func resample(_ values: [Double], width: Int) -> [Double] {
        guard width > 0, !values.isEmpty else { return [] }
        let count = values.count
        if width >= count {
            if width == count { return values }
            return (0..<width).map { values[$0 * count / width] }
        }
        return (0..<width).map { bucket in
            let bucketValues = values[(bucket * count / width)..<((bucket + 1) * count / width)]
            let finite = bucketValues.filter(\.isFinite)
            guard !finite.isEmpty else { return .nan }
            return finite.reduce(0, +) / Double(finite.count)
        }
    }
}
