import ArgumentParser
import Foundation
import Loom

/// `loom demo NAME`: the tutorials' smaller programs, printing what they print.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run one of the tutorials' small programs.",
        discussion: """
            shapes        RNNCell vs RNN, seq-first vs batch-first, output and h_n shapes, out[-1] == h_n[-1]
            multilayer    2-layer batch-first LSTM + Linear on (16, 5, 10), MSE, Adam
            sincos        a GRU that maps sin to cos, shuffled DataLoader of 32
            noisy-sine    LSTM on a noisy sine, MinMaxScaler(0, 1), DataLoader(16, shuffle)
            scratch-lstm  an LSTM written from its gate equations, checked against LSTMCell and trained
            tensor        a tiny autograd example
            """
    )

    enum Name: String, ExpressibleByArgument, CaseIterable {
        case shapes, multilayer, sincos, noisySine = "noisy-sine", scratchLSTM = "scratch-lstm", tensor
    }

    @Argument(help: "Which demo: shapes, multilayer, sincos, noisy-sine, scratch-lstm, tensor.")
    var name: Name

    @Option(help: "Write an SVG plot (sincos, noisy-sine).")
    var plot: String?

    @Option(help: "Epochs (default: the tutorial's).")
    var epochs: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    func validate() throws {
        if let epochs, epochs <= 0 { throw ValidationError("--epochs must be positive, got \(epochs)") }
    }

    func run() throws {
        try FileChecks.requireWritable(plot, flag: "--plot")
        manualSeed(seed)
        switch name {
        case .shapes: Demos.shapes()
        case .multilayer: Demos.multilayer(epochs: epochs ?? 100)
        case .sincos: try Demos.sincos(epochs: epochs ?? 100, seed: seed, plot: plot)
        case .noisySine: try Demos.noisySine(epochs: epochs ?? 20, seed: seed, plot: plot)
        case .scratchLSTM: Demos.scratchLSTM(epochs: epochs ?? 200)
        case .tensor: Demos.tensor()
        }
    }
}
