import Foundation
import LinearAlgebra

extension Network {
    /// R-forward: rOutputs[i] = directional derivative of layer i's output along θ + t·v,
    /// for the batch last sent through `forward`. The input does not depend on θ.
    func rForward(_ x: UnsafePointer<T>, batch b: Int, v: UnsafePointer<T>, from start: Int = 0) {
        for (i, l) in layers.enumerated() where i >= start {
            let input = layerInput(i, x)
            let rIn: UnsafePointer<T>? = i == 0 ? nil : UnsafePointer(rOutputs[i - 1])
            let ry = rOutputs[i], y = outputs[i]
            let w = UnsafePointer(parameters + l.parameterOffset), vw = v + l.parameterOffset
            let n = b * l.outputFeatures
            switch l.spec {
            case .dense(let o):
                let fin = l.inputFeatures
                // R(y) = x·Vᵀ + R(x)·Wᵀ + V_b
                T.gemm(transA: false, transB: true, m: b, n: o, k: fin, alpha: 1, a: input, lda: fin, b: vw, ldb: fin, beta: 0, c: ry, ldc: o)
                if let ri = rIn { T.gemm(transA: false, transB: true, m: b, n: o, k: fin, alpha: 1, a: ri, lda: fin, b: w, ldb: fin, beta: 1, c: ry, ldc: o) }
                let vb = vw + l.weightCount
                for r in 0..<b { for c in 0..<o { ry[r * o + c] += vb[c] } }
            case .relu:
                Elementwise.reluMask(ry, y, count: n)
            case .tanh:
                for j in 0..<n { ry[j] *= 1 - y[j] * y[j] }
            case .dropout:
                let m = masks[i]!
                for j in 0..<n { ry[j] *= m[j] }
            case .conv1d(let cout, let k, let s, let p):
                let cin = l.input.channels, lin = l.input.length, lout = l.output.length, width = cin * k
                let col = columns[i]!, rcol = rColumns[i]!, yt = transposed[i]!
                T.gemm(transA: false, transB: true, m: b * lout, n: cout, k: width, alpha: 1, a: col, lda: width, b: vw, ldb: width, beta: 0, c: yt, ldc: cout)
                if let ri = rIn {
                    Self.im2col(ri, rcol, b, cin, lin, lout, k, s, p)
                    T.gemm(transA: false, transB: true, m: b * lout, n: cout, k: width, alpha: 1, a: rcol, lda: width, b: w, ldb: width, beta: 1, c: yt, ldc: cout)
                }
                let vb = vw + l.weightCount
                for r in 0..<b { for o in 0..<cout { for t in 0..<lout { ry[(r * cout + o) * lout + t] = yt[(r * lout + t) * cout + o] + vb[o] } } }
            case .maxPool:
                let am = argmax[i]!, c = l.input.channels, lin = l.input.length, lout = l.output.length
                for r in 0..<b { for ch in 0..<c { for t in 0..<lout {
                    let base = (r * c + ch) * lout
                    ry[base + t] = rIn![(r * c + ch) * lin + Int(am[base + t])]
                } } }
            }
        }
    }

    /// Forward and R-forward passes together (evaluation mode). A dense first layer's two GEMMs
    /// share their input, X·Wᵀ and X·Vᵀ, so they run as one, X·[W; V]ᵀ, which reads and packs X
    /// once (XLA's dot merger does the same to jit(jvp(grad))); the rest is `forwardLayers` from
    /// layer 1 on and `rForward` past the ReLU that the split already applied.
    func forwardWithTangent(_ x: UnsafePointer<T>, batch b: Int, v: UnsafePointer<T>) -> UnsafePointer<T> {
        guard case .dense(let o) = layers[0].spec else {
            let z = forward(x, batch: b, training: false)
            rForward(x, batch: b, v: v)
            return z
        }
        reserve(batch: b)
        forwardGeneration &+= 1
        let l = layers[0], fin = l.inputFeatures, wc = l.weightCount
        let (stackedW, stackedY) = stackedFirstLayer(batch: b)
        let y = outputs[0], ry = rOutputs[0]
        let bias = UnsafePointer(parameters + l.parameterOffset + wc), vb = v + l.parameterOffset + wc
        let w = UnsafePointer(parameters + l.parameterOffset), vw = v + l.parameterOffset
        var relu = false
        if layers.count > 1, case .relu = layers[1].spec { relu = true }
        // Rows start as [b | V_b] and the GEMM adds into them (β = 1): OpenBLAS would otherwise
        // zero the output in a pass of its own before the product. (These passes only move
        // memory; splitting them over the two cores measured no faster.)
        stackedW.update(from: w, count: wc)
        (stackedW + wc).update(from: vw, count: wc)
        for r in 0..<b {
            (stackedY + r * 2 * o).update(from: bias, count: o)
            (stackedY + r * 2 * o + o).update(from: vb, count: o)
        }
        T.gemm(transA: false, transB: true, m: b, n: 2 * o, k: fin, alpha: 1, a: x, lda: fin, b: stackedW, ldb: fin, beta: 1, c: stackedY, ldc: 2 * o)
        // Each row's two halves to their buffers, through the ReLU they feed (which R-forward
        // then skips): max(z, 0) and R(z)·[z > 0].
        Elementwise.split(stackedY, rows: b, width: o, into: y, and: ry, relu: relu)
        let rest = relu ? 2 : 1
        // Past the first layer of mlp:W only the output layer is left; its forward and R-forward
        // products are independent and skinny: one core each.
        if layers.count == rest + 1 && ForkJoin.isSkinny(layers[rest]) {
            if outputLayerPair == nil { outputLayerPair = OutputLayerPair(self) }
            let pair = outputLayerPair!
            (pair.x, pair.v, pair.b, pair.rest) = (x, v, b, rest)
            ForkJoin.run(pair, linger: true)  // the output layer's backward pair follows
            return pair.z!
        }
        let z = forwardLayers(x, batch: b, training: false, from: 1)
        rForward(x, batch: b, v: v, from: rest)
        return z
    }

    /// Loss and gradient over one batch, added into `gradient` (or written over it with
    /// `accumulate: false`). Returns the batch loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func lossAndGradient(_ x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, batch b: Int, training: Bool,
                                accumulate: Bool = true, sgdStep: T? = nil) -> Double {
        precondition(sgdStep == nil || supportsFusedSGD, "the fused SGD step needs a network of dense layers")
        if !accumulate && splitsBatch(b) {
            return halves()(.contiguous(x: x, labels: labels, targets: targets), batch: b, training: training, sgdStep: sgdStep)
        }
        return lossAndGradientInOnePass(x, labels: labels, targets: targets, batch: b, training: training, accumulate: accumulate, sgdStep: sgdStep)
    }

    /// `lossAndGradient` (the gradient overwritten) of the batch of `rows`, which the network
    /// gathers itself: a halved step (see `splitsBatch`) gathers each half on its own core.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func lossAndGradient(rows: BatchRows<T>, batch b: Int, training: Bool, sgdStep: T? = nil) -> Double {
        precondition(sgdStep == nil || supportsFusedSGD, "the fused SGD step needs a network of dense layers")
        if splitsBatch(b) { return halves()(.rows(rows), batch: b, training: training, sgdStep: sgdStep) }
        let (x, labels, targets) = gather(rows, 0..<b)
        return lossAndGradientInOnePass(x, labels: labels, targets: targets, batch: b, training: training, accumulate: false, sgdStep: sgdStep)
    }

    func lossAndGradientInOnePass(_ x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, batch b: Int, training: Bool,
                                  accumulate: Bool, sgdStep: T?) -> Double {
        let z = forward(x, batch: b, training: training)
        let loss = Loss.gradient(self.loss, z: z, dz: lossGradient!, batch: b, outputs: outputCount, labels: labels, targets: targets)
        backpropagate(x, batch: b, accumulate: accumulate, sgdStep: sgdStep)
        return loss
    }

    /// The fused SGD step of `backpropagate` updates a layer after its input gradient is formed;
    /// dense layers do that, the convolution's col2im path does not (yet).
    public var supportsFusedSGD: Bool { !layers.contains { if case .conv1d = $0.spec { return true }; return false } }

    /// Gradient and Hessian-vector product H·v of the batch loss (evaluation mode: no dropout),
    /// exact to rounding by the R-operator. The gradient overwrites `gradient` (skipped with
    /// `computeGradient: false`, a quarter of the work); H·v is added into `hv`.
    /// `reusingForward: loss` skips the forward pass: the caller vouches that the arena still holds
    /// it for this batch and these parameters (see `Objective`, which checks); `loss` is returned.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func hessianVectorProduct(_ x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, batch b: Int,
                                     v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>, computeGradient: Bool = true,
                                     reusingForward cachedLoss: Double? = nil) -> Double {
        let z: UnsafePointer<T>, loss: Double
        if let l = cachedLoss {
            z = UnsafePointer(outputs[layers.count - 1]); loss = l
            rForward(x, batch: b, v: v)
        } else {
            z = forwardWithTangent(x, batch: b, v: v)
            loss = Loss.gradient(self.loss, z: z, dz: lossGradient!, batch: b, outputs: outputCount, labels: labels, targets: targets)
        }
        Loss.rGradient(self.loss, z: z, rz: UnsafePointer(rOutputs[layers.count - 1]), rdz: rLossGradient!, batch: b, outputs: outputCount)
        backpropagate(x, batch: b, r: (v, hv), accumulate: false, gradient: computeGradient)
        return loss
    }
}

/// The output layer's forward and R-forward products of `forwardWithTangent`, one core each.
/// One per network, reused.
final class OutputLayerPair<T: Scalar>: TwoParts {
    unowned(unsafe) let network: Network<T>
    var x: UnsafePointer<T>? = nil, v: UnsafePointer<T>? = nil, b = 0, rest = 1
    var z: UnsafePointer<T>? = nil
    init(_ network: Network<T>) { self.network = network }
    // Called through the protocol: specialized here, or every T operation below goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        if part == 0 { z = network.forwardLayers(x!, batch: b, training: false, from: 1) } else { network.rForward(x!, batch: b, v: v!, from: rest) }
    }
}

/// Full-data quantities: the loss is the mean over all samples, so each chunk's contribution is
/// weighted by its share of the samples. A class, so that its scratch buffer is allocated once.
public final class Objective<T: Scalar>: @unchecked Sendable {
    public let network: Network<T>
    public let x: Matrix<T>
    public let labels: [Int32]
    public let targets: [T]?
    public let chunk: Int
    let part: UnsafeMutablePointer<T>

    /// The forward pass of the last H·v, kept for the next one at the same θ (Lanczos and power
    /// iteration call H·v many times at one θ: that saves one of its three large GEMMs). Valid
    /// while the data fit one chunk, the networks that ran it (the network, and its replica for
    /// a halved product) have not run another forward pass (their `forwardGeneration`) and θ is
    /// bit-for-bit the `snapshot`. Convolutions reuse their im2col buffers as backward scratch,
    /// so networks with them always recompute.
    let snapshot: UnsafeMutablePointer<T>
    struct KeptForward { var halved: Bool; var generation: Int; var loss: Double; var replicaGeneration = 0; var replicaLoss = 0.0 }
    var cached: KeptForward? = nil
    /// The halved product (see `Network.splitsHessianVectorProduct`), made on first use.
    var halved: HalvedHessianVectorProduct<T>? = nil
    let canReuseForward: Bool

    public init(network: Network<T>, x: Matrix<T>, labels: [Int], targets: [T]? = nil, chunk: Int = 1000) {
        self.network = network; self.x = x; self.labels = labels.map { Int32($0) }; self.targets = targets; self.chunk = max(1, chunk)
        part = .allocate(capacity: max(1, network.parameterCount))
        snapshot = .allocate(capacity: max(1, network.parameterCount))
        canReuseForward = x.rows <= self.chunk && !network.layers.contains { if case .conv1d = $0.spec { return true }; return false }
        network.reserve(batch: min(self.chunk, max(1, x.rows)))
    }
    deinit { part.deallocate(); snapshot.deallocate() }

    /// Drops the kept forward pass: the next H·v recomputes it (benchmarks time both).
    public func forgetForward() { cached = nil }

    /// Whether the arenas still hold this objective's forward pass at the current θ.
    func forwardIsCurrent(halved: Bool) -> Bool {
        guard canReuseForward, let c = cached, c.halved == halved, c.generation == network.forwardGeneration else { return false }
        if halved && c.replicaGeneration != self.halved?.replica.forwardGeneration { return false }
        return memcmp(snapshot, network.parameters, network.parameterCount * MemoryLayout<T>.stride) == 0
    }

    public var sampleCount: Int { x.rows }

    /// (loss, ∇L) over all samples, evaluation mode.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func gradient() -> (loss: Double, gradient: [T]) {
        var total = [T](repeating: 0, count: network.parameterCount)
        let loss = total.withUnsafeMutableBufferPointer { gradient(into: $0.baseAddress!) }
        return (loss, total)
    }

    /// ∇L over all samples into `out`; returns the loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func gradient(into out: UnsafeMutablePointer<T>) -> Double {
        let p = network.parameterCount
        out.update(repeating: 0, count: p)
        var loss = 0.0
        forEachChunk { start, b, xp, lp, tp in
            let l = network.lossAndGradient(xp, labels: lp, targets: tp, batch: b, training: false, accumulate: false)
            let share = Double(b) / Double(sampleCount)
            loss += l * share
            T.axpy(p, T(share), network.gradient, out)
        }
        return loss
    }

    /// H·v over all samples (and the loss). Specialized: from another module the generic
    /// version fills the result array element by element through witness tables (~1 ms here).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func hessianVectorProduct(_ v: [T]) -> (loss: Double, hv: [T]) {
        precondition(v.count == network.parameterCount, "direction has \(v.count) entries for \(network.parameterCount) parameters")
        var total = [T](repeating: 0, count: network.parameterCount)
        let loss = v.withUnsafeBufferPointer { vp in total.withUnsafeMutableBufferPointer { hessianVectorProduct(vp.baseAddress!, into: $0.baseAddress!) } }
        return (loss, total)
    }

    /// H·v over all samples into `out` (allocation-free); returns the loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func hessianVectorProduct(_ v: UnsafePointer<T>, into out: UnsafeMutablePointer<T>) -> Double {
        let p = network.parameterCount
        out.update(repeating: 0, count: p)
        var loss = 0.0
        if sampleCount <= chunk && network.splitsHessianVectorProduct(sampleCount) {
            // One chunk: `part` (the chunks' scratch) is free for the first half's product.
            if halved == nil { halved = HalvedHessianVectorProduct(primary: network, replica: network.replicaNetwork(), scratch: part) }
            let h = halved!, reuse = forwardIsCurrent(halved: true)
            forEachChunk { _, b, xp, lp, tp in
                loss = h(xp, labels: lp, targets: tp, batch: b, v: v, into: out, reusingForward: reuse ? (cached!.loss, cached!.replicaLoss) : nil)
            }
            if canReuseForward && !reuse {
                cached = KeptForward(halved: true, generation: network.forwardGeneration, loss: h.losses.0,
                                     replicaGeneration: h.replica.forwardGeneration, replicaLoss: h.losses.1)
                snapshot.update(from: network.parameters, count: p)
            }
            return loss
        }
        let reuse = forwardIsCurrent(halved: false) ? cached!.loss : nil
        forEachChunk { start, b, xp, lp, tp in
            let single = b == sampleCount
            let target = single ? out : part
            if !single { part.update(repeating: 0, count: p) }
            let l = network.hessianVectorProduct(xp, labels: lp, targets: tp, batch: b, v: v, into: target, computeGradient: false, reusingForward: reuse)
            if canReuseForward && reuse == nil {
                cached = KeptForward(halved: false, generation: network.forwardGeneration, loss: l)
                snapshot.update(from: network.parameters, count: p)
            }
            let share = Double(b) / Double(sampleCount)
            loss += l * share
            if !single { T.axpy(p, T(share), part, out) }
        }
        return loss
    }

    /// Loss only (evaluation mode).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func loss() -> Double {
        var loss = 0.0
        forEachChunk { _, b, xp, lp, tp in
            let z = network.forward(xp, batch: b, training: false)
            loss += Loss.gradient(network.loss, z: z, dz: network.lossGradient!, batch: b, outputs: network.outputCount, labels: lp, targets: tp) * Double(b) / Double(sampleCount)
        }
        return loss
    }

    @inline(__always)
    func forEachChunk(_ body: (Int, Int, UnsafePointer<T>, UnsafePointer<Int32>?, UnsafePointer<T>?) -> Void) {
        x.storage.withUnsafeBufferPointer { xs in
            labels.withUnsafeBufferPointer { ls in
                (targets ?? []).withUnsafeBufferPointer { ts in
                    var start = 0
                    while start < x.rows {
                        let b = min(chunk, x.rows - start)
                        body(start, b, xs.baseAddress! + start * x.cols, ls.isEmpty ? nil : ls.baseAddress! + start,
                             targets == nil ? nil : ts.baseAddress! + start * network.outputCount)
                        start += b
                    }
                }
            }
        }
    }
}
