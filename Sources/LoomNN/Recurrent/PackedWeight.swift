import CLoomKernels
import LoomTensor

/// A recurrent weight packed once per sequence for the step product (CLoomGEMM.h), so that each
/// step multiplies against it without the per-call packing a BLAS GEMM does. Steps large enough
/// to share split their columns over Loom's thread pool.
final class PackedWeight {
    /// The packed operand is k × n.
    let k: Int, n: Int
    private let storage: UnsafeMutablePointer<Float>

    /// Whether this CPU has the packed kernels (x86-64 with AVX2+FMA or AVX-512); else use BLAS.
    static let isSupported = loom_packed_gemm_supported() != 0

    /// Packs `w` (k × n, row-major, leading dimension ld), or its transpose when `transposed`
    /// (then `w` is n × k).
    init(_ w: UnsafePointer<Float>, ld: Int, transposed: Bool, k: Int, n: Int) {
        self.k = k
        self.n = n
        let count = loom_packed_size(k, n)
        storage = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, count) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: Swift.max(1, count))
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

    deinit { storage.deallocate() }

    /// C (m × n, leading dimension ldc) = A (m × k, lda) · self, or C += it when `accumulate`.
    func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let panel = Int(LOOM_PANEL)
        let panels = (n + panel - 1) / panel
        // A part below ~100k multiply-adds (about a microsecond) costs more to hand off than it saves.
        let parts = Swift.max(1, Swift.min(Parallel.width, panels, m * k * n / 100_000))
        let storage = storage, n = n, k = k
        Parallel.run(parts: parts) { p in
            let n0 = panels * p / parts * panel, n1 = Swift.min(n, panels * (p + 1) / parts * panel)
            loom_packed_gemm_f32(m, k, a, lda, storage, n, n0, n1, accumulate ? 1 : 0, c, ldc)
        }
    }
}
