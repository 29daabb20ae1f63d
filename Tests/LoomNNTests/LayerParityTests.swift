import Foundation
import LoomTestSupport
import Testing
@testable import LoomNN

/// One case of scripts/fixtures/nn_layers.py: the forward to run on the fixture's input and
/// parameters, and which gradients PyTorch stored.
struct LayerCase: CustomTestStringConvertible, Sendable {
    let name: String
    /// Fixture keys of the parameters passed to `forward` after the input (e.g. ["weight", "bias"]).
    let parameters: [String]
    let forward: @Sendable (Tensor, [Tensor]) -> Tensor
    var testDescription: String { name }
}

@Suite("Layers: outputs and gradients against PyTorch")
struct LayerParityTests {
    nonisolated(unsafe) static let fixture = try! Fixture("nn_layers.json", bundle: .module)

    static func conv(_ name: String, bias: Bool = true, stride: Size2D = 1, padding: Size2D = 0, dilation: Size2D = 1,
                     groups: Int = 1) -> LayerCase {
        LayerCase(name: name, parameters: bias ? ["weight", "bias"] : ["weight"]) { x, p in
            conv2d(x, weight: p[0], bias: bias ? p[1] : nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
    }

    static let cases: [LayerCase] = [
        conv("conv_basic"),
        conv("conv_stride_pad", stride: [2, 1], padding: [1, 0]),
        conv("conv_dilation", padding: 2, dilation: 2),
        conv("conv_groups", stride: 2, padding: 1, groups: 2),
        conv("conv_depthwise_nobias", bias: false, groups: 3),
        conv("conv_asymmetric", stride: [3, 2], padding: [0, 1], dilation: [1, 2]),
        .init(name: "maxpool_k2", parameters: []) { x, _ in MaxPool2d(kernelSize: 2)(x) },
        .init(name: "maxpool_k3s2p1", parameters: []) { x, _ in MaxPool2d(kernelSize: 3, stride: 2, padding: 1)(x) },
        .init(name: "maxpool_rect_dilation", parameters: []) { x, _ in
            maxPool2d(x, kernelSize: [3, 2], stride: [2, 1], padding: [1, 0], dilation: [2, 1])
        },
        .init(name: "maxpool_ceil", parameters: []) { x, _ in maxPool2d(x, kernelSize: 3, stride: 2, padding: 1, ceilMode: true) },
        .init(name: "maxpool_unbatched", parameters: []) { x, _ in maxPool2d(x, kernelSize: 2, stride: 1) },
        .init(name: "maxpool_ties", parameters: []) { x, _ in maxPool2d(x, kernelSize: 3, stride: 1, padding: 1) },
        .init(name: "avgpool_k2", parameters: []) { x, _ in AvgPool2d(kernelSize: 2)(x) },
        .init(name: "avgpool_k3s2p1", parameters: []) { x, _ in AvgPool2d(kernelSize: 3, stride: 2, padding: 1)(x) },
        .init(name: "avgpool_k3s2p1_exclude", parameters: []) { x, _ in
            avgPool2d(x, kernelSize: 3, stride: 2, padding: 1, countIncludePad: false)
        },
        .init(name: "avgpool_ceil_pad", parameters: []) { x, _ in avgPool2d(x, kernelSize: 3, stride: 2, padding: 1, ceilMode: true) },
        .init(name: "avgpool_ceil_exclude", parameters: []) { x, _ in
            avgPool2d(x, kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)
        },
        .init(name: "avgpool_rect", parameters: []) { x, _ in avgPool2d(x, kernelSize: [2, 3], stride: [1, 2], padding: [1, 1]) },
        .init(name: "gelu", parameters: []) { x, _ in GELU()(x) },
        .init(name: "gelu_tanh", parameters: []) { x, _ in GELU(approximate: .tanh)(x) },
        .init(name: "leaky", parameters: []) { x, _ in LeakyReLU(negativeSlope: 0.2)(x) },
        .init(name: "layernorm", parameters: []) { x, _ in
            let norm = LayerNorm([4, 5])
            norm.weight!.copy(from: LayerParityTests.fixture["layernorm.weight"])
            norm.bias!.copy(from: LayerParityTests.fixture["layernorm.bias"])
            return norm(x)
        },
    ]

    @Test(arguments: cases)
    func matchesPyTorch(_ c: LayerCase) {
        let f = Self.fixture
        let x = f["\(c.name).x"].requiringGrad()
        let params = c.parameters.map { f["\(c.name).\($0)"].requiringGrad() }
        let y = c.forward(x, params)
        expectParity(y, f["\(c.name).y"], "\(c.name) output")
        y.backward(f["\(c.name).seed"])
        expectParity(x.grad, f["\(c.name).grad_x"], "\(c.name) input gradient")
        for (key, p) in zip(c.parameters, params) {
            expectParity(p.grad, f["\(c.name).grad_\(key)"], "\(c.name) \(key) gradient")
        }
    }

    /// LayerNorm's parameter gradients through the module's own parameters.
    @Test func layerNormParameterGradients() {
        let f = Self.fixture
        let norm = LayerNorm([4, 5])
        norm.weight!.copy(from: f["layernorm.weight"])
        norm.bias!.copy(from: f["layernorm.bias"])
        norm(f["layernorm.x"]).backward(f["layernorm.seed"])
        expectParity(norm.weight?.grad, f["layernorm.grad_weight"], "layernorm weight gradient")
        expectParity(norm.bias?.grad, f["layernorm.grad_bias"], "layernorm bias gradient")
    }

    @Test func embeddingWithPaddingIndex() {
        let f = Self.fixture
        let embedding = Embedding(numEmbeddings: 6, embeddingDim: 3, paddingIdx: 2)
        #expect(embedding.weight.scalars[6..<9].allSatisfy { $0 == 0 }, "the padding row starts at zero")
        embedding.weight.copy(from: f["embedding.weight"])
        let y = embedding(f["embedding.x"])
        expectParity(y, f["embedding.y"], "embedding output")
        y.backward(f["embedding.seed"])
        expectParity(embedding.weight.grad, f["embedding.grad_weight"], "embedding weight gradient")
    }

    /// The module form of Conv2d runs the same op and holds PyTorch-shaped parameters.
    @Test func conv2dModule() {
        let f = Self.fixture
        let conv = Conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, padding: 1, groups: 2)
        #expect(conv.weight.shape == [6, 2, 3, 3] && conv.bias?.shape == [6])
        try! conv.loadStateDict(["weight": f["conv_groups.weight"], "bias": f["conv_groups.bias"]])
        expectParity(conv(f["conv_groups.x"]), f["conv_groups.y"], "Conv2d module output")
        let unbatched = conv(f["conv_groups.x"][0])
        expectParity(unbatched, f["conv_groups.y"][0], "Conv2d unbatched output")
    }
}
