import LinearAlgebra

/// Max pooling over windows of `size` along the length, per channel: [C, L] → [C, L/size].
///
/// Scratch: indices, argmax [b, C, L/size]: where in the window each maximum came from.
public struct MaxPool: LayerKind {
    public let input: Shape
    public let size: Int
    public var output: Shape { (input.channels, input.length / size) }
    public var spec: LayerSpec { .maxPool(size: size) }
    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) { (0, outputFeatures, 0) }

    init(size: Int, input: Shape) throws {
        guard size >= 1, input.length / size >= 1 else {
            throw GenLabError.usage("max pooling of size \(size) does not fit length \(input.length)")
        }
        self.size = size
        self.input = input
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        let c = input.channels
        let lin = input.length
        let lout = output.length
        let am = p.indices!
        for r in 0..<p.batch {
            for ch in 0..<c {
                let src = p.x + (r * c + ch) * lin
                let dst = (r * c + ch) * lout
                for t in 0..<lout {
                    var best = t * size
                    for j in (t * size)..<(t * size + size) where src[j] > src[best] { best = j }
                    p.y[dst + t] = src[best]
                    am[dst + t] = Int32(best)
                }
            }
        }
    }

    /// Each δ goes back to where its maximum came from.
    static func scatter<T: Scalar>(
        _ d: UnsafePointer<T>, into dx: UnsafeMutablePointer<T>, _ am: UnsafePointer<Int32>, batch b: Int, _ c: Int,
        _ lin: Int, _ lout: Int
    ) {
        dx.update(repeating: 0, count: b * c * lin)
        for r in 0..<b {
            for ch in 0..<c {
                let base = (r * c + ch) * lout
                let src = (r * c + ch) * lin
                for t in 0..<lout { dx[src + Int(am[base + t])] += d[base + t] }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        guard let dx = p.dx else { return }
        Self.scatter(p.dy!, into: dx, p.indices!, batch: p.batch, input.channels, input.length, output.length)
    }

    /// R(y) = R(x) at the argmax.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        let c = input.channels
        let lin = input.length
        let lout = output.length
        let am = p.indices!
        guard let rx = p.rx else {
            p.ry.update(repeating: 0, count: p.batch * outputFeatures)
            return
        }  // the input does not move
        for r in 0..<p.batch {
            for ch in 0..<c {
                for t in 0..<lout {
                    let base = (r * c + ch) * lout
                    p.ry[base + t] = rx[(r * c + ch) * lin + Int(am[base + t])]
                }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        if let rdx = p.rdx {
            Self.scatter(p.rdy, into: rdx, p.indices!, batch: p.batch, input.channels, input.length, output.length)
        }
        if p.dy != nil { backward(p, into: nil) }
    }
}
