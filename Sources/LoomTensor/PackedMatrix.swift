import CLoomKernels

/// A Float32 matrix in the panel layout of Loom's own GEMM kernels (CLoomGEMM.h). A recurrent
/// layer packs W_hh once per sequence and multiplies every step against it, skipping the
/// per-call packing of a BLAS GEMM; `BLAS.gemm` packs the right operand of tall products.
/// Products large enough to share are split over Loom's thread pool: by columns for few rows
/// (a step's batch), by rows for many.
package final class PackedMatrix {
    /// The packed operand is k × n.
    package let k: Int, n: Int
    private let storage: UnsafeMutablePointer<Float>
    private let byteCount: Int

    /// Whether this CPU has the packed kernels (x86-64 with AVX2+FMA or AVX-512); else use BLAS.
    package static let isSupported = loom_packed_gemm_supported() != 0

    /// Packs `w` (k × n, row-major, leading dimension ld), or its transpose when `transposed`
    /// (then `w` is n × k).
    package init(_ w: UnsafePointer<Float>, ld: Int, transposed: Bool, k: Int, n: Int) {
        self.k = k
        self.n = n
        let count = loom_packed_size(k, n)
        // From the buffer pool: recurrent layers pack W_hh on every forward and backward pass, and
        // a fresh multi-kilobyte malloc each time also made glibc consolidate its free lists.
        byteCount = Swift.max(1, count) * 4
        storage = BufferPool.allocate(byteCount: byteCount).bindMemory(to: Float.self, capacity: Swift.max(1, count))
        // Panels are independent: large weights are packed by all threads, a block of panels each.
        let panel = Int(LOOM_PANEL), panels = (n + panel - 1) / panel
        let parts = Swift.max(1, Swift.min(Parallel.width, panels, k * n / 65_536))
        let storage = storage
        Parallel.run(parts: parts) { p in
            let j0 = panels * p / parts * panel, j1 = Swift.min(n, panels * (p + 1) / parts * panel)
            if j1 <= j0 { return }
            loom_pack_f32(transposed ? w + j0 * ld : w + j0, ld, transposed ? 1 : 0, k, j1 - j0, storage + j0 * k)
        }
    }

    deinit { BufferPool.release(UnsafeMutableRawPointer(storage), byteCount: byteCount) }

    /// C (m × n, leading dimension ldc) = op(A) · self, or C += it when `accumulate`, where op(A)
    /// is A (m × k, row-major, leading dimension lda) or, with `transA`, the transpose of a
    /// row-major k × m matrix (leading dimension lda). `bias1` and `bias2` (n floats each), where
    /// given, are added to every row as it is stored: ((product (+ C)) + bias1) + bias2.
    package func multiply(transA: Bool = false, m: Int, a: UnsafePointer<Float>, lda: Int, accumulate: Bool,
                          bias1: UnsafePointer<Float>? = nil, bias2: UnsafePointer<Float>? = nil,
                          c: UnsafeMutablePointer<Float>, ldc: Int) {
        let panel = Int(LOOM_PANEL)
        let panels = (n + panel - 1) / panel
        let storage = storage, n = n, k = k, acc: Int32 = accumulate ? 1 : 0, ta: Int32 = transA ? 1 : 0
        // A part below ~100k multiply-adds (about a microsecond) costs more to hand off than it saves.
        let parts = Swift.max(1, Swift.min(Parallel.width, m * k * n / 100_000))
        if parts > 1 && m >= 64 * parts {
            // Many rows: each thread takes a block of rows (of A in its own cache) against all columns.
            let blocks = (m + 7) / 8
            Parallel.run(parts: parts) { p in
                let r0 = Swift.min(m, blocks * p / parts * 8), r1 = Swift.min(m, blocks * (p + 1) / parts * 8)
                if r1 > r0 {
                    loom_packed_gemm_f32(ta, r1 - r0, k, transA ? a + r0 : a + r0 * lda, lda, storage, n, 0, n, acc, bias1, bias2,
                                         c + r0 * ldc, ldc)
                }
            }
            return
        }
        let columnParts = Swift.min(parts, panels)
        Parallel.run(parts: columnParts) { p in
            let n0 = panels * p / columnParts * panel, n1 = Swift.min(n, panels * (p + 1) / columnParts * panel)
            loom_packed_gemm_f32(ta, m, k, a, lda, storage, n, n0, n1, acc, bias1, bias2, c, ldc)
        }
    }
}
