/// Class-index targets checked against an (N, C, d…) input: the class of every position, its
/// weight, and the reduction's denominator. Shared by ``nllLoss`` and ``crossEntropy``.
struct ClassIndexTargets {
    /// Input viewed as (outer N, classes C, inner d₁·d₂·…).
    let outer: Int, classes: Int, inner: Int
    /// Class of each target position (n·inner + j), or nil where ignored.
    let classOf: [Int?]
    /// w[yₙ] per target position (0 where ignored).
    let positionWeight: [Double]
    /// The target's shape (the shape of `.none` results).
    let shape: [Int]

    init(input: Tensor, target: Tensor, weight: Tensor?, ignoreIndex: Int, function: String) {
        let batched = input.rank >= 2
        precondition(input.rank >= 1, "\(function): input must have a class dimension, got shape \(input.shape)")
        let expected = batched ? [input.shape[0]] + Array(input.shape[2...]) : []
        precondition(target.shape == expected,
                     "\(function): input of shape \(input.shape) expects class-index targets of shape \(expected), got \(target.shape)")
        let classes = batched ? input.shape[1] : input.shape[0]
        self.classes = classes
        outer = batched ? input.shape[0] : 1
        inner = batched ? input.shape[2...].reduce(1, *) : 1
        shape = target.shape
        let w = weight.map { wt -> [Double] in
            precondition(wt.shape == [classes],
                         "\(function): weight must have shape [\(classes)] (one per class of input \(input.shape)), got \(wt.shape)")
            return wt.doubleScalars
        }
        var classOf: [Int?] = []
        var positionWeight: [Double] = []
        classOf.reserveCapacity(target.count)
        for (i, v) in target.doubleScalars.enumerated() {
            let c = Int(exactly: v)
            precondition(c != nil, "\(function): target \(v) at position \(i) is not an integer class index")
            if c == ignoreIndex { classOf.append(nil); positionWeight.append(0); continue }
            precondition(c! >= 0 && c! < classes,
                         "\(function): target \(c!) at position \(i) is out of bounds for \(classes) classes (input shape \(input.shape))")
            classOf.append(c)
            positionWeight.append(w?[c!] ?? 1)
        }
        self.classOf = classOf
        self.positionWeight = positionWeight
    }

    /// Σ w[yₙ] over the targets that are not ignored: the `.mean` denominator.
    var totalWeight: Double { positionWeight.reduce(0, +) }

    /// Flat input offset of class `c` at target position `p` = n·inner + j.
    @inline(__always)
    func offset(position p: Int, class c: Int) -> Int {
        let n = p / inner, j = p - n * inner
        return (n * classes + c) * inner + j
    }

    /// −w[yₙ] · logProbs[n, yₙ], reduced; one graph node.
    func negativeLogLikelihood(_ logProbs: Tensor, reduction: Reduction) -> Tensor {
        let values = logProbs.doubleScalars
        let positions = classOf.count
        var losses = [Double](repeating: 0, count: positions)
        for p in 0..<positions {
            if let c = classOf[p] { losses[p] = -positionWeight[p] * values[offset(position: p, class: c)] }
        }
        let denominator = reduction == .mean ? totalWeight : 1
        let out: Tensor
        switch reduction {
        case .none:
            out = Tensor(zeros: shape, dtype: logProbs.dtype)
            for p in 0..<positions { out.setScalar(losses[p], at: p) }
        case .sum, .mean:
            out = Tensor.full([], losses.reduce(0, +) / denominator, dtype: logProbs.dtype)
        }
        let inputShape = logProbs.shape
        return Tensor.record("NllLossBackward", out, inputs: [logProbs]) { g in
            let gs = g.doubleScalars
            let grad = Tensor.zeros(inputShape, dtype: g.dtype)
            for p in 0..<positions {
                guard let c = classOf[p] else { continue }
                let upstream = reduction == .none ? gs[p] : gs[0] / denominator
                grad.setScalar(-positionWeight[p] * upstream, at: offset(position: p, class: c))
            }
            return [grad]
        }
    }
}
