import ArgumentParser
import Loom

/// `loom demo NAME`: small runnable programs.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a small demonstration program."
    )

    @Argument(help: "Which demo to run: tensor")
    var name: String = "tensor"

    func run() throws {
        guard name == "tensor" else {
            throw ValidationError("unknown demo '\(name)'; expected one of: tensor")
        }
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        x.requiresGrad = true
        let y = (x * x).sum()
        y.backward()
        print("x =", x)
        print("y = sum(x * x) =", y)
        print("dy/dx = 2x =", x.grad!)
    }
}
