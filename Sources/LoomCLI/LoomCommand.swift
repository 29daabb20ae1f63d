import ArgumentParser
import Loom

/// The `loom` command: trains, forecasts and generates with recurrent networks.
public struct LoomCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "loom",
        abstract: "Recurrent neural networks (RNN, LSTM, GRU) on the CPU, natively in Swift.",
        version: version,
        subcommands: [ForecastCommand.self, PredictCommand.self, CharLMCommand.self, DemoCommand.self, BenchCommand.self]
    )

    public init() {}
}
