/// A (height, width) pair for kernel sizes, strides, paddings and dilations, written like
/// PyTorch's `int` or `(int, int)` arguments: `kernelSize: 3` or `kernelSize: [3, 5]`.
public struct Size2D: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same size in both dimensions.
    public init(_ both: Int) { self.init(both, both) }

    public init(integerLiteral value: Int) { self.init(value) }

    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2 || elements.count == 1,
                     "Size2D: expected [height, width] or [size], got \(elements)")
        self.init(elements[0], elements.count == 2 ? elements[1] : elements[0])
    }

    /// PyTorch's printed form: `(3, 3)`.
    public var description: String { "(\(height), \(width))" }
}
