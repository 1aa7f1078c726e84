import LinearAlgebra

/// Global average pooling: each channel's image to its mean, [C, H, W] → [C] (a feature vector;
/// PyTorch's `AdaptiveAvgPool2d(1)` followed by `Flatten`). An average pool whose window is the
/// whole image, with a flat output (the layer above is dense).
public struct GlobalAvgPool: LayerKind {
    public let input: Shape
    let pool: AvgPool2D
    public var output: Shape { (input.channels, 1) }
    public var spec: LayerSpec { .globalAvgPool }
    public func outputHeight(inputHeight: Int) -> Int { 1 }

    init(input: Shape, height: Int) throws {
        let image = try ImageSize(input: input, height: height, for: "global average pooling")
        pool = try AvgPool2D(window: image, image: image, input: input)
        self.input = input
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        pool.forward(p, training: training, rng: &rng)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) { pool.backward(p, into: sink) }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) { pool.tangentForward(p, v: v) }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        pool.tangentBackward(p, v: v, into: hv)
    }
}
