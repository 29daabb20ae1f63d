import Foundation

// TEMPORARY until the dates branch lands (its SeriesSource carries the parsed dates).
extension SeriesSource {
    var seasonalPeriod: Int? { nil }
    func futureLabels(_ count: Int) -> [String]? { nil }
    /// File metadata for saved forecasters: the series' name and labels, so forecasts of
    /// `loom predict` can be labelled.
    var metadata: [String: String] {
        var m = ["loom.series.name": name]
        if let labels, let data = try? JSONEncoder().encode(labels) { m["loom.series.labels"] = String(decoding: data, as: UTF8.self) }
        return m
    }
}
