/// How ``DataLoader`` turns a list of samples into a batch when no `collate` is given
/// (PyTorch's `default_collate`): stack along a new first dimension.
///
/// Samples of shape (…) become a batch of shape (B, …), where B is the number of samples.

/// Stacks single-tensor samples: B × (…) → (B, …).
public func defaultCollate(_ samples: [Tensor]) -> Tensor {
    Tensor.stack(samples, dim: 0)
}

/// Stacks `(input, target)` samples component-wise: B × ((…), (…)) → ((B, …), (B, …)).
public func defaultCollate(_ samples: [(Tensor, Tensor)]) -> (Tensor, Tensor) {
    (Tensor.stack(samples.map(\.0), dim: 0), Tensor.stack(samples.map(\.1), dim: 0))
}
