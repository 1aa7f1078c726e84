import CBLAS
import LinearAlgebra

/// A batch in memory: x [b, inputs], labels [b] (classification) or targets [b, K] (regression).
public struct Batch<T: Scalar> {
    public var x: UnsafePointer<T>
    public var labels: UnsafePointer<Int32>?
    public var targets: UnsafePointer<T>?
    public var count: Int
    /// Names these rows for a kept forward pass (`ExecutionPlan.keepsForwardPass`); nil: never kept.
    public var identity: BatchIdentity?
    public init(
        x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, count: Int,
        identity: BatchIdentity? = nil
    ) {
        self.x = x
        self.labels = labels
        self.targets = targets
        self.count = count
        self.identity = identity
    }

    /// Rows `r` of this batch.
    func rows(_ r: Range<Int>, inputs d: Int, outputs k: Int) -> Batch {
        Batch(
            x: x + r.lowerBound * d, labels: labels.map { $0 + r.lowerBound },
            targets: targets.map { $0 + r.lowerBound * k }, count: r.count,
            identity: identity.map { BatchIdentity(source: $0.source, start: $0.start + r.lowerBound, count: r.count) })
    }
}

/// A batch given as rows of a data set: sample i of the batch is row `indices[i]` of `x` (and
/// of `labels` and `targets`, [n, outputs], where given). The network gathers the rows itself,
/// so that a halved step gathers each half on the core that computes it.
public struct BatchRows<T: Scalar> {
    public var x: UnsafePointer<T>
    public var labels: UnsafePointer<Int32>?
    public var targets: UnsafePointer<T>?
    public var indices: UnsafePointer<Int>
    public init(
        x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, indices: UnsafePointer<Int>
    ) {
        self.x = x
        self.labels = labels
        self.targets = targets
        self.indices = indices
    }
}

/// The entry points: each runs one kind of pass over a batch, under the plan for that batch.
extension Network {
    /// The logits [b, K] of a batch (valid until the next pass). Dropout is active only when `training`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @discardableResult
    public func forward(_ x: UnsafePointer<T>, batch b: Int, training: Bool) -> UnsafePointer<T> {
        let plan = plan(batch: b)
        reserve(batch: b)
        arena.contents = nil
        return plan.withThreads { forwardSweep(x, batch: b, training: training, plan: plan) }
    }

    /// The batch's mean loss in evaluation mode; its logits are in `arena` (`logits`) until the next pass.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func evaluate(_ batch: Batch<T>) -> Double {
        let plan = plan(batch: batch.count)
        return plan.withThreads { forwardAndLoss(batch, training: false, plan: plan) }
    }

    /// The logits of the last pass, [b, K].
    public var logits: UnsafePointer<T> { UnsafePointer(arena.logits) }

    /// The batch's mean loss; ∂L/∂θ overwrites `gradient`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func lossAndGradient(_ batch: Batch<T>, training: Bool) -> Double {
        let plan = plan(batch: batch.count)
        if plan.halvesSteps && batch.count >= 2 {
            return halves().gradient(.contiguous(batch), training: training, step: nil, plan: plan)
        }
        return plan.withThreads { lossAndGradientInOnePass(batch, training: training, step: nil, plan: plan) }
    }

    /// `lossAndGradient` of the batch of `rows`, gathered by the network (each half on its own core when halved).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func lossAndGradient(rows: BatchRows<T>, count b: Int, training: Bool) -> Double {
        let plan = plan(batch: b)
        if plan.halvesSteps && b >= 2 {
            return halves().gradient(.rows(rows, count: b), training: training, step: nil, plan: plan)
        }
        return plan.withThreads {
            lossAndGradientInOnePass(gather(rows, 0..<b), training: training, step: nil, plan: plan)
        }
    }

    /// One optimizer step on the batch of `rows`; returns the batch loss (before the step).
    /// Plain SGD (no momentum or decay) is fused into the backward pass where the plan allows;
    /// otherwise a non-finite loss skips the step.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func step(
        rows: BatchRows<T>, count b: Int, optimizer: Optimizer<T>, learningRate: Double, training: Bool = true
    ) -> Double {
        let plan = plan(batch: b)
        let eta: T? = plan.fusesStep && optimizer.isPlainSGD ? T(learningRate) : nil
        let loss: Double
        if plan.halvesSteps && b >= 2 {
            loss = halves().gradient(.rows(rows, count: b), training: training, step: eta, plan: plan)
        } else {
            loss = plan.withThreads {
                lossAndGradientInOnePass(gather(rows, 0..<b), training: training, step: eta, plan: plan)
            }
        }
        // A non-finite loss leaves θ as it was (the fused step has already moved it).
        if eta == nil && loss.isFinite { apply(optimizer, learningRate: learningRate) }
        return loss
    }

    /// One optimizer step from the gradient in `gradient`.
    public func apply(_ optimizer: Optimizer<T>, learningRate: Double) {
        storage.write { optimizer.step($0, gradient, learningRate: learningRate) }
    }

    /// Adds the Hessian-vector product H·v of the batch's mean loss (evaluation mode, exact to
    /// rounding by the R-operator) into `hv`; returns the loss. A forward pass kept in the arena
    /// for this batch and θ is reused (`ExecutionPlan.keepsForwardPass`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func hessianVectorProduct(_ batch: Batch<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>) -> Double
    {
        let plan = plan(batch: batch.count)
        if plan.halvesCurvature && batch.count >= 2 {
            return halves().hessianVectorProduct(batch, v: v, into: hv, plan: plan)
        }
        return plan.withThreads { hessianVectorProductInOnePass(batch, v: v, into: hv, plan: plan) }
    }

    // MARK: One pass each

    func forwardAndLoss(_ batch: Batch<T>, training: Bool, plan: ExecutionPlan) -> Double {
        let b = batch.count
        reserve(batch: b)
        let z = forwardSweep(batch.x, batch: b, training: training, plan: plan)
        let loss = Loss.gradient(
            self.loss, z: z, dz: arena.lossGradient, batch: b, outputs: outputCount, labels: batch.labels,
            targets: batch.targets)
        // A training pass (dropout) is never kept; nor is one of unnamed rows.
        arena.contents =
            training ? nil : batch.identity.map { (ForwardState(parameters: storage.version, batch: $0), loss) }
        return loss
    }

    /// With `step: η` the step θ ← θ − η·∇ is taken inside the backward products instead.
    func lossAndGradientInOnePass(_ batch: Batch<T>, training: Bool, step eta: T?, plan: ExecutionPlan) -> Double {
        let loss = forwardAndLoss(batch, training: training, plan: plan)
        if let eta {
            storage.write {
                backwardSweep(batch.x, batch: batch.count, into: GradientSink(into: $0, alpha: -eta), plan: plan)
            }
        } else {
            // OpenBLAS scales C by β = 0 in a separate slow pass; zeroing first and β = 1 is faster.
            gradient.update(repeating: 0, count: parameterCount)
            backwardSweep(batch.x, batch: batch.count, into: GradientSink(into: gradient, alpha: 1), plan: plan)
        }
        return loss
    }

    func hessianVectorProductInOnePass(
        _ batch: Batch<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>, plan: ExecutionPlan
    ) -> Double {
        let b = batch.count
        reserve(batch: b)
        let loss: Double
        if plan.keepsForwardPass, let id = batch.identity, let kept = arena.contents,
            kept.state == ForwardState(parameters: storage.version, batch: id)
        {
            loss = kept.loss
            tangentForwardSweep(batch.x, batch: b, v: v, plan: plan)
        } else {
            let z = forwardWithTangentSweep(batch.x, batch: b, v: v, plan: plan)
            loss = Loss.gradient(
                self.loss, z: z, dz: arena.lossGradient, batch: b, outputs: outputCount, labels: batch.labels,
                targets: batch.targets)
            arena.contents = batch.identity.map { (ForwardState(parameters: storage.version, batch: $0), loss) }
        }
        Loss.tangent(
            self.loss, z: logits, rz: UnsafePointer(arena.tangents[layers.count - 1]), rdz: arena.lossTangent, batch: b,
            outputs: outputCount)
        tangentBackwardSweep(batch.x, batch: b, v: v, into: hv, plan: plan)
        return loss
    }

    /// Copies samples `indices[range]` of `rows` into the arena's batch buffers, from 0 on.
    func gather(_ rows: BatchRows<T>, _ range: Range<Int>) -> Batch<T> {
        reserve(batch: range.count)
        let d = inputFeatures
        let k = outputCount
        let x = arena.batchInput!
        let labels = arena.batchLabels!
        let targets = arena.batchTargets!
        for (r, j) in range.enumerated() {
            let i = rows.indices[j]
            // The rows are scattered over the data set: ask for the next one early.
            if j + 1 < range.upperBound {
                genlab_prefetch(rows.x + rows.indices[j + 1] * d, d * MemoryLayout<T>.stride)
            }
            (x + r * d).update(from: rows.x + i * d, count: d)
            if let l = rows.labels { labels[r] = l[i] }
            if let t = rows.targets { (targets + r * k).update(from: t + i * k, count: k) }
        }
        return Batch(
            x: UnsafePointer(x), labels: rows.labels == nil ? nil : UnsafePointer(labels),
            targets: rows.targets == nil ? nil : UnsafePointer(targets), count: range.count)
    }
}
