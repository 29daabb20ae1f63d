import Foundation

/// Parameter initializations, like `torch.nn.init`: each fills a tensor in place (without
/// recording autograd) and returns it. Every function draws from `generator`, or from the global
/// generator (``manualSeed(_:)``) in the overload without one.
///
/// Fans (PyTorch's `_calculate_fan_in_and_fan_out`): for a weight of shape (O, I, k₁, k₂, …),
/// fanIn = I·k₁·k₂·…, fanOut = O·k₁·k₂·…; at least 2 dimensions are required.
public enum Init {
    /// Nonlinearities for ``gain(_:)``.
    public enum Nonlinearity: Sendable, Equatable {
        case linear, conv, sigmoid, tanh, relu, selu
        case leakyRelu(negativeSlope: Double)
    }

    /// Which fan ``kaimingUniform(_:a:mode:nonlinearity:generator:)`` preserves.
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// The recommended gain of a nonlinearity (`calculate_gain`): linear/conv/sigmoid 1,
    /// tanh 5/3, relu √2, leaky ReLU √(2 / (1 + slope²)), SELU 3/4.
    public static func gain(_ nonlinearity: Nonlinearity) -> Double {
        switch nonlinearity {
        case .linear, .conv, .sigmoid: return 1
        case .tanh: return 5.0 / 3
        case .relu: return 2.0.squareRoot()
        case .selu: return 0.75
        case .leakyRelu(let slope): return (2 / (1 + slope * slope)).squareRoot()
        }
    }

    /// (fanIn, fanOut) of a weight shape.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2,
                     "Init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape \(shape))")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    // MARK: Constant

    /// Fills with 0.
    @discardableResult public static func zeros(_ tensor: Tensor) -> Tensor { constant(tensor, 0) }
    /// Fills with 1.
    @discardableResult public static func ones(_ tensor: Tensor) -> Tensor { constant(tensor, 1) }
    /// Fills with `value`.
    @discardableResult public static func constant(_ tensor: Tensor, _ value: Double) -> Tensor {
        tensor.fill(value)
        return tensor
    }

    /// Fills a 2-d tensor with the identity (ones on the diagonal), like `eye_`.
    @discardableResult public static func eye(_ tensor: Tensor) -> Tensor {
        precondition(tensor.rank == 2, "Init.eye: expects a 2-d tensor, got shape \(tensor.shape)")
        tensor.copy(from: Tensor.eye(tensor.shape[0], tensor.shape[1], dtype: tensor.dtype))
        return tensor
    }

    // MARK: Random

    /// U(low, high).
    @discardableResult
    public static func uniform(_ tensor: Tensor, low: Double = 0, high: Double = 1, generator: inout Generator) -> Tensor {
        tensor.copy(from: Tensor.uniform(tensor.shape, low: low, high: high, dtype: tensor.dtype, generator: &generator))
        return tensor
    }

    /// N(mean, std²).
    @discardableResult
    public static func normal(_ tensor: Tensor, mean: Double = 0, std: Double = 1, generator: inout Generator) -> Tensor {
        let z = Tensor.randn(tensor.shape, dtype: .float64, generator: &generator)
        tensor.copy(from: withNoGrad { z * std + mean })
        return tensor
    }

    /// Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
    @discardableResult
    public static func xavierUniform(_ tensor: Tensor, gain: Double = 1, generator: inout Generator) -> Tensor {
        let (fanIn, fanOut) = fans(tensor.shape)
        let a = gain * (6 / Double(fanIn + fanOut)).squareRoot()
        return uniform(tensor, low: -a, high: a, generator: &generator)
    }

    /// Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)).
    @discardableResult
    public static func xavierNormal(_ tensor: Tensor, gain: Double = 1, generator: inout Generator) -> Tensor {
        let (fanIn, fanOut) = fans(tensor.shape)
        return normal(tensor, std: gain * (2 / Double(fanIn + fanOut)).squareRoot(), generator: &generator)
    }

    /// He/Kaiming uniform: U(−b, b) with b = √3 · gain / √fan, gain of `nonlinearity` with slope
    /// `a` (PyTorch's defaults: a = 0, fanIn, leaky ReLU). Linear and Conv2d use a = √5, which
    /// gives b = 1/√fanIn.
    @discardableResult
    public static func kaimingUniform(_ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn,
                                      nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0),
                                      generator: inout Generator) -> Tensor {
        let std = kaimingStd(tensor.shape, a: a, mode: mode, nonlinearity: nonlinearity)
        let bound = 3.0.squareRoot() * std
        return uniform(tensor, low: -bound, high: bound, generator: &generator)
    }

    /// He/Kaiming normal: N(0, σ²) with σ = gain / √fan.
    @discardableResult
    public static func kaimingNormal(_ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn,
                                     nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0),
                                     generator: inout Generator) -> Tensor {
        normal(tensor, std: kaimingStd(tensor.shape, a: a, mode: mode, nonlinearity: nonlinearity), generator: &generator)
    }

    private static func kaimingStd(_ shape: [Int], a: Double, mode: FanMode, nonlinearity: Nonlinearity) -> Double {
        let (fanIn, fanOut) = fans(shape)
        let fan = mode == .fanIn ? fanIn : fanOut
        precondition(fan > 0, "Init.kaiming: zero fan for shape \(shape)")
        let g: Double
        if case .leakyRelu = nonlinearity { g = gain(.leakyRelu(negativeSlope: a)) } else { g = gain(nonlinearity) }
        return g / Double(fan).squareRoot()
    }

    /// A (semi-)orthogonal matrix (Saxe et al.), like `orthogonal_`: the tensor viewed as
    /// (shape[0], rest) gets orthonormal rows (or columns, whichever are fewer), times `gain`.
    /// Built by QR of a standard normal matrix with the signs fixed so that R has a positive
    /// diagonal (modified Gram–Schmidt in Double).
    @discardableResult
    public static func orthogonal(_ tensor: Tensor, gain: Double = 1, generator: inout Generator) -> Tensor {
        precondition(tensor.rank >= 2, "Init.orthogonal: only tensors with 2 or more dimensions are supported, got shape \(tensor.shape)")
        let rows = tensor.shape[0], cols = tensor.count / Swift.max(rows, 1)
        let tall = rows >= cols
        let (m, n) = tall ? (rows, cols) : (cols, rows)
        // Columns of an m × n standard normal matrix, orthonormalized in order.
        let sample = Tensor.randn([n, m], dtype: .float64, generator: &generator).doubleScalars
        var q = (0..<n).map { Array(sample[($0 * m)..<(($0 + 1) * m)]) }
        for j in 0..<n {
            for i in 0..<j {
                let r = zip(q[i], q[j]).reduce(0) { $0 + $1.0 * $1.1 }
                for e in 0..<m { q[j][e] -= r * q[i][e] }
            }
            let norm = q[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            precondition(norm > 0, "Init.orthogonal: degenerate random sample")
            for e in 0..<m { q[j][e] /= norm }
        }
        // Q is m × n with q[j] its column j. Tall: W[r, c] = Q[r, c]; wide: W = Qᵀ.
        var values = [Double](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols { values[r * cols + c] = gain * (tall ? q[c][r] : q[r][c]) }
        }
        tensor.copy(from: Tensor(shape: tensor.shape, scalars: values))
        return tensor
    }

    /// Sets the forget-gate slice of every LSTM bias so that the forget gate starts open:
    /// `bias_ih_l*[H..<2H]` = `value` and `bias_hh_l*[H..<2H]` = 0 (their sum is what the gate
    /// sees), a common remedy for vanishing memory early in training (Jozefowicz et al., 2015).
    public static func lstmForgetGateBias(_ lstm: LSTM, value: Double = 1) {
        let h = lstm.hiddenSize
        for (name, p) in lstm.namedParameters() where name.hasPrefix("bias_ih") || name.hasPrefix("bias_hh") {
            let v = name.hasPrefix("bias_ih") ? value : 0
            for i in h..<(2 * h) { p.setScalar(v, at: i) }
        }
    }
}

// The same initializations drawing from the global generator (``manualSeed(_:)``).
extension Init {
    @discardableResult public static func uniform(_ tensor: Tensor, low: Double = 0, high: Double = 1) -> Tensor {
        DefaultGenerator.withGenerator { uniform(tensor, low: low, high: high, generator: &$0) }
    }
    @discardableResult public static func normal(_ tensor: Tensor, mean: Double = 0, std: Double = 1) -> Tensor {
        DefaultGenerator.withGenerator { normal(tensor, mean: mean, std: std, generator: &$0) }
    }
    @discardableResult public static func xavierUniform(_ tensor: Tensor, gain: Double = 1) -> Tensor {
        DefaultGenerator.withGenerator { xavierUniform(tensor, gain: gain, generator: &$0) }
    }
    @discardableResult public static func xavierNormal(_ tensor: Tensor, gain: Double = 1) -> Tensor {
        DefaultGenerator.withGenerator { xavierNormal(tensor, gain: gain, generator: &$0) }
    }
    @discardableResult
    public static func kaimingUniform(_ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn,
                                      nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0)) -> Tensor {
        DefaultGenerator.withGenerator { kaimingUniform(tensor, a: a, mode: mode, nonlinearity: nonlinearity, generator: &$0) }
    }
    @discardableResult
    public static func kaimingNormal(_ tensor: Tensor, a: Double = 0, mode: FanMode = .fanIn,
                                     nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0)) -> Tensor {
        DefaultGenerator.withGenerator { kaimingNormal(tensor, a: a, mode: mode, nonlinearity: nonlinearity, generator: &$0) }
    }
    @discardableResult public static func orthogonal(_ tensor: Tensor, gain: Double = 1) -> Tensor {
        DefaultGenerator.withGenerator { orthogonal(tensor, gain: gain, generator: &$0) }
    }
}
