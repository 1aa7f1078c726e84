import LinearAlgebra

/// y = max(x, 0), in place. The dense layer below may apply it in its own output pass
/// (`Epilogue.relu`); its backward always runs here.
public struct ReLU: LayerKind {
    public let input: Shape
    public var output: Shape { input }
    public var spec: LayerSpec { .relu }
    public var worksInPlace: Bool { true }
    public var epilogue: Epilogue? { .relu }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        Elementwise.relu(p.y, count: p.batch * outputFeatures)
    }

    /// δx = δy·[y > 0] (in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        if let d = p.dy { Elementwise.reluMask(d, p.y, count: p.batch * outputFeatures) }
    }

    /// R(y) = R(x)·[y > 0] (in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        Elementwise.reluMask(p.ry, p.y, count: p.batch * outputFeatures)
    }

    /// R(δx) = R(δy)·[y > 0] (ReLU'' = 0 almost everywhere), and δx as in `backward`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        backward(p, into: nil)
        Elementwise.reluMask(p.rdy, p.y, count: p.batch * outputFeatures)
    }
}
