/// Maps data values linearly from a domain to pixel positions.
struct LinearScale {
    let domain: (lower: Double, upper: Double)
    let range: (from: Double, to: Double)

    /// The pixel position of `value`; an empty domain maps everything to the middle.
    ///
    /// Results are clamped to a generous band around the range, so data far outside a fixed
    /// axis range still yields drawable coordinates (the plot clip hides them).
    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        let extent = range.to - range.from
        guard span != 0, span.isFinite else { return (range.from + range.to) / 2 }
        let position = range.from + (value - domain.lower) / span * extent
        let margin = abs(extent) * 50 + 1000
        let low = min(range.from, range.to) - margin
        let high = max(range.from, range.to) + margin
        return min(max(position, low), high)
    }

    func contains(_ value: Double) -> Bool {
        value >= domain.lower && value <= domain.upper
    }
}
