import CBLAS
import LinearAlgebra

/// A fully connected layer: y = x·Wᵀ + b, W [out, in] row-major, then b [out], in θ.
///
/// Scratch, first layer only (the stacked product of `forwardWithTangent`):
/// values: X·[W; V]ᵀ [b, 2·out]; fixed: [W; V] [2·out, in].
public struct Dense: LayerKind {
    public let input: Shape
    public let outputs: Int
    public var output: Shape { (outputs, 1) }
    public var spec: LayerSpec { .dense(outputs: outputs) }
    public var weightCount: Int { outputs * inputFeatures }
    public var parameterCount: Int { weightCount + outputs }

    init(outputs: Int, input: Shape) throws {
        guard outputs >= 1 else { throw GenLabError.usage("a dense layer needs width ≥ 1, got \(outputs)") }
        self.outputs = outputs
        self.input = input
    }

    public func scratch(position: Int) -> (values: Int, indices: Int, fixedValues: Int) {
        position == 0 ? (2 * outputs, 0, 2 * weightCount) : (0, 0, 0)
    }
    public func trainingFlops(first: Bool) -> Double { Double(2 * weightCount) * (first ? 2 : 3) }
    /// δᵀ·R(x) and δ·V need δ; the first layer has neither (R(x) = 0, no δx).
    public func tangentReadsDelta(first: Bool) -> Bool { !first }
    /// x·Wᵀ + b (a convolution's im2col product likewise).
    public var isLinearInParameters: Bool { true }
    public func accepts(_ epilogue: Epilogue) -> Bool { true }

    /// Products this thin (a 10-class output layer) run one per core (`ExecutionPlan.pairsSkinnyProducts`):
    /// OpenBLAS loses time sharing them between its threads (see `genlab_sgemm`).
    var isSkinny: Bool { outputs <= Int(GENLAB_SKINNY) || inputFeatures <= Int(GENLAB_SKINNY) }

    func products<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>? = nil, hv: UnsafeMutablePointer<T>? = nil)
        -> DenseProducts<T>
    {
        DenseProducts(
            b: p.batch, inputs: inputFeatures, outputs: outputs, weightCount: weightCount, pass: p, v: v, hv: hv)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forward<T: Scalar>(_ p: LayerPass<T>, training: Bool, rng: inout Generator) {
        products(p).forward()
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward<T: Scalar>(_ p: LayerPass<T>, into sink: GradientSink<T>?) {
        let d = products(p)
        d.inputDelta()  // first: the fused step changes W below
        guard let s = sink else { return }
        // ∂W += α·δᵀ·x [out, in], ∂b += α·Σ_rows δ
        T.gemm(
            transA: true, transB: false, m: outputs, n: inputFeatures, k: p.batch, alpha: s.alpha, a: p.dy!,
            lda: outputs,
            b: p.x, ldb: inputFeatures, beta: 1, c: s.into, ldc: inputFeatures)
        Elementwise.addColumnSums(s.into + weightCount, p.dy!, rows: p.batch, width: outputs, alpha: s.alpha)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentForward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        products(p, v: v).tangent()
        if p.epilogue == .relu { Elementwise.reluMask(p.ry, p.y, count: p.batch * outputs) }
    }

    /// The first layer's two products share their input: X·Wᵀ and X·Vᵀ run as one GEMM,
    /// X·[W; V]ᵀ, which reads and packs X once (XLA's dot merger does the same to
    /// jit(jvp(grad))). A skinny layer's two products run one per core.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func forwardWithTangent<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, rng: inout Generator) {
        if p.rx == nil && p.plan.stacksFirstLayer {
            stackedForwardWithTangent(p, v: v)
        } else if p.plan.pairsSkinnyProducts && isSkinny {
            let pair = p.helper { DensePair<T>() }
            pair.products = products(p, v: v)
            pair.job = .forwardWithTangent
            ForkJoin.run(pair, linger: true)  // the layer's backward follows
            if p.epilogue == .relu { Elementwise.reluMask(p.ry, p.y, count: p.batch * outputs) }
        } else {
            forward(p, training: false, rng: &rng)
            tangentForward(p, v: v)
        }
    }

    func stackedForwardWithTangent<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>) {
        let o = outputs
        let fin = inputFeatures
        let wc = weightCount
        let b = p.batch
        let stackedW = p.fixedScratch!  // [2·out, in]
        let stackedY = p.scratch!  // [b, 2·out]
        // Rows start as [b | V_b] and the GEMM adds into them (β = 1): OpenBLAS would otherwise
        // zero the output in a pass of its own before the product. (These passes only move
        // memory; splitting them over the two cores measured no faster.)
        stackedW.update(from: p.theta, count: wc)
        (stackedW + wc).update(from: v, count: wc)
        for r in 0..<b {
            (stackedY + r * 2 * o).update(from: p.theta + wc, count: o)
            (stackedY + r * 2 * o + o).update(from: v + wc, count: o)
        }
        T.gemm(
            transA: false, transB: true, m: b, n: 2 * o, k: fin, alpha: 1, a: p.x, lda: fin, b: stackedW, ldb: fin,
            beta: 1, c: stackedY, ldc: 2 * o)
        // Each row's halves to y and R(y), through the ReLU above where it is fused: max(z, 0) and R(z)·[z > 0].
        Elementwise.split(stackedY, rows: b, width: o, into: p.y, and: p.ry, relu: p.epilogue == .relu)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func tangentBackward<T: Scalar>(_ p: LayerPass<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) {
        let d = products(p, v: v, hv: hv)
        if p.rdx != nil && p.plan.pairsSkinnyProducts && isSkinny {
            // The H·v block on one core, δx and R(δx) on the other.
            let pair = p.helper { DensePair<T>() }
            pair.products = d
            pair.job = .tangentBackward
            ForkJoin.run(pair, linger: false)  // big threaded products follow
        } else {
            d.inputDelta()
            d.curvature()
            d.rInputDelta()
        }
    }
}

/// A dense layer's products over one batch: x [b, in], W and V [out, in], δ and R(δ) [b, out].
struct DenseProducts<T: Scalar> {
    var b, inputs, outputs, weightCount: Int
    var pass: LayerPass<T>
    var v: UnsafePointer<T>?
    var hv: UnsafeMutablePointer<T>?

    /// y = x·Wᵀ + b, through the fused activation.
    func forward() {
        let p = pass
        T.gemm(
            transA: false, transB: true, m: b, n: outputs, k: inputs, alpha: 1, a: p.x, lda: inputs, b: p.theta,
            ldb: inputs,
            beta: 0, c: p.y, ldc: outputs)
        Elementwise.addBias(p.y, p.theta + weightCount, rows: b, width: outputs, relu: p.epilogue == .relu)
    }

    /// R(y) = x·Vᵀ + R(x)·Wᵀ + V_b (before the fused activation's mask).
    func tangent() {
        let p = pass
        let vw = v!
        T.gemm(
            transA: false, transB: true, m: b, n: outputs, k: inputs, alpha: 1, a: p.x, lda: inputs, b: vw, ldb: inputs,
            beta: 0, c: p.ry, ldc: outputs)
        if let rx = p.rx {
            T.gemm(
                transA: false, transB: true, m: b, n: outputs, k: inputs, alpha: 1, a: rx, lda: inputs, b: p.theta,
                ldb: inputs, beta: 1, c: p.ry, ldc: outputs)
        }
        Elementwise.addBias(p.ry, vw + weightCount, rows: b, width: outputs, relu: false)
    }

    /// δx = δ·W
    func inputDelta() {
        guard let dx = pass.dx else { return }
        T.gemm(
            transA: false, transB: false, m: b, n: inputs, k: outputs, alpha: 1, a: pass.dy!, lda: outputs,
            b: pass.theta, ldb: inputs,
            beta: 0, c: dx, ldc: inputs)
    }

    /// This layer's block of H·v: R(δ)ᵀ·x + δᵀ·R(x), and Σ R(δ) for the bias.
    func curvature() {
        let p = pass
        let hw = hv!
        T.gemm(
            transA: true, transB: false, m: outputs, n: inputs, k: b, alpha: 1, a: p.rdy, lda: outputs, b: p.x,
            ldb: inputs, beta: 1, c: hw, ldc: inputs)
        if let rx = p.rx {
            T.gemm(
                transA: true, transB: false, m: outputs, n: inputs, k: b, alpha: 1, a: p.dy!, lda: outputs, b: rx,
                ldb: inputs, beta: 1, c: hw, ldc: inputs)
        }
        Elementwise.addColumnSums(hw + weightCount, p.rdy, rows: b, width: outputs, alpha: 1)
    }

    /// R(δx) = R(δ)·W + δ·V
    func rInputDelta() {
        guard let rdx = pass.rdx else { return }
        T.gemm(
            transA: false, transB: false, m: b, n: inputs, k: outputs, alpha: 1, a: pass.rdy, lda: outputs,
            b: pass.theta, ldb: inputs, beta: 0, c: rdx, ldc: inputs)
        T.gemm(
            transA: false, transB: false, m: b, n: inputs, k: outputs, alpha: 1, a: pass.dy!, lda: outputs, b: v!,
            ldb: inputs, beta: 1, c: rdx, ldc: inputs)
    }
}

/// A skinny dense layer's independent products, one per core (`ForkJoin`). One per layer, reused.
final class DensePair<T: Scalar>: TwoParts {
    enum Job { case forwardWithTangent, tangentBackward }
    var products: DenseProducts<T>? = nil
    var job = Job.forwardWithTangent
    // Called through the protocol: specialized here, or every T operation below goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        let d = products!
        switch (job, part) {
        case (.forwardWithTangent, 0): d.forward()
        case (.forwardWithTangent, _): d.tangent()
        case (.tangentBackward, 0): d.curvature()
        case (.tangentBackward, _):
            d.inputDelta()
            d.rInputDelta()
        }
    }
}
