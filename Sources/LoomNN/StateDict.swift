/// State dictionaries: every parameter by its PyTorch-compatible dotted name.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    case missingKeys([String])
    case unexpectedKeys([String])
    case shapeMismatch(key: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingKeys(let keys):
            return "loadStateDict: missing key(s) in state dict: \(keys.joined(separator: ", "))"
        case .unexpectedKeys(let keys):
            return "loadStateDict: unexpected key(s) in state dict: \(keys.joined(separator: ", "))"
        case .shapeMismatch(let key, let expected, let found):
            return "loadStateDict: size mismatch for \(key): the checkpoint has shape \(found), the model expects \(expected)"
        }
    }
}

extension Module {
    /// Every parameter by name. The tensors are detached views of the live parameters.
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters().map { ($0.0, $0.1.detach()) })
    }

    /// Copies `dict`'s tensors into the parameters of the same names, in place (so optimizers
    /// keep working). Values are converted to each parameter's dtype.
    ///
    /// - Parameter strict: when true, keys missing from `dict` or unknown to the model throw.
    ///   Shapes must always match. Nothing is modified when an error is thrown.
    public func loadStateDict(_ dict: [String: Tensor], strict: Bool = true) throws {
        let named = namedParameters()
        let own = Set(named.map(\.0))
        if strict {
            let missing = named.map(\.0).filter { dict[$0] == nil }
            if !missing.isEmpty { throw StateDictError.missingKeys(missing) }
            let unexpected = dict.keys.filter { !own.contains($0) }.sorted()
            if !unexpected.isEmpty { throw StateDictError.unexpectedKeys(unexpected) }
        }
        for (name, p) in named {
            if let t = dict[name], t.shape != p.shape {
                throw StateDictError.shapeMismatch(key: name, expected: p.shape, found: t.shape)
            }
        }
        for (name, p) in named {
            if let t = dict[name] { p.copy(from: t) }
        }
    }
}
