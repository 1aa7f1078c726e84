import LinearAlgebra

extension Network {
    /// Backward pass for the batch last sent through `forward`: adds ∂L/∂θ into `gradient`,
    /// starting from ∂L/∂logits in `lossGradient`. With `r` (the R-operator of Pearlmutter 1994)
    /// it also adds H·v into `r.hv`, starting from R(∂L/∂logits) in `rLossGradient`, using the
    /// R-forward values of `rForward`. The input's own gradient is never formed.
    /// With `accumulate: false` the gradient is overwritten instead. With `sgdStep: η` the
    /// gradient is never stored: each layer's weights take the step θ ← θ − η·∂L/∂θ inside the
    /// GEMM that forms it (after the layer's input gradient used the old weights) — plain SGD
    /// with one pass over the parameters instead of three.
    /// With `gradient: false` (H·v alone) the weight gradients are not formed at all.
    func backpropagate(_ x: UnsafePointer<T>, batch b: Int, r: (v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>)? = nil,
                       accumulate: Bool = true, sgdStep: T? = nil, gradient wantGradient: Bool = true) {
        // OpenBLAS scales C by β = 0 in a separate slow pass; zeroing first and β = 1 is faster.
        if !accumulate && sgdStep == nil && wantGradient { gradient.update(repeating: 0, count: parameterCount) }
        let gBeta: T = 1
        let gAlpha: T = sgdStep.map { -$0 } ?? 1
        // δ: gradient w.r.t. the current layer's output; starts as ∂L/∂logits.
        var d = lossGradient!, rd = rLossGradient!
        var slot = 0
        // H·v alone needs δ only where a layer below uses it: a lower dense layer's R-terms
        // δ·R(x) and δ·V, or tanh's curvature term. Below the last such layer, e.g. from the
        // output layer of mlp:256 down to its first dense layer, only R(δ) is carried.
        let lowestDeltaUse = wantGradient || r == nil ? 0 : lowestLayerUsingDelta()
        var deltaLive = true
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let l = layers[i]
            let input = layerInput(i, x)
            let rInput: UnsafePointer<T>? = i == 0 ? nil : UnsafePointer(rOutputs[i - 1])
            let w = UnsafePointer(parameters + l.parameterOffset)
            // The fused SGD step writes into the parameters themselves.
            let g = (sgdStep == nil ? gradient : parameters) + l.parameterOffset
            let n = b * l.outputFeatures
            let needInputDelta = i > 0
            let next = delta[slot], rNext = rDelta[slot]
            switch l.spec {
            case .relu:
                let y = outputs[i]
                if deltaLive { Elementwise.reluMask(d, y, count: n) }
                if r != nil { Elementwise.reluMask(rd, y, count: n) }
                continue  // in place: δ stays in the same buffer
            case .tanh:
                let y = outputs[i]
                if r != nil {
                    // R(δx) = σ'·R(δy) + σ''(x)·R(x)·δy, with σ''(x)·R(x) = −2y·R(y).
                    let ry = rOutputs[i]
                    for j in 0..<n { let s = 1 - y[j] * y[j]; rd[j] = s * rd[j] - 2 * y[j] * ry[j] * d[j] }
                }
                for j in 0..<n { d[j] *= 1 - y[j] * y[j] }
                continue
            case .dropout:
                let m = masks[i]!
                if deltaLive { for j in 0..<n { d[j] *= m[j] } }
                if r != nil { for j in 0..<n { rd[j] *= m[j] } }
                continue
            case .dense(let o):
                let fin = l.inputFeatures
                if needInputDelta && i <= lowestDeltaUse { deltaLive = false }
                var products = DenseBackward(b: b, inputs: l.inputFeatures, outputs: o, weightCount: l.weightCount, delta: d, rDelta: rd,
                                             input: input, rInput: rInput, w: w, formDelta: needInputDelta && deltaLive,
                                             needInputDelta: needInputDelta, next: next, rNext: rNext)
                if let (v, hv) = r {
                    products.v = v + l.parameterOffset; products.hv = hv + l.parameterOffset
                    if needInputDelta && ForkJoin.isSkinny(l) {
                        // The layer's H·v block on one core, R(δx) and δx on the other.
                        if denseBackwardPair == nil { denseBackwardPair = DenseBackwardPair() }
                        denseBackwardPair!.products = products
                        ForkJoin.run(denseBackwardPair!, linger: false)  // big threaded products follow
                    } else {
                        products.inputDelta(); products.curvature(); products.rInputDelta()
                    }
                } else {
                    products.inputDelta()
                }
                // ∂W += δᵀ·x, ∂b += Σ δ (or θ −= η·that)
                if wantGradient {
                    T.gemm(transA: true, transB: false, m: o, n: fin, k: b, alpha: gAlpha, a: d, lda: o, b: input, ldb: fin, beta: gBeta, c: g, ldc: fin)
                    Elementwise.addColumnSums(g + l.weightCount, d, rows: b, width: o, alpha: gAlpha)
                }
            case .conv1d(let cout, let k, let s, let p):
                let cin = l.input.channels, lin = l.input.length, lout = l.output.length, width = cin * k
                let col = columns[i]!, dyt = transposed[i]!
                // δ in [b·lout, cout] layout, as the forward GEMM produced it.
                for rr in 0..<b { for o in 0..<cout { for t in 0..<lout { dyt[(rr * lout + t) * cout + o] = d[(rr * cout + o) * lout + t] } } }
                if wantGradient {
                    T.gemm(transA: true, transB: false, m: cout, n: width, k: b * lout, alpha: gAlpha, a: dyt, lda: cout, b: col, ldb: width, beta: gBeta, c: g, ldc: width)
                    let gb = g + l.weightCount
                    for j in 0..<(b * lout) { for o in 0..<cout { gb[o] += gAlpha * dyt[j * cout + o] } }
                }
                if let (v, hv) = r {
                    let hw = hv + l.parameterOffset, vw = v + l.parameterOffset
                    let rcol = rColumns[i]!
                    // R(δ) transposed into the output buffer's R twin (free at this point).
                    let rdyt = rOutputs[i]
                    for rr in 0..<b { for o in 0..<cout { for t in 0..<lout { rdyt[(rr * lout + t) * cout + o] = rd[(rr * cout + o) * lout + t] } } }
                    T.gemm(transA: true, transB: false, m: cout, n: width, k: b * lout, alpha: 1, a: rdyt, lda: cout, b: col, ldb: width, beta: 1, c: hw, ldc: width)
                    if rInput != nil {
                        T.gemm(transA: true, transB: false, m: cout, n: width, k: b * lout, alpha: 1, a: dyt, lda: cout, b: rcol, ldb: width, beta: 1, c: hw, ldc: width)
                    }
                    let hb = hw + l.weightCount
                    for j in 0..<(b * lout) { for o in 0..<cout { hb[o] += rdyt[j * cout + o] } }
                    if needInputDelta {
                        // R(δcol) = R(δ)·W + δ·V, reusing rcol as scratch, then scattered back.
                        T.gemm(transA: false, transB: false, m: b * lout, n: width, k: cout, alpha: 1, a: rdyt, lda: cout, b: w, ldb: width, beta: 0, c: rcol, ldc: width)
                        T.gemm(transA: false, transB: false, m: b * lout, n: width, k: cout, alpha: 1, a: dyt, lda: cout, b: vw, ldb: width, beta: 1, c: rcol, ldc: width)
                        Self.col2im(rcol, rNext, b, cin, lin, lout, k, s, p)
                    }
                }
                if needInputDelta {
                    T.gemm(transA: false, transB: false, m: b * lout, n: width, k: cout, alpha: 1, a: dyt, lda: cout, b: w, ldb: width, beta: 0, c: col, ldc: width)
                    Self.col2im(col, next, b, cin, lin, lout, k, s, p)
                }
            case .maxPool:
                let am = argmax[i]!, c = l.input.channels, lin = l.input.length, lout = l.output.length
                for j in 0..<(b * c * lin) { next[j] = 0 }
                if r != nil { for j in 0..<(b * c * lin) { rNext[j] = 0 } }
                for rr in 0..<b {
                    for ch in 0..<c {
                        let base = (rr * c + ch) * lout, src = (rr * c + ch) * lin
                        for t in 0..<lout {
                            next[src + Int(am[base + t])] += d[base + t]
                            if r != nil { rNext[src + Int(am[base + t])] += rd[base + t] }
                        }
                    }
                }
            }
            if needInputDelta { d = next; rd = rNext; slot = 1 - slot }
        }
    }

    /// The index of the lowest layer whose backward pass reads δ when only H·v is wanted (no
    /// gradient): a dense layer above the first, or tanh (its R-rule has σ''·δ). A first dense
    /// layer reads only R(δ); ReLU and dropout pass δ through. Convolutions count as readers.
    func lowestLayerUsingDelta() -> Int {
        for (i, l) in layers.enumerated() {
            switch l.spec {
            case .relu, .dropout: continue
            case .dense: if i == 0 { continue }
            default: break
            }
            return i
        }
        return layers.count
    }
}

/// The products of a dense layer's backward pass, [b, inputs] → [b, outputs] with W [outputs, inputs].
struct DenseBackward<T: Scalar> {
    var b, inputs, outputs, weightCount: Int
    /// δ and R(δ) at the layer's output, its input x and R(x) (nil for the first layer).
    var delta, rDelta: UnsafeMutablePointer<T>
    var input: UnsafePointer<T>
    var rInput: UnsafePointer<T>?
    var w: UnsafePointer<T>
    /// Whether δx is wanted (H·v alone skips it below its last reader), and R(δx).
    var formDelta, needInputDelta: Bool
    var next, rNext: UnsafeMutablePointer<T>
    /// The layer's blocks of the direction V and of H·v.
    var v: UnsafePointer<T>? = nil
    var hv: UnsafeMutablePointer<T>? = nil

    /// δx = δ·W; first, because a fused SGD step changes W after it.
    func inputDelta() {
        guard formDelta else { return }
        T.gemm(transA: false, transB: false, m: b, n: inputs, k: outputs, alpha: 1, a: delta, lda: outputs, b: w, ldb: inputs, beta: 0, c: next, ldc: inputs)
    }

    /// This layer's block of H·v: R(δ)ᵀ·x + δᵀ·R(x), and R(δ) summed for the bias.
    func curvature() {
        let hw = hv!
        T.gemm(transA: true, transB: false, m: outputs, n: inputs, k: b, alpha: 1, a: rDelta, lda: outputs, b: input, ldb: inputs, beta: 1, c: hw, ldc: inputs)
        if let ri = rInput {
            T.gemm(transA: true, transB: false, m: outputs, n: inputs, k: b, alpha: 1, a: delta, lda: outputs, b: ri, ldb: inputs, beta: 1, c: hw, ldc: inputs)
        }
        Elementwise.addColumnSums(hw + weightCount, rDelta, rows: b, width: outputs, alpha: 1)
    }

    /// R(δx) = R(δ)·W + δ·V
    func rInputDelta() {
        guard needInputDelta else { return }
        T.gemm(transA: false, transB: false, m: b, n: inputs, k: outputs, alpha: 1, a: rDelta, lda: outputs, b: w, ldb: inputs, beta: 0, c: rNext, ldc: inputs)
        T.gemm(transA: false, transB: false, m: b, n: inputs, k: outputs, alpha: 1, a: delta, lda: outputs, b: v!, ldb: inputs, beta: 1, c: rNext, ldc: inputs)
    }
}

/// A dense layer's H·v block on one core, its R(δx) and δx on the other (`ForkJoin`): the
/// skinny products of a 10-class output layer. One per network, reused.
final class DenseBackwardPair<T: Scalar>: TwoParts {
    var products: DenseBackward<T>? = nil
    // Called through the protocol: specialized here, or every T operation below goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        if part == 0 { products!.curvature() } else { products!.inputDelta(); products!.rInputDelta() }
    }
}
