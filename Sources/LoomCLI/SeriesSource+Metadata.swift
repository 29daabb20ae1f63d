import Foundation
import Loom

extension SeriesSource {
    /// File metadata for saved forecasters: the series' name and labels, so that `loom predict`
    /// can label its forecasts with the dates after the last known value.
    var metadata: [String: String] {
        var m = ["loom.series.name": name]
        if let labels, let data = try? JSONEncoder().encode(labels) { m["loom.series.labels"] = String(decoding: data, as: UTF8.self) }
        return m
    }

    /// The series a saved forecaster was trained on, rebuilt from its file's metadata and
    /// history (dates when the saved labels parse as dates).
    static func saved(metadata: [String: String], history: [Double]) -> SeriesSource {
        let name = metadata["loom.series.name"] ?? "series"
        guard let text = metadata["loom.series.labels"],
              let labels = try? JSONDecoder().decode([String].self, from: Data(text.utf8)), labels.count == history.count else {
            return SeriesSource(name: name, values: history, labels: nil)
        }
        if let dates = try? DateIndex(parsing: labels) { return SeriesSource(name: name, values: history, dates: dates) }
        return SeriesSource(name: name, values: history, labels: labels)
    }
}
