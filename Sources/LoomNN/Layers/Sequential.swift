/// A chain of layers applied in order, like `torch.nn.Sequential`. Children are named "0", "1",
/// … (or the names given), so parameters are `0.weight`, `2.bias` as in PyTorch's state dicts.
///
/// ```swift
/// let model = Sequential(Linear(4, 16), ReLU(), Linear(16, 1))
/// let same = Sequential { Linear(4, 16); ReLU(); Linear(16, 1) }
/// model[0]                        // the first Linear, as `any Layer`
/// ```
public final class Sequential: Module, Layer {
    /// The layers with their names, in order.
    public private(set) var namedLayers: [(name: String, layer: any Layer)]

    /// The layers in order.
    public var layers: [any Layer] { namedLayers.map(\.layer) }

    public init(_ layers: [any Layer]) {
        namedLayers = layers.enumerated().map { ("\($0.offset)", $0.element) }
        super.init()
    }

    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// Layers built with a result builder: `Sequential { Linear(2, 3); Tanh() }`.
    public convenience init(@LayerBuilder _ build: () -> [any Layer]) { self.init(build()) }

    /// Named layers (PyTorch's `Sequential(OrderedDict(...))`).
    public init(named layers: KeyValuePairs<String, any Layer>) {
        for (name, _) in layers {
            precondition(!name.isEmpty && !name.contains("."), "Sequential: invalid layer name '\(name)'")
        }
        precondition(Set(layers.map(\.key)).count == layers.count, "Sequential: duplicate layer names in \(layers.map(\.key))")
        namedLayers = layers.map { ($0.key, $0.value) }
        super.init()
    }

    /// Adds a layer at the end, named by its position.
    public func append(_ layer: any Layer) {
        namedLayers.append(("\(namedLayers.count)", layer))
    }

    public var count: Int { namedLayers.count }

    public subscript(_ index: Int) -> any Layer { namedLayers[index].layer }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        var x = input
        for (_, layer) in namedLayers { x = layer(x) }
        return x
    }

    /// The layers under their names (not the `namedLayers` property), as PyTorch names them.
    public override func namedChildren() -> [(String, Module)] {
        namedLayers.map { ($0.name, $0.layer as Module) }
    }
}

/// Builds the layer list of ``Sequential/init(_:)-(()->[Layer])``.
@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    public static func buildBlock(_ parts: [any Layer]...) -> [any Layer] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Layer]?) -> [any Layer] { part ?? [] }
    public static func buildEither(first part: [any Layer]) -> [any Layer] { part }
    public static func buildEither(second part: [any Layer]) -> [any Layer] { part }
    public static func buildArray(_ parts: [[any Layer]]) -> [any Layer] { parts.flatMap { $0 } }
}
