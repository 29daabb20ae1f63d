import LoomTensor

/// The input projection of a recurrent layer when every input row is a one-hot vector (one 1,
/// all else 0), as in character models fed `oneHot(tokens)`: X·W_ihᵀ is then a copy of one
/// column of W_ih per row, and the weight gradient dZᵀ·X adds each row of dZ into one column.
/// Both give the GEMM's values (adding exact zeros changes nothing; only non-finite weights,
/// where the GEMM would form 0·∞, differ) at a fraction of its cost for small vocabularies.
struct OneHotRows {
    /// The hot column of each row.
    let columns: [Int32]

    /// nil unless each of the `rows` rows (width `cols`) of x has exactly one nonzero, equal to 1.
    /// Stops at the first row that is not one-hot, so dense inputs cost a few elements.
    init?<T: TensorScalar>(_ x: UnsafeMutablePointer<T>, rows: Int, cols: Int) {
        guard rows > 0, cols > 1, OneHotRows.hotColumn(x, cols) != nil else { return nil }   // no array for dense input
        var columns = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            guard let hot = OneHotRows.hotColumn(x + r * cols, cols) else { return nil }
            columns[r] = Int32(hot)
        }
        self.columns = columns
    }

    /// The column of a one-hot row of width `cols`, else nil.
    private static func hotColumn<T: TensorScalar>(_ row: UnsafeMutablePointer<T>, _ cols: Int) -> Int? {
        var hot = -1
        for k in 0..<cols where row[k] != 0 {
            guard row[k] == 1, hot < 0 else { return nil }
            hot = k
        }
        return hot >= 0 ? hot : nil
    }

    /// out[r, :] = w[:, columns[r]] for w (G × I), out (rows × G).
    func project<T: TensorScalar>(_ w: UnsafeMutablePointer<T>, G: Int, I: Int, into out: UnsafeMutablePointer<T>) {
        let wT = UnsafeMutablePointer<T>.allocate(capacity: I * G)        // W_ihᵀ, one row per input column
        defer { wT.deallocate() }
        for j in 0..<G { for k in 0..<I { wT[k * G + j] = w[j * I + k] } }
        for (r, k) in columns.enumerated() { (out + r * G).update(from: wT + Int(k) * G, count: G) }
    }

    /// grad (G × I) = dzᵀ·X for dz (rows × G): column k sums the rows of dz whose hot column is k, in row order.
    func weightGradient<T: TensorScalar>(_ dz: UnsafeMutablePointer<T>, G: Int, I: Int, into grad: UnsafeMutablePointer<T>) {
        let sums = UnsafeMutablePointer<T>.allocate(capacity: I * G)      // gradᵀ, accumulated row by row
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: I * G)
        for (r, k) in columns.enumerated() {
            let src = dz + r * G, dst = sums + Int(k) * G
            for j in 0..<G { dst[j] += src[j] }
        }
        for j in 0..<G { for k in 0..<I { grad[j * I + k] = sums[k * G + j] } }
    }
}
