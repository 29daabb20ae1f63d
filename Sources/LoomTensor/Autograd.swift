import Synchronization

/// Reverse-mode automatic differentiation: the graph node and the backward pass.
///
/// Each differentiable op records a ``GradNode`` holding its inputs and a closure that maps the
/// gradient of its output to gradients of its inputs (the op's backward, written next to its
/// forward). ``Tensor/backward(_:retainGraph:)`` orders the nodes topologically and runs the
/// closures in reverse; gradients accumulate (`+=`) when a tensor feeds several ops, and land in
/// ``Tensor/grad`` for leaves that require grad.
public final class GradNode {
    /// Op name, for error messages and debugging (`MulBackward`).
    public let name: String
    @exclusivity(unchecked) var inputs: [Tensor]
    @exclusivity(unchecked) var backward: ((Tensor) -> [Tensor?])?

    init(name: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.backward = backward
    }

    /// Frees the saved tensors; a later backward through this node fails with a clear message.
    func release() {
        backward = nil
        inputs = []
    }
}

/// Whether operations are recorded for autograd on the current thread/task.
public enum GradMode {
    @TaskLocal static var enabled = true

    /// True unless inside ``withNoGrad(_:)``.
    public static var isEnabled: Bool { enabled }

    @TaskLocal static var retaining = false

    /// During a backward pass: whether it was asked to keep the graph (`retainGraph: true`). A
    /// node's backward that will not run again may free what it saved as soon as it is done.
    public static var isRetainingGraph: Bool { retaining }
}

/// Runs `body` without recording operations for autograd (PyTorch's `torch.no_grad()`).
@discardableResult
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$enabled.withValue(false, operation: body)
}

/// Runs `body` with autograd recording switched on, even inside ``withNoGrad(_:)``.
@discardableResult
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$enabled.withValue(true, operation: body)
}

extension Tensor {
    /// Wraps `result` as the output of a differentiable op: when recording is on and any input
    /// requires grad, `result` gets a node whose backward is `backward`.
    /// `backward` receives the output gradient and returns one gradient (or nil) per input.
    public static func record(_ name: String, _ result: Tensor, inputs: [Tensor],
                       backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.enabled, inputs.contains(where: { $0.requiresGrad }) else { return result }
        result.gradFn = GradNode(name: name, inputs: inputs, backward: backward)
        result.requiresGradFlag = true      // a recorded result requires grad (not a leaf)
        return result
    }

    /// Computes the gradient of this tensor with respect to every leaf that requires grad and
    /// adds it to the leaf's ``grad``.
    ///
    /// - Parameters:
    ///   - gradient: d(output)/d(self); may be omitted only for a one-element tensor (then 1).
    ///   - retainGraph: keep the saved tensors so that backward can run through the graph again.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        precondition(requiresGrad,
                     "backward(): the tensor does not require grad and has no grad_fn; set requiresGrad = true on an input first")
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape,
                         "backward(): gradient shape \(gradient.shape) does not match tensor shape \(shape)")
            seed = gradient.to(dtype)
        } else {
            precondition(count == 1,
                         "backward(): grad can be implicitly created only for scalar outputs; this tensor has shape \(shape), pass a gradient of that shape")
            seed = Tensor.ones(shape, dtype: dtype)
        }
        withNoGrad {
            // `retaining` is false unless set (pushing a task-local value has a cost per call).
            if retainGraph {
                GradMode.$retaining.withValue(true) { runBackward(seed: seed, retainGraph: true) }
            } else {
                runBackward(seed: seed, retainGraph: false)
            }
        }
    }

    private func runBackward(seed: Tensor, retainGraph: Bool) {
        // Every tensor reachable through grad nodes gets a slot, stamped on the tensor with this
        // pass's number (no hashing); visited flags and pending gradients live in arrays indexed
        // by slot. A tensor takes part in one backward pass at a time (as its gradient does).
        // Capacities for a typical training graph, so the arrays do not regrow several times.
        let expected = 64
        let pass = backwardPasses.wrappingAdd(1, ordering: .relaxed).newValue
        var tensors: [Tensor] = []
        var visited: [Bool] = []
        tensors.reserveCapacity(expected)
        visited.reserveCapacity(expected)
        func slot(_ t: Tensor) -> Int {
            if t.backwardPass == pass { return t.backwardSlot }
            let s = tensors.count
            t.backwardPass = pass
            t.backwardSlot = s
            tensors.append(t)
            visited.append(false)
            return s
        }
        // Topological order (iterative DFS, post-order; a tensor is marked when expanded).
        var order: [Int] = []
        order.reserveCapacity(expected)
        var stack: [(Int, Bool)] = []
        stack.reserveCapacity(expected)
        stack.append((slot(self), false))
        while let (i, expanded) = stack.popLast() {
            if expanded { order.append(i); continue }
            if visited[i] { continue }
            visited[i] = true
            stack.append((i, true))
            if let node = tensors[i].gradFn {
                for input in node.inputs where input.requiresGrad {
                    let j = slot(input)
                    if !visited[j] { stack.append((j, false)) }
                }
            }
        }
        var grads = [Tensor?](repeating: nil, count: tensors.count)
        grads[0] = seed
        for i in order.reversed() {
            guard var g = grads[i] else { continue }
            grads[i] = nil
            let t = tensors[i]
            guard let node = t.gradFn else {
                if t.requiresGrad { t.accumulateGrad(&g) }
                continue
            }
            guard let backward = node.backward else {
                preconditionFailure("""
                    backward(): trying to backward through the graph a second time (through \(node.name)); \
                    its saved tensors were freed by the first backward. Pass retainGraph: true to the \
                    first backward() if you need to call it twice.
                    """)
            }
            let inputGrads = backward(g)
            precondition(inputGrads.count == node.inputs.count, "\(node.name) returned \(inputGrads.count) gradients for \(node.inputs.count) inputs")
            for (input, ig) in zip(node.inputs, inputGrads) {
                guard input.requiresGrad, let ig else { continue }
                precondition(ig.shape == input.shape,
                             "\(node.name): gradient shape \(ig.shape) differs from input shape \(input.shape)")
                let j = input.backwardSlot             // slotted when the graph was walked
                if let existing = grads[j] {
                    grads[j] = existing + ig
                } else {
                    grads[j] = ig
                }
            }
            if !retainGraph { node.release() }
        }
    }

    private func accumulateGrad(_ g: inout Tensor) {
        if let existing = grad {
            existing.addInPlace(g)
        } else if isKnownUniquelyReferenced(&g) && !g.storage.isWindow && isKnownUniquelyReferenced(&g.storage) {
            // Nothing else holds this gradient or its memory: keep it instead of a copy.
            grad = g
        } else {
            // Backward closures may hand the same tensor to several inputs, or views of one
            // buffer: own a copy.
            grad = g.clone()
        }
    }

    /// Sets ``grad`` to nil (PyTorch's default `set_to_none=True`).
    public func zeroGrad() { grad = nil }

    /// A tensor sharing this one's storage but cut from the graph (never requires grad).
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// Returns self after setting ``requiresGrad`` (chainable, like `requires_grad_()`).
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }
}

/// Numbers backward passes; 0 is never used, so a new tensor belongs to none.
private let backwardPasses = Atomic<UInt64>(0)
