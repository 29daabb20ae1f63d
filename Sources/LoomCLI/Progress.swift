import Foundation

/// Training progress on the terminal: a redrawn bar with epoch, loss and ETA on a TTY, plain
/// lines (the first update, then about ten per run) otherwise, nothing with `--quiet` or `--json`.
final class Progress {
    enum Mode { case bar, lines, silent }

    let mode: Mode
    let total: Int
    let label: String
    private let start = DispatchTime.now().uptimeNanoseconds
    /// The last unit printed in line mode (nil before the first line).
    private var lastLineEpoch: Int? = nil

    init(total: Int, label: String, quiet: Bool) {
        self.total = max(total, 1)
        self.label = label
        if quiet { mode = .silent } else { mode = isatty(STDERR_FILENO) != 0 ? .bar : .lines }
    }

    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Reports that `done` of `total` units finished, with a metric such as "loss 0.0123".
    func update(_ done: Int, metric: String) {
        switch mode {
        case .silent: return
        case .bar:
            let width = 24
            let filled = Int(Double(width) * Double(done) / Double(total))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
            let line = "\r\(label) \(done)/\(total) \(bar) \(metric)  \(Self.duration(elapsed)) elapsed, ETA \(Self.duration(eta))\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        case .lines:
            let step = max(total / 10, 1)
            // The first update always prints: a resumed run starts past 1.
            if lastLineEpoch.map({ done == total || done - $0 >= step }) ?? true {
                lastLineEpoch = done
                FileHandle.standardError.write(Data("\(label) \(done)/\(total) \(metric) (\(Self.duration(elapsed)))\n".utf8))
            }
        }
    }

    /// Ends the bar's line.
    func finish() {
        if mode == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ s: Double) -> String {
        if s < 60 { return String(format: "%.1fs", s) }
        return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60)
    }
}

/// Writes to standard error (messages that are not the command's output).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
