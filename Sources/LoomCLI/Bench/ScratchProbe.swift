import Foundation
import Loom

enum ScratchProbe {
    static func run() {
        manualSeed(0)
        let lstm = LSTM(inputSize: 1, hiddenSize: 100)
        let linear = Linear(100, 1)
        let x = Tensor.randn([12, 1, 1]), y = Tensor.randn([1])
        let params = lstm.parameters() + linear.parameters()
        let n = 2000
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n {
            let (out, _) = lstm(x)
            let p = linear(out.reshape([12, 100]))[-1]
            let loss = ((p - y) * (p - y)).mean()
            for q in params { q.grad = nil }
            loss.backward()
        }
        let us = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(n)
        print("airline-like fwd+bwd: \(us) us/step")
    }
}
