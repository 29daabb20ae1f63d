/// The optimizer state of one parameter: its step count and its buffers (momentum, moving
/// averages…), each a tensor of the parameter's shape and dtype, in the optimizer's slot order
/// (``Optimizer/stateNames``). A buffer is nil until the optimizer first needs it.
public final class ParamState {
    /// Number of updates applied to this parameter (PyTorch's `state["step"]`).
    @exclusivity(unchecked) public var step: Int = 0
    /// Buffers by slot; names in ``Optimizer/stateNames`` (`exp_avg`, `momentum_buffer`, …).
    @exclusivity(unchecked) public var buffers: [Tensor?]

    init(slots: Int) {
        buffers = [Tensor?](repeating: nil, count: slots)
    }

    /// The buffer in `slot`, created (zero-filled, like `param`) on first use, and converted to
    /// the parameter's dtype if the model was converted (`toDouble()`) after earlier steps.
    @inline(__always)
    public func buffer(_ slot: Int, like param: Tensor) -> Tensor {
        if let b = buffers[slot] {
            if b.dtype != param.dtype { b.convert(to: param.dtype) }
            return b
        }
        let b = Tensor.zeros(like: param)
        buffers[slot] = b
        return b
    }
}
