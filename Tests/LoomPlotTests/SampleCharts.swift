import LoomPlot

/// The charts the forecasting tutorial draws: the whole series with the forecast, and a zoom on
/// the last two years.
enum SampleCharts {
    static func forecast() -> LineChart {
        var chart = LineChart(title: "Airline passengers", xLabel: "month", yLabel: "passengers (thousands)")
        chart.add(series: "actual", y: SampleData.passengers)
        chart.add(series: "forecast", x: SampleData.forecastX, y: SampleData.forecast, style: .dashed)
        chart.marker(x: 132, label: "forecast start")
        chart.shade(from: 132, to: 143, label: "held-out year")
        chart.xTickLabels = .sequence(SampleData.months, every: 12)
        return chart
    }

    static func zoom() -> LineChart {
        var chart = forecast()
        chart.title = "Last 24 months"
        chart.xRange = 120...143
        chart.xTickLabels = .sequence(SampleData.months, every: 3)
        return chart
    }

    static func figure() -> Figure {
        Figure(columns: 2, charts: [forecast(), zoom()])
    }
}
