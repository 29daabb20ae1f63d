/// How often a series is observed, inferred from the spacing of its dates, and the season length
/// that goes with it.
///
/// | frequency | step between dates | ``seasonalPeriod`` |
/// |---|---|---|
/// | ``yearly`` | 365 or 366 days | 1 (no season) |
/// | ``quarterly`` | 89–92 days | 4 |
/// | ``monthly`` | 28–31 days | 12 |
/// | ``weekly`` | 7 days | 52 |
/// | ``daily`` | 1 day | 7 |
/// | ``hourly`` | 1 hour | 24 |
/// | ``irregular`` | anything else | 1 |
///
/// The day ranges cover real calendars: consecutive months are 28 to 31 days apart whether the
/// dates fall on the first of each month, on month ends or on any other day, quarters 89 to 92,
/// years 365 or 366. Dates carry no time zone: local times that repeat an hour when daylight
/// saving time ends are out of order, hence irregular.
public enum DateFrequency: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case yearly, quarterly, monthly, weekly, daily, hourly
    /// No calendar step fits the dates (or there are fewer than two).
    case irregular

    /// Observations per season: 12 for monthly data (a year), 4 quarterly, 52 weekly, 7 daily (a
    /// week), 24 hourly (a day); 1 when there is no season (yearly and irregular data).
    public var seasonalPeriod: Int {
        switch self {
        case .yearly, .irregular: return 1
        case .quarterly: return 4
        case .monthly: return 12
        case .weekly: return 52
        case .daily: return 7
        case .hourly: return 24
        }
    }

    public var description: String { rawValue }

    /// The largest share of steps between consecutive dates that may differ from the usual step
    /// (missing observations): one in ten.
    public static let toleratedOffStepShare = 0.1

    /// The frequency of `dates` (in order, oldest first): the frequency of the median step between
    /// consecutive dates, provided at least 90% of the steps have it. Dates out of order, repeated,
    /// fewer than two, or more often off their step than that, are ``irregular``.
    ///
    /// A monthly series with a few missing months stays monthly; one that skips every weekend
    /// (business days: one step in five is 3 days) is irregular.
    public init(spacingOf dates: [CalendarDate]) {
        let seconds = dates.map(\.secondsSinceEpoch)
        let steps = zip(seconds, seconds.dropFirst()).map { $1 - $0 }
        guard !steps.isEmpty, steps.allSatisfy({ $0 > 0 }) else { self = .irregular; return }
        let median = steps.sorted()[(steps.count - 1) / 2]
        guard let frequency = DateFrequency(step: median) else { self = .irregular; return }
        let offStep = steps.filter { DateFrequency(step: $0) != frequency }.count
        self = Double(offStep) <= Self.toleratedOffStepShare * Double(steps.count) ? frequency : .irregular
    }

    /// The frequency whose step is `seconds` long, or nil: 1 hour, 1 day, 7 days, 28–31 days,
    /// 89–92 days, 365–366 days.
    init?(step seconds: Int) {
        if seconds == 3600 { self = .hourly; return }
        guard seconds % 86_400 == 0 else { return nil }
        switch seconds / 86_400 {
        case 1: self = .daily
        case 7: self = .weekly
        case 28...31: self = .monthly
        case 89...92: self = .quarterly
        case 365...366: self = .yearly
        default: return nil
        }
    }

    /// The calendar months one step spans: 12, 3 or 1 for yearly, quarterly and monthly data;
    /// nil for the others, whose steps are fixed durations.
    public var months: Int? {
        switch self {
        case .yearly: return 12
        case .quarterly: return 3
        case .monthly: return 1
        case .weekly, .daily, .hourly, .irregular: return nil
        }
    }

    /// The seconds one step spans: 1 week, 1 day or 1 hour; nil for the calendar-month steps and
    /// for irregular data.
    public var seconds: Int? {
        switch self {
        case .weekly: return 7 * 86_400
        case .daily: return 86_400
        case .hourly: return 3600
        case .yearly, .quarterly, .monthly, .irregular: return nil
        }
    }
}
