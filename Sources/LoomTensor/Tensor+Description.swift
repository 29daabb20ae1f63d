import Foundation

/// Printing in PyTorch's style: `tensor([[1.0000, 2.0000], …], requires_grad=True)`.
extension Tensor: CustomStringConvertible {
    public var description: String {
        var suffix: [String] = []
        if dtype == .float64 { suffix.append("dtype=torch.float64") }
        if let node = gradFn { suffix.append("grad_fn=<\(node.name)>") } else if requiresGrad { suffix.append("requires_grad=True") }
        let body = formattedBody(indent: 7)
        return "tensor(" + body + (suffix.isEmpty ? "" : ", " + suffix.joined(separator: ", ")) + ")"
    }

    /// Formats elements with one shared style: integers as `1.`, otherwise 4 decimals, or
    /// scientific notation when magnitudes span more than 1000× or leave [1e-4, 1e8).
    func formattedBody(indent: Int) -> String {
        let values = doubleScalars
        if rank == 0 { return format(values.first ?? 0, style: style(for: values)) }
        if count == 0 { return "[]" }
        let summarize = count > 1000
        let st = style(for: values)
        let texts = values.map { format($0, style: st) }
        let width = texts.map(\.count).max() ?? 0
        func render(_ dim: Int, _ offset: Int, _ depth: Int) -> String {
            let n = shape[dim]
            let stride = shape[(dim + 1)...].reduce(1, *)
            let shown: [Int?] = summarize && n > 6 ? Array(0..<3) + [nil] + Array((n - 3)..<n) : Array(0..<n)
            if dim == rank - 1 {
                let items = shown.map { i in i.map { String(repeating: " ", count: width - texts[offset + $0].count) + texts[offset + $0] } ?? "..." }
                return "[" + items.joined(separator: ", ") + "]"
            }
            let pad = String(repeating: " ", count: indent + depth + 1)
            let sep = "," + String(repeating: "\n", count: rank - dim - 1) + pad
            return "[" + shown.map { i in i.map { render(dim + 1, offset + $0 * stride, depth + 1) } ?? "..." }
                .joined(separator: sep) + "]"
        }
        return render(0, 0, 0)
    }

    private enum Style { case integer, fixed, scientific }

    private func style(for values: [Double]) -> Style {
        let finite = values.filter { $0.isFinite }
        if finite.allSatisfy({ $0 == $0.rounded() }) && (finite.map { Swift.abs($0) }.max() ?? 0) < 1e8 { return .integer }
        let mags = finite.map { Swift.abs($0) }.filter { $0 != 0 }
        guard let lo = mags.min(), let hi = mags.max() else { return .fixed }
        return (hi / lo > 1000 || hi >= 1e8 || lo < 1e-4) ? .scientific : .fixed
    }

    private func format(_ v: Double, style: Style) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        switch style {
        case .integer: return String(format: "%.0f.", v)
        case .fixed: return String(format: "%.4f", v)
        case .scientific: return String(format: "%.4e", v)
        }
    }
}
