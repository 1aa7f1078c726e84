import LinearAlgebra

/// The sweeps of one pass over a batch, up or down the layers: each layer's pass from its file,
/// in the arena's buffers, under a plan. The entry points (`Network+Passes`) compose them.
extension Network {
    /// Layer i's buffers for a batch of b samples whose input is x. `carriesDelta`: δ at the
    /// layer's output is live; `wantsInputDelta`: δ at its input is wanted.
    @inline(__always)
    func pass(
        _ i: Int, _ x: UnsafePointer<T>, batch b: Int, plan: ExecutionPlan,
        carriesDelta: Bool = true, wantsInputDelta: Bool = true
    ) -> LayerPass<T> {
        let a = arena
        let l = layers[i]
        return LayerPass(
            batch: b, x: i == 0 ? x : UnsafePointer(a.outputs[i - 1]), y: a.outputs[i],
            rx: i == 0 ? nil : UnsafePointer(a.tangents[i - 1]), ry: a.tangents[i],
            dy: carriesDelta ? a.deltas[i] : nil, dx: i > 0 && wantsInputDelta ? a.deltas[i - 1] : nil,
            rdy: a.tangentDeltas[i], rdx: i == 0 ? nil : a.tangentDeltas[i - 1],
            theta: parameters + l.parameterOffset, scratch: a.scratch[i], indices: a.indices[i],
            fixedScratch: a.fixedScratch[i],
            epilogue: epilogue(after: i, plan), plan: plan, arena: a, index: i)
    }

    /// The activation above layer i that layer i applies in its output pass, if the plan fuses it.
    @inline(__always)
    func epilogue(after i: Int, _ plan: ExecutionPlan) -> Epilogue? {
        guard plan.fusesActivations, i + 1 < layers.count, let e = layers[i + 1].kind.epilogue,
            layers[i].kind.accepts(e)
        else { return nil }
        return e
    }

    /// Whether layer i's forward passes were done by the layer below (`epilogue(after:)`).
    @inline(__always)
    func isApplied(_ i: Int, _ plan: ExecutionPlan) -> Bool { i > 0 && epilogue(after: i - 1, plan) != nil }

    /// y for every layer; returns the logits [b, K].
    func forwardSweep(_ x: UnsafePointer<T>, batch b: Int, training: Bool, plan: ExecutionPlan) -> UnsafePointer<T> {
        for i in layers.indices where !isApplied(i, plan) {
            layers[i].kind.forward(pass(i, x, batch: b, plan: plan), training: training, rng: &rng)
        }
        return UnsafePointer(arena.logits)
    }

    /// y and R(y) for every layer (evaluation mode).
    func forwardWithTangentSweep(_ x: UnsafePointer<T>, batch b: Int, v: UnsafePointer<T>, plan: ExecutionPlan)
        -> UnsafePointer<T>
    {
        for i in layers.indices where !isApplied(i, plan) {
            layers[i].kind.forwardWithTangent(
                pass(i, x, batch: b, plan: plan), v: v + layers[i].parameterOffset, rng: &rng)
        }
        return UnsafePointer(arena.logits)
    }

    /// R(y) for every layer, given y.
    func tangentForwardSweep(_ x: UnsafePointer<T>, batch b: Int, v: UnsafePointer<T>, plan: ExecutionPlan) {
        for i in layers.indices where !isApplied(i, plan) {
            layers[i].kind.tangentForward(pass(i, x, batch: b, plan: plan), v: v + layers[i].parameterOffset)
        }
    }

    /// δ down every layer from ∂L/∂z, with α·∂L/∂θ added into `sink` (∇ or θ).
    func backwardSweep(_ x: UnsafePointer<T>, batch b: Int, into sink: GradientSink<T>, plan: ExecutionPlan) {
        for i in layers.indices.reversed() {
            let l = layers[i]
            layers[i].kind.backward(
                pass(i, x, batch: b, plan: plan),
                into: GradientSink(into: sink.into + l.parameterOffset, alpha: sink.alpha))
        }
    }

    /// R(δ) down every layer from R(∂L/∂z), adding H·v into `hv`. δ is carried only as far down as
    /// a layer reads it (`LayerKind.tangentReadsDelta`): below the output layer of mlp:W, only R(δ).
    func tangentBackwardSweep(
        _ x: UnsafePointer<T>, batch b: Int, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>, plan: ExecutionPlan
    ) {
        let lowest = layers.indices.first { layers[$0].kind.tangentReadsDelta(first: $0 == 0) } ?? layers.count
        for i in layers.indices.reversed() {
            let p = pass(i, x, batch: b, plan: plan, carriesDelta: lowest <= i, wantsInputDelta: lowest < i)
            layers[i].kind.tangentBackward(p, v: v + layers[i].parameterOffset, into: hv + layers[i].parameterOffset)
        }
    }
}
