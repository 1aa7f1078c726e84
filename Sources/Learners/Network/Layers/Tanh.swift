import Foundation
import LinearAlgebra

/// y = tanh(x), in place; σ' = 1 − y², σ'' = −2y·σ'.
public struct Tanh: LayerKind {
    public let input: Shape
    public var output: Shape { input }
    public var spec: LayerSpec { .tanh }
    public var worksInPlace: Bool { true }
    /// R(δx) has the term σ''(x)·R(x)·δy.
    public func tangentReadsDelta(first: Bool) -> Bool { true }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        let y = p.y
        for j in 0..<(p.batch * outputFeatures) { y[j] = T(Foundation.tanh(Double(y[j]))) }
    }

    /// δx = δy·(1 − y²) (in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        guard let d = p.dy else { return }
        let y = p.y
        for j in 0..<(p.batch * outputFeatures) { d[j] *= 1 - y[j] * y[j] }
    }

    /// R(y) = (1 − y²)·R(x) (in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        let y = p.y
        let ry = p.ry
        for j in 0..<(p.batch * outputFeatures) { ry[j] *= 1 - y[j] * y[j] }
    }

    /// R(δx) = σ'·R(δy) + σ''(x)·R(x)·δy, with σ''(x)·R(x) = −2y·R(y); then δx.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        let y = p.y
        let ry = p.ry
        let rd = p.rdy
        let d = p.dy!
        for j in 0..<(p.batch * outputFeatures) { rd[j] = (1 - y[j] * y[j]) * rd[j] - 2 * y[j] * ry[j] * d[j] }
        backward(p, into: nil)
    }
}
