#if canImport(Accelerate)
import Accelerate
#else
import COpenBLAS
#endif

/// Row-major GEMM through CBLAS: C = alpha · op(A) · op(B) + beta · C, where op(X) is X or Xᵀ.
/// OpenBLAS on Linux (`libopenblas-dev`), Accelerate on Apple platforms.
public enum BLAS {
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 { scaleOutput(c, m, n, ldc, beta); return }
        if m == 1 && !transA {
            // A single row times a matrix is a matrix-vector product; OpenBLAS's GEMM would
            // pack both operands for it (recurrent steps with batch 1 are all of this shape).
            // y is zeroed first for beta = 0: BLAS implementations differ on 0·NaN there.
            if beta == 0 { c.update(repeating: 0, count: n) }
            cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, blasInt(transB ? n : k), blasInt(transB ? k : n),
                        alpha, b, blasInt(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }

    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 { scaleOutput(c, m, n, ldc, beta); return }
        if m == 1 && !transA {
            if beta == 0 { c.update(repeating: 0, count: n) }
            cblas_dgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, blasInt(transB ? n : k), blasInt(transB ? k : n),
                        alpha, b, blasInt(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }

    private static func scaleOutput<T: TensorScalar>(_ c: UnsafeMutablePointer<T>, _ m: Int, _ n: Int, _ ldc: Int, _ beta: T) {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
    }

    @inline(__always)
    private static func blasInt(_ x: Int) -> Int32 {
        precondition(x <= Int(Int32.max), "BLAS: dimension \(x) exceeds the 32-bit BLAS interface")
        return Int32(x)
    }

    /// Number of threads BLAS uses for large products (OpenBLAS only; 1 on Accelerate).
    public static var threadCount: Int {
        get {
            #if canImport(Accelerate)
            return 1
            #else
            return Int(openblas_get_num_threads())
            #endif
        }
        set {
            #if !canImport(Accelerate)
            openblas_set_num_threads(Int32(newValue))
            #endif
        }
    }
}

extension BLAS {
    /// Generic entry (Float or Double), C = op(A)·op(B) + beta·C.
    @inline(__always)
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
