import Foundation
import Testing
@testable import LoomNN

/// A user-defined model in plain Swift: properties are found without registration code.
final class TwoLayer: Module {
    let first = Linear(4, 3)
    let second = Linear(3, 2, bias: false)
    @Parameter var scale: Tensor = Tensor.ones([2])

    func callAsFunction(_ x: Tensor) -> Tensor { second(first(x).tanh()) * scale }
}

@Suite("Module tree, parameters and state dicts")
struct ModuleTests {
    @Test func namesFollowPyTorch() {
        let m = TwoLayer()
        #expect(m.namedParameters().map(\.0) == ["scale", "first.weight", "first.bias", "second.weight"])
        #expect(m.children().count == 2)
        #expect(m.namedModules().map(\.0) == ["", "first", "second"])
        #expect(m.parameters().allSatisfy { $0.requiresGrad })
        #expect(m.parameterCount == 2 + 12 + 3 + 6)
    }

    @Test func addModuleAtRunTimeAndModes() {
        let m = TwoLayer()
        m.addModule(name: "extra", Linear(2, 2))
        #expect(m.namedParameters().map(\.0).suffix(2) == ["extra.weight", "extra.bias"])
        m.eval()
        #expect(m.modules().allSatisfy { !$0.training })
        m.train()
        #expect(m.modules().allSatisfy { $0.training })
        var visited = 0
        m.apply { _ in visited += 1 }
        #expect(visited == 4)
    }

    @Test func stateDictRoundTripKeepsIdentity() throws {
        let a = TwoLayer(), b = TwoLayer()
        let weight = b.first.weight
        try b.loadStateDict(a.stateDict())
        #expect(b.first.weight === weight, "loadStateDict must copy in place")
        #expect(b.first.weight.scalars == a.first.weight.scalars)
        let x = Tensor.randn([5, 4])
        #expect(a(x).scalars == b(x).scalars)
    }

    @Test func loadStateDictErrorsNameTheKeys() {
        let m = TwoLayer()
        var dict = m.stateDict()
        dict.removeValue(forKey: "first.bias")
        #expect(throws: StateDictError.missingKeys(["first.bias"])) { try m.loadStateDict(dict) }
        dict = m.stateDict()
        dict["bogus"] = Tensor.zeros([1])
        #expect(throws: StateDictError.unexpectedKeys(["bogus"])) { try m.loadStateDict(dict) }
        try? m.loadStateDict(dict, strict: false)
        dict = m.stateDict()
        dict["first.weight"] = Tensor.zeros([4, 3])
        #expect(throws: StateDictError.shapeMismatch(key: "first.weight", expected: [3, 4], found: [4, 3])) {
            try m.loadStateDict(dict)
        }
        #expect("\(StateDictError.shapeMismatch(key: "first.weight", expected: [3, 4], found: [4, 3]))".contains("size mismatch for first.weight"))
    }

    @Test func dtypeConversionKeepsIdentity() {
        let m = TwoLayer()
        let w = m.first.weight
        m.toDouble()
        #expect(m.parameters().allSatisfy { $0.dtype == .float64 })
        #expect(m.first.weight === w)
        let y = m(Tensor.randn([2, 4], dtype: .float64))
        #expect(y.dtype == .float64)
        m.toFloat()
        #expect(m.parameters().allSatisfy { $0.dtype == .float32 })
        m.first.weight.copy(from: Tensor.full([3, 4], 0.1))
        m.toHalf()
        #expect(m.first.weight.scalars.allSatisfy { $0 == HalfPrecision.float(fromHalf: HalfPrecision.halfBits(0.1)) })
    }

    @Test func printsLikePyTorch() {
        let text = TwoLayer().description
        #expect(text == """
            TwoLayer(
              (first): Linear(in_features=4, out_features=3, bias=True)
              (second): Linear(in_features=3, out_features=2, bias=False)
            )
            """)
    }
}
