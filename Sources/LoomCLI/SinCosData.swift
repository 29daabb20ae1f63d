import Foundation
import Loom

/// Tutorial 002's data: 100 samples of 10 points, sin over [kπ, (k+1)π] as input (100, 10, 1)
/// and cos over the same points as target (100, 10).
enum SinCosData {
    static func make() -> (x: Tensor, y: Tensor) {
        var xs: [Float] = [], ys: [Float] = []
        for step in 0..<100 {
            for v in Tensor.linspace(Double(step) * .pi, Double(step + 1) * .pi, steps: 10).doubleScalars {
                xs.append(Float(Foundation.sin(v)))
                ys.append(Float(Foundation.cos(v)))
            }
        }
        return (Tensor(shape: [100, 10, 1], scalars: xs), Tensor(shape: [100, 10], scalars: ys))
    }
}
