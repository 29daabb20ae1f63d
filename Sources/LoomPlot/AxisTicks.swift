/// "Nice" axis ticks: evenly spaced values whose step is 1, 2 or 5 × 10ᵏ.
///
/// ```swift
/// let ticks = AxisTicks.covering(104, 622, maxIntervals: 6)
/// ticks.values            // [100, 200, 300, 400, 500, 600, 700]
/// ticks.label(for: 300)   // "300"
/// ```
///
/// The step is the smallest 1-2-5 number for which the range spans at most `maxIntervals`
/// steps. Tick values are computed as `k · m · 10ᵉ` from an integer `k` (never by repeated
/// addition), so `0.1`-steps land on `0.3`, not `0.30000000000000004`.
import Foundation

public struct AxisTicks: Sendable, Equatable {
    /// Tick values, ascending.
    public let values: [Double]
    /// The distance between consecutive ticks, `mantissa · 10^exponent`.
    public let step: Double
    /// 1, 2 or 5.
    public let mantissa: Int
    /// The decimal exponent of ``step``.
    public let exponent: Int

    /// Ticks that cover `lower...upper`: the first tick is ≤ `lower`, the last is ≥ `upper`.
    ///
    /// Use this for an axis whose range is chosen from the data: the axis then starts and ends
    /// on a labelled tick. The result has at most `maxIntervals + 1` intervals (the range itself
    /// spans at most `maxIntervals` steps; rounding both ends outward can add one).
    ///
    /// Bounds may come in either order. An empty range (`lower == upper`) is widened by 10 % of
    /// its magnitude (or to `-1...1` around zero); non-finite bounds yield no ticks.
    public static func covering(_ lower: Double, _ upper: Double, maxIntervals: Int = 6) -> AxisTicks {
        make(lower, upper, maxIntervals: maxIntervals, covering: true)
    }

    /// Ticks that lie inside `lower...upper` (both bounds included).
    ///
    /// Use this when the axis range is fixed (by the user, or by the data for a time axis).
    /// Degenerate and non-finite ranges are handled as in ``covering(_:_:maxIntervals:)``.
    public static func within(_ lower: Double, _ upper: Double, maxIntervals: Int = 6) -> AxisTicks {
        make(lower, upper, maxIntervals: maxIntervals, covering: false)
    }

    /// The text for a tick value: as many decimals as the step needs (`0.5` → one decimal),
    /// compact scientific notation (`2.5e6`, `1e-7`) from a million up or for steps below
    /// 10⁻⁵, and never `-0`.
    public func label(for value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        let largest = values.reduce(abs(value)) { max($0, abs($1)) }
        // Snap values that are zero up to rounding so that they do not print as "-0.0".
        let cleaned = abs(value) < abs(step) * 1e-9 ? 0 : value
        if largest >= 1e6 || (exponent < -5 && largest > 0) {
            // Compact scientific notation with the same mantissa decimals on every tick: "2.5e6".
            if cleaned == 0 { return "0" }
            let magnitude = largest > 0 ? Int(floor(log10(largest))) : 0
            let digits = max(0, magnitude - exponent)
            let text = Self.tidy(String(format: "%.\(min(digits, 15))e", cleaned))
            guard let split = text.firstIndex(of: "e"), let power = Int(text[text.index(after: split)...]) else {
                return text
            }
            return "\(text[..<split])e\(power)"
        }
        let decimals = max(0, -exponent)
        return Self.tidy(String(format: "%.\(min(decimals, 15))f", cleaned))
    }

    /// The range `lower...upper` widened so that it is never empty, or `nil` if not finite.
    ///
    /// A chart uses this for data that has a single value (one point, or all-equal values).
    public static func widened(_ lower: Double, _ upper: Double) -> (lower: Double, upper: Double)? {
        guard lower.isFinite, upper.isFinite else { return nil }
        var (low, high) = lower <= upper ? (lower, upper) : (upper, lower)
        let span = high - low
        if span.isFinite, !span.isNormal {
            // Equal, or so close that the span underflows: widen around the value.
            let center = low
            let pad = abs(center) * 0.1
            (low, high) = (center - pad, center + pad)
            if !(high - low).isNormal { (low, high) = (center - 1, center + 1) }
        }
        return (low, high)
    }

    // MARK: - Implementation

    private static func make(_ lower: Double, _ upper: Double, maxIntervals: Int, covering: Bool) -> AxisTicks {
        guard let (low, high) = widened(lower, upper) else {
            return AxisTicks(values: [], step: .nan, mantissa: 1, exponent: 0)
        }
        let span = high - low
        let raw = span / Double(max(1, maxIntervals))
        guard span.isFinite, raw > 1e-300, raw < 1e300 else {
            // Ranges wider than Double.greatestFiniteMagnitude, or at the limits of precision:
            // label the two ends and nothing else.
            let values = low == high ? [low] : [low, high]
            return AxisTicks(values: values, step: span, mantissa: 1, exponent: 0)
        }
        let (mantissa, exponent) = niceStep(span: span, maxIntervals: max(1, maxIntervals))
        let tick = TickValue(mantissa: mantissa, exponent: exponent)
        let step = tick.value(1)

        var first = (low / step).rounded(covering ? .down : .up)
        var last = (high / step).rounded(covering ? .up : .down)
        // The division above is within one step of the answer; fix the last ulp exactly. The
        // loops are bounded because beyond 2⁵³ steps `k ± 1 == k` and they would never end.
        func adjust(_ k: inout Double, by delta: Double, while condition: (Double) -> Bool) {
            for _ in 0..<4 where condition(k) { k += delta }
        }
        if covering {
            adjust(&first, by: -1) { tick.value($0) > low }
            adjust(&first, by: 1) { tick.value($0 + 1) <= low }
            adjust(&last, by: 1) { tick.value($0) < high }
            adjust(&last, by: -1) { tick.value($0 - 1) >= high }
        } else {
            adjust(&first, by: 1) { tick.value($0) < low }
            adjust(&first, by: -1) { tick.value($0 - 1) >= low }
            adjust(&last, by: -1) { tick.value($0) > high }
            adjust(&last, by: 1) { tick.value($0 + 1) <= high }
        }
        var values: [Double] = []
        if last >= first {
            let count = min(Int(last - first) + 1, 10_000)
            values.reserveCapacity(count)
            for index in 0..<count { values.append(tick.value(first + Double(index))) }
        }
        return AxisTicks(values: values, step: step, mantissa: mantissa, exponent: exponent)
    }

    /// The smallest 1-2-5 step for which `span / step ≤ maxIntervals`.
    static func niceStep(span: Double, maxIntervals: Int) -> (mantissa: Int, exponent: Int) {
        let raw = span / Double(maxIntervals)
        var exponent = Int(floor(log10(raw)))
        // log10 can land one off near exact powers of ten; correct against the real value.
        if TickValue(mantissa: 1, exponent: exponent).value(1) > raw { exponent -= 1 }
        if TickValue(mantissa: 1, exponent: exponent + 1).value(1) <= raw { exponent += 1 }
        for mantissa in [1, 2, 5] where TickValue(mantissa: mantissa, exponent: exponent).value(1) >= raw {
            return (mantissa, exponent)
        }
        return (1, exponent + 1)
    }

    private static func tidy(_ text: String) -> String {
        // "-0", "-0.00" and "-0.0e+00" are all zero: drop the sign.
        if text.hasPrefix("-"), !text.contains(where: { ("1"..."9").contains($0) }) {
            return String(text.dropFirst())
        }
        return text
    }
}

/// `k · mantissa · 10^exponent`, computed with a single correctly rounded division or
/// multiplication so that decimal ticks match their literals exactly.
private struct TickValue {
    let mantissa: Int
    let exponent: Int

    func value(_ k: Double) -> Double {
        let multiple = k * Double(mantissa)
        if exponent >= 0 { return multiple * pow(10, Double(exponent)) }
        return multiple / pow(10, Double(-exponent))
    }
}
