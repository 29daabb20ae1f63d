import CLoomKernels
import LoomTensor

/// Row-wise bias arithmetic shared by the fused ops (recurrences, Linear): Float32 runs the
/// vectorized C loops, Float64 the same sums here.
enum RowVectors {
    /// x[r, :] += first, then += second (either may be absent).
    static func addBiases<T: TensorScalar>(_: T.Type, _ x: UnsafeMutablePointer<T>, rows: Int, cols: Int,
                                           _ first: Tensor?, _ second: Tensor?) {
        if T.self == Float.self, let b1 = first ?? second {
            loom_add_row_bias_f32(UnsafeMutableRawPointer(x).assumingMemoryBound(to: Float.self), rows, cols,
                                  b1.storage.pointer(Float.self), first == nil ? nil : second?.storage.pointer(Float.self))
            return
        }
        for bias in [first, second] {
            guard let bias else { continue }
            let b = bias.storage.pointer(T.self)
            for r in 0..<rows {
                let row = x + r * cols
                for j in 0..<cols { row[j] += b[j] }
            }
        }
    }

    /// Σ over the rows of x (rows × cols, the last axis is the column), rows added in order.
    static func columnSums<T: TensorScalar>(_: T.Type, _ x: Tensor) -> Tensor {
        let cols = x.shape.last ?? 1
        return columnSums(T.self, x.storage.pointer(T.self), rows: cols == 0 ? 0 : x.count / cols, cols: cols)
    }

    /// Σ over the rows of a rows × cols array.
    static func columnSums<T: TensorScalar>(_: T.Type, _ px: UnsafeMutablePointer<T>, rows: Int, cols: Int) -> Tensor {
        let out = Tensor(zeros: [cols], dtype: T.dtype)
        if T.self == Float.self {
            loom_column_sums_f32(UnsafeRawPointer(px).assumingMemoryBound(to: Float.self), rows, cols, out.storage.pointer(Float.self))
            return out
        }
        let po = out.storage.pointer(T.self)
        for r in 0..<rows {
            let row = px + r * cols
            for j in 0..<cols { po[j] += row[j] }
        }
        return out
    }
}
