import Foundation

/// An optimizer's state as data (PyTorch's `optimizer.state_dict()`): hyper-parameters per
/// group and, per parameter (numbered across groups in order), its step count and buffers.
///
/// Tensors are named `state.<index>.<buffer>` (e.g. `state.0.exp_avg`), as PyTorch's nesting
/// flattens, so the whole dict saves as safetensors plus a small JSON (``OptimizerStateDict/Info``).
public struct OptimizerStateDict {
    /// Everything but the tensors; JSON-encodable.
    public struct Info: Codable, Equatable, Sendable {
        public struct Group: Codable, Equatable, Sendable {
            public var lr: Double
            public var weightDecay: Double
            /// Indices of this group's parameters in the global numbering.
            public var params: [Int]
        }
        /// The optimizer's class (`Adam`); loading into another kind fails.
        public var kind: String
        public var groups: [Group]
        public var options: [String: Double]
        /// Step count per parameter index (nil: the parameter has no state yet).
        public var steps: [Int?]
    }

    public var info: Info
    /// Buffers by `state.<index>.<name>`.
    public var tensors: [String: Tensor]
}

/// Why an optimizer state dict (or file) could not be loaded.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    case kindMismatch(expected: String, found: String)
    case groupMismatch(expected: [Int], found: [Int])
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case unknownBuffer(String)
    case badMetadata(path: String, detail: String)
    case invalidValue(name: String, value: Double, expected: String)

    public var description: String {
        switch self {
        case .invalidValue(let name, let value, let expected):
            return "optimizer state: '\(name)' is \(value), expected \(expected)"
        case .kindMismatch(let e, let f):
            return "optimizer state: saved by \(f), cannot load into \(e)"
        case .groupMismatch(let e, let f):
            return "optimizer state: parameter groups of sizes \(f) do not match this optimizer's \(e)"
        case .shapeMismatch(let n, let e, let f):
            return "optimizer state: \(n) has shape \(f), the parameter has \(e)"
        case .unknownBuffer(let n):
            return "optimizer state: unknown buffer \(n)"
        case .badMetadata(let p, let d):
            return "\(p): not a Loom optimizer state: \(d)"
        }
    }
}

extension Optimizer {
    /// The state as data; buffers are copies (later steps do not change them).
    public func stateDict() -> OptimizerStateDict {
        var groups: [OptimizerStateDict.Info.Group] = []
        var steps: [Int?] = []
        var tensors: [String: Tensor] = [:]
        var index = 0
        for (g, group) in paramGroups.enumerated() {
            groups.append(.init(lr: group.lr, weightDecay: group.weightDecay,
                                params: Array(index..<(index + group.params.count))))
            for i in group.params.indices {
                let state = states[g][i]
                steps.append(state?.step)
                for (slot, name) in stateNames.enumerated() {
                    if let b = state?.buffers[slot] { tensors["state.\(index).\(name)"] = withNoGrad { b.detach().clone() } }
                }
                index += 1
            }
        }
        return OptimizerStateDict(info: .init(kind: kind, groups: groups, options: options, steps: steps),
                                  tensors: tensors)
    }

    /// Throws unless ``loadStateDict(_:)`` would succeed; changes nothing.
    public func validate(_ dict: OptimizerStateDict) throws {
        let info = dict.info
        guard info.kind == kind else { throw OptimizerStateError.kindMismatch(expected: kind, found: info.kind) }
        let sizes = paramGroups.map(\.params.count)
        guard info.groups.map(\.params.count) == sizes, info.steps.count == sizes.reduce(0, +) else {
            throw OptimizerStateError.groupMismatch(expected: sizes, found: info.groups.map(\.params.count))
        }
        // A state read from a file may hold anything: rates must be usable and step counts must
        // not overflow when the next step increments them.
        for (g, group) in info.groups.enumerated() {
            for (name, v) in [("lr", group.lr), ("weightDecay", group.weightDecay)] where !(v.isFinite && v >= 0) {
                throw OptimizerStateError.invalidValue(name: "groups[\(g)].\(name)", value: v, expected: "a finite number ≥ 0")
            }
        }
        for (i, step) in info.steps.enumerated() {
            if let step, !(0...(1 << 53)).contains(step) {
                throw OptimizerStateError.invalidValue(name: "steps[\(i)]", value: Double(step), expected: "a step count from 0 to 2^53")
            }
        }
        let params = allParameters
        let known = Set(params.indices.flatMap { i in stateNames.map { "state.\(i).\($0)" } })
        if let unknown = dict.tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw OptimizerStateError.unknownBuffer(unknown)
        }
        for (name, t) in dict.tensors.sorted(by: { $0.key < $1.key }) {
            let i = Int(name.split(separator: ".")[1])!
            guard t.shape == params[i].shape else {
                throw OptimizerStateError.shapeMismatch(name: name, expected: params[i].shape, found: t.shape)
            }
        }
    }

    /// Restores a state saved by ``stateDict()`` of an optimizer of the same kind over parameters
    /// of the same shapes in the same group layout. Learning rates, weight decays and options are
    /// restored too (as PyTorch does). Nothing changes when an error is thrown.
    public func loadStateDict(_ dict: OptimizerStateDict) throws {
        try validate(dict)
        let info = dict.info
        var index = 0
        for g in paramGroups.indices {
            paramGroups[g].lr = info.groups[g].lr
            paramGroups[g].weightDecay = info.groups[g].weightDecay
            for i in paramGroups[g].params.indices {
                let param = paramGroups[g].params[i]
                if let step = info.steps[index] {
                    let state = ParamState(slots: stateNames.count)
                    state.step = step
                    for (slot, name) in stateNames.enumerated() {
                        guard let t = dict.tensors["state.\(index).\(name)"] else { continue }
                        let b = Tensor.zeros(like: param)
                        b.copy(from: t)
                        state.buffers[slot] = b
                    }
                    states[g][i] = state
                } else {
                    states[g][i] = nil
                }
                index += 1
            }
        }
        options = info.options
    }

    /// Metadata key under which ``save(to:)`` stores the JSON ``OptimizerStateDict/Info``.
    static var metadataKey: String { "loom.optimizer" }

    /// Saves the state to a safetensors file (buffers as tensors, the rest as JSON metadata),
    /// atomically.
    public func save(to url: URL) throws {
        let dict = stateDict()
        let json = try JSONEncoder().encode(dict.info)
        try Safetensors.write(dict.tensors, to: url, metadata: [Self.metadataKey: String(decoding: json, as: UTF8.self)])
    }

    /// Loads a state written by ``save(to:)``.
    public func load(from url: URL) throws {
        var meta: [String: String] = [:]
        let tensors = try Safetensors.read(url, metadata: &meta)
        guard let text = meta[Self.metadataKey] else {
            throw OptimizerStateError.badMetadata(path: url.path, detail: "no \(Self.metadataKey) metadata")
        }
        let info: OptimizerStateDict.Info
        do { info = try JSONDecoder().decode(OptimizerStateDict.Info.self, from: Data(text.utf8)) } catch {
            throw OptimizerStateError.badMetadata(path: url.path, detail: "\(error)")
        }
        try loadStateDict(OptimizerStateDict(info: info, tensors: tensors))
    }
}
