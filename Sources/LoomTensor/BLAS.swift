import CLoomKernels
#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif
#endif

/// Row-major GEMM through CBLAS: C = alpha · op(A) · op(B) + beta · C, where op(X) is X or Xᵀ.
/// OpenBLAS on Linux (`libopenblas-dev`), Accelerate on Apple platforms.
///
/// Threads: OpenBLAS is switched to one thread at Loom's first product, and large products are
/// split into row or column blocks that run on Loom's own pool (`Parallel`). Loom's recurrent
/// steps use that pool too; with a second set of BLAS worker threads, each spinning for a while
/// after every product, the two pools took cores from each other (charlm: 61k tokens/s with both,
/// 81k with one). A block is the same computation for each element of C as the whole product,
/// so results do not depend on the thread count.
public enum BLAS {
    /// Products below this many multiply-adds (~10 µs on one core) run on the calling thread.
    static let splitThreshold = 1 << 20
    private static let gemvSupported = loom_gemv_supported() != 0
    /// Float32 products with at least this many rows use Loom's packed kernels.
    static let packedMinRows = 64

    private static let singleThreadedBLAS: Bool = {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        stopIdleOpenBLASThreads()
        #endif
        return true
    }()

    #if !canImport(Accelerate)
    /// OpenBLAS starts its worker threads when it is loaded, and each spins (yielding) for about
    /// 2^28 cycles (~90 ms here) waiting for work before it sleeps. With one BLAS thread they never
    /// get any, but while they spin they take a core: a short run such as `loom bench multilayer`
    /// (~0.1 s) measured 57 µs per step without them and 62–75 µs beside them. So they are stopped
    /// at Loom's first product; OpenBLAS starts them again if more threads are ever asked for.
    /// `blas_thread_shutdown_` (what OpenBLAS's own fork handler calls) is exported by its threaded
    /// builds but not declared in its headers, so it is looked up at run time and skipped if absent.
    private static func stopIdleOpenBLASThreads() {
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        _ = unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)()
    }
    #endif

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 { scaleOutput(c, m, n, ldc, beta); return }
        _ = singleThreadedBLAS
        if m == 1 && !transA {
            // A single row times a matrix is a matrix-vector product; OpenBLAS's GEMM would
            // pack both operands for it (recurrent steps with batch 1 are all of this shape).
            // Loom's AVX-512 loops where available (400 × 100: 1.6 and 1.4 µs against OpenBLAS's
            // 2.1 and 1.8 for the two orientations), else BLAS's GEMV.
            if alpha == 1 && (beta == 0 || beta == 1) && gemvSupported {
                if transB {
                    loom_gemv_rows_f32(b, ldb, n, k, a, c, beta == 1 ? 1 : 0)
                } else {
                    loom_gemv_cols_f32(b, ldb, k, n, a, c, beta == 1 ? 1 : 0)
                }
                return
            }
            // y is zeroed first for beta = 0: BLAS implementations differ on 0·NaN there.
            if beta == 0 { c.update(repeating: 0, count: n) }
            cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, blasInt(transB ? n : k), blasInt(transB ? k : n),
                        alpha, b, blasInt(ldb), a, 1, beta, c, 1)
            return
        }
        if m >= packedMinRows && n >= 16 && !transA && alpha == 1 && (beta == 0 || beta == 1) && PackedMatrix.isSupported {
            // Tall products: Loom's kernels, with op(B) packed once (measured faster than OpenBLAS
            // from 64 rows up, e.g. 6400 × 512 · 512 × 2048: 104 vs 93 GFLOP/s on one core).
            // Not for fewer than 16 columns (a panel is 16 wide) nor Aᵀ·B (weight gradients),
            // where OpenBLAS measured faster except for a few narrow, deep shapes.
            PackedMatrix(b, ld: ldb, transposed: transB, k: k, n: n)
                .multiply(transA: transA, m: m, a: a, lda: lda, accumulate: beta == 1, c: c, ldc: ldc)
            return
        }
        split(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc) { ao, bo, co, rows, cols in
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        blasInt(rows), blasInt(cols), blasInt(k), alpha, a + ao, blasInt(lda), b + bo, blasInt(ldb),
                        beta, c + co, blasInt(ldc))
        }
    }

    /// C = A · op(B), then bias1 and bias2 (n floats each, nil for none) added to every row:
    /// ((A · op(B)) + bias1) + bias2, the input projection of a recurrent layer. Where the product
    /// runs on Loom's packed kernels the biases are added as C is stored (no second pass over C).
    public static func gemmAddingRowBiases(transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                           b: UnsafePointer<Float>, ldb: Int, bias1: UnsafePointer<Float>?,
                                           bias2: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k > 0 && m >= packedMinRows && n >= 16 && PackedMatrix.isSupported {
            PackedMatrix(b, ld: ldb, transposed: transB, k: k, n: n)
                .multiply(m: m, a: a, lda: lda, accumulate: false, bias1: bias1, bias2: bias2, c: c, ldc: ldc)
            return
        }
        gemm(transA: false, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
        guard let first = bias1 ?? bias2 else { return }
        let second = bias1 == nil ? nil : bias2
        if ldc == n {
            loom_add_row_bias_f32(c, m, n, first, second)
        } else {
            for r in 0..<m { loom_add_row_bias_f32(c + r * ldc, 1, n, first, second) }
        }
    }

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 { scaleOutput(c, m, n, ldc, beta); return }
        _ = singleThreadedBLAS
        if m == 1 && !transA {
            if beta == 0 { c.update(repeating: 0, count: n) }
            cblas_dgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, blasInt(transB ? n : k), blasInt(transB ? k : n),
                        alpha, b, blasInt(ldb), a, 1, beta, c, 1)
            return
        }
        split(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc) { ao, bo, co, rows, cols in
            cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        blasInt(rows), blasInt(cols), blasInt(k), alpha, a + ao, blasInt(lda), b + bo, blasInt(ldb),
                        beta, c + co, blasInt(ldc))
        }
    }

    /// Runs `block(aOffset, bOffset, cOffset, rows, cols)` over the whole m × n product, split into
    /// row blocks (m ≥ n) or column blocks, on Loom's pool when the product is large enough.
    /// Block edges fall on multiples of 16 so that each block keeps BLAS's full-width kernels.
    private static func split(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int,
                              _ block: (Int, Int, Int, Int, Int) -> Void) {
        let byRows = m >= n
        let extent = byRows ? m : n
        let units = (extent + 15) / 16
        let parts = m * n * k < splitThreshold ? 1 : Swift.min(Parallel.width, units)
        if parts <= 1 { block(0, 0, 0, m, n); return }
        Parallel.run(parts: parts) { p in
            let lo = Swift.min(units * p / parts * 16, extent)
            let hi = Swift.min(units * (p + 1) / parts * 16, extent)
            if hi <= lo { return }
            if byRows {
                block(transA ? lo : lo * lda, 0, lo * ldc, hi - lo, n)
            } else {
                block(0, transB ? lo * ldb : lo, lo, m, hi - lo)
            }
        }
    }

    private static func scaleOutput<T: TensorScalar>(_ c: UnsafeMutablePointer<T>, _ m: Int, _ n: Int, _ ldc: Int, _ beta: T) {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
    }

    @inline(__always)
    private static func blasInt(_ x: Int) -> Int32 {
        precondition(x <= Int(Int32.max), "BLAS: dimension \(x) exceeds the 32-bit BLAS interface")
        return Int32(x)
    }

    /// Threads large products (and Loom's recurrent steps) may use: Loom's pool width
    /// (`Parallel.width`). Setting it caps the pool; 0 lifts the cap.
    public static var threadCount: Int {
        get { Parallel.width }
        set { Parallel.setThreadLimit(newValue) }
    }
}

extension BLAS {
    /// Generic entry (Float or Double), C = op(A)·op(B) + beta·C. Inlinable: callers in other
    /// modules are specialized, so the type test and conversions below fold away (unspecialized,
    /// the generic Float(beta) conversion alone was ~2% of a small model's step).
    @inlinable @inline(__always)
    public static func gemm<T: TensorScalar>(_: T.Type, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                      a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
                                      beta: T = 0, c: UnsafeMutablePointer<T>, ldc: Int) {
        if T.self == Float.self {
            gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: Float(1),
                 a: UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), lda: lda,
                 b: UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb: ldb, beta: Float(beta),
                 c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc: ldc)
        } else {
            gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: Double(1),
                 a: UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), lda: lda,
                 b: UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), ldb: ldb, beta: Double(beta),
                 c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc: ldc)
        }
    }
}
