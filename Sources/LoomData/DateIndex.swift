/// The dates of a series, one per time step: parsed from labels such as `1949-01`, with the
/// frequency their spacing shows, the season length that goes with it, and the dates that follow.
///
/// ```swift
/// let index = try DateIndex(parsing: ["1960-10", "1960-11", "1960-12"])
/// index.frequency          // .monthly
/// index.seasonalPeriod     // 12
/// index.future(2)          // ["1961-01", "1961-02"]
///
/// let flights = try DateIndex(years: ["1949", "1949"], months: ["Jan", "Feb"])
/// flights.labels           // ["1949-01", "1949-02"]
/// ```
///
/// The accepted forms are those of ``DateStyle`` (ISO 8601: `YYYY`, `YYYY-Qn`, `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]`); every label of an index is written in the same one.
/// Year and month (or quarter) columns are combined by ``init(years:months:fileName:yearColumn:monthColumn:lineNumbers:)``
/// and ``init(years:quarters:fileName:yearColumn:quarterColumn:lineNumbers:)``; the columns of a
/// ``CSVTable`` are found by ``CSVTable/detectDates(excluding:)``.
public struct DateIndex: Hashable, Sendable {
    /// The dates, one per time step, oldest first (as given: the order is not checked, but dates
    /// out of order make the index ``DateFrequency/irregular``).
    public let dates: [CalendarDate]
    /// The dates as written: the parsed labels unchanged, or the dates formatted in ``style``.
    public let labels: [String]
    /// How the dates are written; ``future(_:)`` writes the dates it adds the same way.
    public let style: DateStyle
    /// How often the dates come, inferred from their spacing (see ``DateFrequency/init(spacingOf:)``).
    public let frequency: DateFrequency

    /// An index of `dates`, labelled in `style`.
    public init(dates: [CalendarDate], style: DateStyle) {
        self.init(dates: dates, labels: dates.map(style.format), style: style)
    }

    /// Parses one date per label; every label must be written in the style of the first.
    ///
    /// - Parameters:
    ///   - fileName, column: where the labels come from, for messages.
    ///   - lineNumbers: the line of each label (its position counted from 1 when nil).
    /// - Throws: ``DateError/notADate(file:line:column:found:)`` for a label that is not a date,
    ///   ``DateError/styleChanged(file:line:column:expected:found:)`` for one written differently
    ///   from the first. A caller that accepts plain labels can check the first one with
    ///   ``DateStyle/parse(_:)`` and keep the strings when it is not a date.
    public init(parsing labels: [String], fileName: String = "<dates>", column: String = "date",
                lineNumbers: [Int]? = nil) throws(DateError) {
        precondition(lineNumbers == nil || lineNumbers?.count == labels.count,
                     "DateIndex(parsing:): \(labels.count) labels but \(lineNumbers?.count ?? 0) line numbers")
        var dates: [CalendarDate] = []
        dates.reserveCapacity(labels.count)
        var firstStyle: DateStyle?
        for (i, label) in labels.enumerated() {
            let line = lineNumbers?[i] ?? i + 1
            guard let parsed = DateStyle.parse(label) else {
                throw .notADate(file: fileName, line: line, column: column, found: label)
            }
            if let firstStyle, parsed.style != firstStyle {
                throw .styleChanged(file: fileName, line: line, column: column, expected: firstStyle.pattern, found: label)
            }
            firstStyle = parsed.style
            dates.append(parsed.date)
        }
        self.init(dates: dates, labels: labels, style: firstStyle ?? .day)
    }

    init(dates: [CalendarDate], labels: [String], style: DateStyle) {
        self.dates = dates
        self.labels = labels
        self.style = style
        frequency = DateFrequency(spacingOf: dates)
    }

    /// Number of dates.
    public var count: Int { dates.count }

    /// Observations per season for this frequency: 12 for monthly dates, 4 quarterly, 52 weekly,
    /// 7 daily, 24 hourly, 1 for yearly and irregular ones (see ``DateFrequency/seasonalPeriod``).
    public var seasonalPeriod: Int { frequency.seasonalPeriod }

    /// The index of the dates at `positions` (e.g. the rows kept after dropping missing values),
    /// with its frequency inferred again.
    public func selecting(_ positions: [Int]) -> DateIndex {
        DateIndex(dates: positions.map { dates[$0] }, labels: positions.map { labels[$0] }, style: style)
    }

    /// The `count` dates after the last one, one step of ``frequency`` apart; nil when the index is
    /// empty or irregular.
    ///
    /// Month, quarter and year steps keep the day of the month the dates usually fall on (clamped
    /// to shorter months: a series on the 30th continues on 28 February and then 30 March); dates
    /// that are all month ends continue on month ends. The time of day is the last date's.
    public func futureDates(_ count: Int) -> [CalendarDate]? {
        precondition(count >= 0, "DateIndex.futureDates: count must be 0 or positive, got \(count)")
        guard let last = dates.last else { return nil }
        if let months = frequency.months {
            let day = dates.allSatisfy(\.isLastDayOfMonth) ? 31 : usualDayOfMonth
            return (0..<count).map { last.adding(months: months * ($0 + 1), day: day) }
        }
        guard let seconds = frequency.seconds else { return nil }
        return (0..<count).map { last.adding(seconds: seconds * ($0 + 1)) }
    }

    /// The labels of the `count` dates after the last one, written in ``style``: a `YYYY-MM`
    /// series ending `1960-12` continues `1961-01`, `1961-02`…; nil when the index is empty or
    /// irregular. See ``futureDates(_:)``.
    public func future(_ count: Int) -> [String]? {
        futureDates(count)?.map(style.format)
    }

    /// The most common day of the month among the dates (the later day on a tie).
    private var usualDayOfMonth: Int {
        var counts = [Int](repeating: 0, count: 32)
        for date in dates { counts[date.day] += 1 }
        return counts.indices.max { (counts[$0], $0) < (counts[$1], $1) } ?? 1
    }
}
