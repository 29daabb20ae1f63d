/// The base class of every layer and model, like `torch.nn.Module`.
///
/// Parameters and submodules are found two ways, in this order:
/// 1. stored properties: a ``Module`` (or optional, or array of modules), a `@Parameter` /
///    `@OptionalParameter` tensor — named after the property, so plain Swift classes need no
///    registration code;
/// 2. explicit registration: ``registerParameter(_:_:)`` and ``addModule(name:_:)`` (what the
///    recurrent layers use for PyTorch's names such as `weight_ih_l0`, and what code adding a
///    submodule at run time uses).
///
/// Names join with dots (`lstm.weight_ih_l0`, `layers.0.weight`) exactly as PyTorch's.
open class Module: CustomStringConvertible {
    /// True in training mode (dropout active), false after ``eval()``.
    public private(set) var training = true
    private var explicitParameters: [(String, Tensor?)] = []
    private var explicitModules: [(String, Module)] = []

    public init() {}

    // MARK: Registration

    /// Registers `tensor` as a parameter named `name` (nil reserves the name, like `bias=None`).
    public func registerParameter(_ name: String, _ tensor: Tensor?) {
        precondition(!name.isEmpty && !name.contains("."), "registerParameter: invalid name '\(name)'")
        tensor?.requiresGrad = true
        if let i = explicitParameters.firstIndex(where: { $0.0 == name }) {
            explicitParameters[i].1 = tensor
        } else {
            explicitParameters.append((name, tensor))
        }
    }

    /// Adds (or replaces) a submodule named `name` at run time (`add_module`).
    public func addModule(name: String, _ module: Module) {
        precondition(!name.isEmpty && !name.contains("."), "addModule: invalid name '\(name)'")
        if let i = explicitModules.firstIndex(where: { $0.0 == name }) {
            explicitModules[i].1 = module
        } else {
            explicitModules.append((name, module))
        }
    }

    // MARK: Discovery

    /// Stored properties of this object and its superclasses, base class first.
    private var reflectedChildren: [(String, Any)] {
        var mirrors: [Mirror] = []
        var m: Mirror? = Mirror(reflecting: self)
        while let current = m {
            mirrors.append(current)
            m = current.superclassMirror
        }
        return mirrors.reversed().flatMap { $0.children.compactMap { c in c.label.map { ($0, c.value) } } }
    }

    /// This module's own parameters (not its children's), in declaration order.
    open func ownNamedParameters() -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (label, value) in reflectedChildren {
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            if let p = value as? Parameter {
                out.append((name, p.wrappedValue))
            } else if let p = value as? OptionalParameter, let t = p.wrappedValue {
                out.append((name, t))
            }
        }
        for (name, t) in explicitParameters { if let t { out.append((name, t)) } }
        return out
    }

    /// The direct submodules with their names.
    open func namedChildren() -> [(String, Module)] {
        var out: [(String, Module)] = []
        for (label, value) in reflectedChildren {
            let name = label.hasPrefix("_") ? String(label.dropFirst()) : label
            if let m = value as? Module {
                out.append((name, m))
            } else if let ms = value as? [Module] {
                for (i, m) in ms.enumerated() { out.append(("\(name).\(i)", m)) }
            }
        }
        out += explicitModules
        return out
    }

    /// The direct submodules.
    public func children() -> [Module] { namedChildren().map(\.1) }

    /// This module and every descendant, depth first, each once, with dotted names
    /// (the root is named "").
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Module)] = []
        func visit(_ m: Module, _ name: String) {
            guard seen.insert(ObjectIdentifier(m)).inserted else { return }
            out.append((name, m))
            for (child, sub) in m.namedChildren() { visit(sub, name.isEmpty ? child : name + "." + child) }
        }
        visit(self, prefix)
        return out
    }

    /// This module and every descendant.
    public func modules() -> [Module] { namedModules().map(\.1) }

    /// Every parameter with its dotted name, each tensor once (shared ones under their first name).
    public func namedParameters() -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        for (prefix, m) in namedModules() {
            for (name, t) in m.ownNamedParameters() where seen.insert(ObjectIdentifier(t)).inserted {
                out.append((prefix.isEmpty ? name : prefix + "." + name, t))
            }
        }
        return out
    }

    /// Every parameter (for optimizers).
    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Total number of scalar parameters.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    // MARK: Modes and utilities

    /// Sets training mode on this module and all descendants.
    public func train(_ mode: Bool = true) {
        for m in modules() { m.training = mode }
    }

    /// Evaluation mode (dropout off), on this module and all descendants.
    public func eval() { train(false) }

    /// Calls `body` on every module (descendants first, then self, like PyTorch's `apply`).
    public func apply(_ body: (Module) -> Void) {
        for m in modules().reversed() { body(m) }
    }

    /// Clears the gradients of every parameter.
    public func zeroGrad() {
        for p in parameters() { p.grad = nil }
    }

    /// Converts every parameter to Float64 in place (`model.double()`).
    public func toDouble() { for p in parameters() { p.convert(to: .float64) } }
    /// Converts every parameter to Float32 in place (`model.float()`).
    public func toFloat() { for p in parameters() { p.convert(to: .float32) } }
    /// Rounds every parameter through Float16 (`model.half()` as a storage format: the values
    /// keep only half precision; arithmetic stays in Float32 — Loom computes in Float32/64 only).
    public func toHalf() {
        for p in parameters() { p.copy(from: p.roundedToHalf()) }
    }

    // MARK: Printing

    /// The text inside the parentheses of this module's line, e.g. `10, 20, num_layers=2`.
    open var extraDescription: String { "" }

    /// PyTorch's class name for printing (`LSTM`, `Linear`); defaults to the Swift type name.
    open var typeName: String { String(describing: type(of: self)) }

    /// The module tree, formatted like PyTorch's `print(model)`.
    public var description: String {
        let kids = namedChildren()
        if kids.isEmpty { return "\(typeName)(\(extraDescription))" }
        var lines = ["\(typeName)(" + extraDescription]
        if !extraDescription.isEmpty { lines[0] = "\(typeName)(\(extraDescription)" }
        for (name, m) in kids {
            let body = m.description.replacingOccurrences(of: "\n", with: "\n  ")
            lines.append("  (\(name)): \(body)")
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// A layer with a single tensor input and output (what ``Sequential`` chains).
public protocol Layer: Module {
    func callAsFunction(_ input: Tensor) -> Tensor
}
