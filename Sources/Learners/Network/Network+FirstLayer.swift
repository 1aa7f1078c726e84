import LinearAlgebra

/// The first layer apart from the layers above it: a loss surface (`Measures/Landscape`) moves θ
/// along a few directions, and a first layer linear in its parameters (`LayerKind.isLinearInParameters`)
/// gives y(θ₀ + Σ cₖ·dₖ) = y(θ₀) + Σ cₖ·y(dₖ) — a few products for the whole grid, so each grid
/// point costs only the layers above. These passes run in evaluation mode with nothing fused,
/// so that layer 0's output buffer holds its output alone (no activation applied in it).
extension Network {
    /// Layer 0's output [b, out₀] for the b rows of x, with `p` as the layer's block of θ (weights,
    /// then biases) instead of its own; valid until the next pass.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func firstLayerOutput(_ x: UnsafePointer<T>, batch b: Int, parameters p: UnsafePointer<T>) -> UnsafePointer<
        T
    > {
        reserve(batch: b)
        arena.contents = nil
        var pass = pass(0, x, batch: b, plan: Self.unfused)
        pass.theta = p
        layers[0].kind.forward(pass, training: false, rng: &rng)
        return UnsafePointer(arena.outputs[0])
    }

    /// The mean loss of `batch` when layer 0's output is what `fill` writes into the buffer it is
    /// handed ([b, out₀]); the layers above run on it in evaluation mode (batch.x is not read).
    /// The logits stay in `logits` until the next pass.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func evaluateAboveFirstLayer(_ batch: Batch<T>, fill: (UnsafeMutablePointer<T>) -> Void) -> Double {
        let b = batch.count
        reserve(batch: b)
        arena.contents = nil
        fill(arena.outputs[0])
        for i in layers.indices.dropFirst() {
            layers[i].kind.forward(pass(i, batch.x, batch: b, plan: Self.unfused), training: false, rng: &rng)
        }
        return Loss.gradient(
            loss, z: UnsafePointer(arena.logits), dz: arena.lossGradient, batch: b, outputs: outputCount,
            labels: batch.labels, targets: batch.targets)
    }

    /// Nothing fused or halved; BLAS threads as the process set them.
    static var unfused: ExecutionPlan { ExecutionPlan() }

    /// A network of the same layers with its own copy of θ (and its own arena): a worker that
    /// may move its θ while this one stays.
    public func copy() -> Network<T> {
        let c = Network(replicaOf: self, storage: ParameterStorage(count: parameterCount))
        c.storage.write { $0.update(from: parameters, count: parameterCount) }
        c.planning = planning
        return c
    }
}
