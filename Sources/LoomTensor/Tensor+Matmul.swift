/// Matrix products with PyTorch's `matmul` rules: 1-d·1-d is a dot product, a 1-d operand is
/// promoted to a matrix and the added dimension removed afterwards, and leading (batch)
/// dimensions broadcast. All products run through BLAS.
extension Tensor {
    /// PyTorch's `a @ b`. Shapes: (…, m, k) · (…, k, n) → (…, m, n).
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 1 && other.rank >= 1,
                     "matmul: both arguments need at least 1 dimension, got shapes \(shape) and \(other.shape)")
        precondition(dtype == other.dtype, "matmul: dtype mismatch \(dtype) vs \(other.dtype)")
        if rank == 1 && other.rank == 1 {
            precondition(count == other.count,
                         "matmul: 1-d tensors of different sizes \(shape) and \(other.shape)")
            return (self * other).sum()
        }
        if rank == 1 { return unsqueeze(0).matmul(other).squeeze(-2) }
        if other.rank == 1 { return matmul(other.unsqueeze(-1)).squeeze(-1) }
        let m = shape[rank - 2], k = shape[rank - 1]
        let k2 = other.shape[other.rank - 2], n = other.shape[other.rank - 1]
        precondition(k == k2,
                     "matmul: shapes \(shape) and \(other.shape) cannot be multiplied (\(m)x\(k) and \(k2)x\(n))")
        if other.rank == 2 {
            // Fold every leading dimension of `self` into the rows: one GEMM.
            let rows = count / Swift.max(k, 1)
            let y = Tensor.product(self, other, rows: rows, inner: k, cols: n, transA: false, transB: false)
            let result = y.reshapeWithoutGraph(Array(shape.dropLast()) + [n])
            let a = self, b = other
            return Tensor.record("MmBackward", result, inputs: [a, b]) { g in
                [a.requiresGrad ? Tensor.product(g, b, rows: rows, inner: n, cols: k, transA: false, transB: true)
                    .reshapeWithoutGraph(a.shape) : nil,
                 b.requiresGrad ? Tensor.product(a, g, rows: k, inner: rows, cols: n, transA: true, transB: false) : nil]
            }
        }
        let batch = Tensor.broadcastShape(Array(shape.dropLast(2)), Array(other.shape.dropLast(2)))
        let a = expand(batch + [m, k]), b = other.expand(batch + [k, n])
        let count = batch.reduce(1, *)
        let y = Tensor.batchedProduct(a, b, batch: count, m: m, k: k, n: n, transA: false, transB: false)
            .reshapeWithoutGraph(batch + [m, n])
        return Tensor.record("BmmBackward", y, inputs: [a, b]) { g in
            [a.requiresGrad ? Tensor.batchedProduct(g, b, batch: count, m: m, k: n, n: k, transA: false, transB: true)
                .reshapeWithoutGraph(a.shape) : nil,
             b.requiresGrad ? Tensor.batchedProduct(a, g, batch: count, m: k, k: m, n: n, transA: true, transB: false)
                .reshapeWithoutGraph(b.shape) : nil]
        }
    }

    func reshapeWithoutGraph(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, storage: storage) }

    /// op(A) · op(B) for 2-d data: result (rows × cols), contracting over `inner`.
    static func product(_ a: Tensor, _ b: Tensor, rows: Int, inner: Int, cols: Int,
                        transA: Bool, transB: Bool) -> Tensor {
        batchedProduct(a, b, batch: 1, m: rows, k: inner, n: cols, transA: transA, transB: transB)
            .reshapeWithoutGraph([rows, cols])
    }

    /// `batch` independent products; operand i starts at i·(its matrix size).
    /// A is stored (m×k) or, when `transA`, (k×m); B is (k×n) or (n×k).
    static func batchedProduct(_ a: Tensor, _ b: Tensor, batch: Int, m: Int, k: Int, n: Int,
                               transA: Bool, transB: Bool) -> Tensor {
        let y = Tensor(uninitialized: [batch, m, n], dtype: a.dtype)
        func run<T: TensorScalar>(_: T.Type) {
            let pa = a.storage.pointer(T.self), pb = b.storage.pointer(T.self), pc = y.storage.pointer(T.self)
            for i in 0..<batch {
                BLAS.gemm(T.self, transA: transA, transB: transB, m: m, n: n, k: k,
                          a: pa + i * m * k, lda: transA ? m : k,
                          b: pb + i * k * n, ldb: transB ? k : n,
                          c: pc + i * m * n, ldc: n)
            }
        }
        if a.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return y
    }

    /// Alias of ``matmul(_:)`` for 2-d operands (`torch.mm`).
    public func mm(_ other: Tensor) -> Tensor {
        precondition(rank == 2 && other.rank == 2, "mm: expects two 2-d tensors, got \(shape) and \(other.shape)")
        return matmul(other)
    }
}
