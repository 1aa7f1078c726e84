import LinearAlgebra

/// A batch of `count` samples cut in two: the network takes the first ⌈count/2⌉, its replica
/// the rest. Each half's mean (loss, gradient, H·v) is weighted by its share of the batch, so
/// the two give the batch mean, as one pass does (to rounding).
struct Halves {
    var first = 0, second = 0
    init(_ count: Int) {
        first = (count + 1) / 2
        second = count - first
    }
    init() {}
    func rows(_ part: Int) -> Range<Int> { part == 0 ? 0..<first : first..<(first + second) }
    func weights<T: Scalar>(_: T.Type = T.self) -> (T, T) {
        let b = T(first + second)
        return (T(first) / b, T(second) / b)
    }
    func mean(_ losses: (Double, Double)) -> Double {
        (Double(first) * losses.0 + Double(second) * losses.1) / Double(first + second)
    }
    /// The entries of an n-vector each core combines.
    static func share(_ part: Int, of n: Int) -> Range<Int> { part == 0 ? 0..<(n / 2) : (n / 2)..<n }
}

extension Network {
    /// The halved passes, made on first use.
    func halves() -> TwoCores<T> {
        if let t = twoCores { return t }
        let t = TwoCores(primary: self)
        twoCores = t
        return t
    }
}

/// Passes over two halves of a batch at once (`Halves`), one per core with one BLAS thread each
/// (`ExecutionPlan.halvesSteps`, `halvesCurvature`): the network takes the first half, a replica
/// that reads the same θ the second; the pass that combines them is split over the cores too.
final class TwoCores<T: Scalar>: TwoParts {
    unowned(unsafe) let primary: Network<T>
    let replica: Network<T>
    /// The first half's H·v (the second half's goes into the replica's gradient buffer, which H·v leaves unused).
    let firstProduct: UnsafeMutablePointer<T>

    enum Source {
        case contiguous(Batch<T>)
        case rows(BatchRows<T>, count: Int)
    }
    enum Job {
        case gradients
        case step(T)
        case combineGradients, products, combineProducts
    }
    var job = Job.gradients
    var source: Source? = nil
    var halves = Halves(), training = false, plan = ExecutionPlan()
    var v: UnsafePointer<T>? = nil, hv: UnsafeMutablePointer<T>? = nil
    var losses = (0.0, 0.0)

    init(primary: Network<T>) {
        self.primary = primary
        replica = Network(replicaOf: primary)
        firstProduct = Carver.zeros(primary.parameterCount)
    }
    deinit { firstProduct.deallocate() }

    /// Loss and gradient (into the primary's `gradient`), or with `step: η` the step θ ← θ − η·∇
    /// taken in the pass that combines the halves.
    func gradient(_ source: Source, training: Bool, step eta: T?, plan: ExecutionPlan) -> Double {
        self.source = source
        self.training = training
        self.plan = plan.forOneHalf
        switch source {
        case .contiguous(let b): halves = Halves(b.count)
        case .rows(_, let n): halves = Halves(n)
        }
        job = .gradients
        ForkJoin.run(self, linger: true)
        if let eta {
            job = .step(eta)
            primary.storage.write { _ in ForkJoin.run(self, linger: true) }
        } else {
            job = .combineGradients
            ForkJoin.run(self, linger: true)
        }
        return halves.mean(losses)
    }

    /// Adds H·v into `hv` and returns the loss; each half may reuse the forward pass its arena keeps.
    func hessianVectorProduct(
        _ batch: Batch<T>, v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>, plan: ExecutionPlan
    ) -> Double {
        source = .contiguous(batch)
        self.v = v
        self.hv = hv
        self.plan = plan.forOneHalf
        halves = Halves(batch.count)
        job = .products
        ForkJoin.run(self, linger: true)
        job = .combineProducts
        ForkJoin.run(self, linger: false)
        return halves.mean(losses)
    }

    /// This core's half of the batch, gathered by the network that computes it.
    func half(_ part: Int, of net: Network<T>) -> Batch<T> {
        switch source! {
        case .rows(let rows, _): return net.gather(rows, halves.rows(part))
        case .contiguous(let b): return b.rows(halves.rows(part), inputs: net.inputFeatures, outputs: net.outputCount)
        }
    }

    // Called through the protocol: specialized here, or every T operation below goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        let net = part == 0 ? primary : replica
        let n = primary.parameterCount
        let (w1, w2) = halves.weights(T.self)
        switch job {
        case .gradients:
            let loss = net.lossAndGradientInOnePass(half(part, of: net), training: training, step: nil, plan: plan)
            if part == 0 { losses.0 = loss } else { losses.1 = loss }
        case .step(let eta):
            let a1 = eta * w1
            let a2 = eta * w2
            let p = primary.storage.values
            let g1 = UnsafePointer(primary.gradient)
            let g2 = UnsafePointer(replica.gradient)
            for j in Halves.share(part, of: n) { p[j] -= a1 * g1[j] + a2 * g2[j] }
        case .combineGradients:
            let g1 = primary.gradient
            let g2 = UnsafePointer(replica.gradient)
            for j in Halves.share(part, of: n) { g1[j] = w1 * g1[j] + w2 * g2[j] }
        case .products:
            let into = part == 0 ? firstProduct : replica.gradient
            into.update(repeating: 0, count: n)
            let loss = net.hessianVectorProductInOnePass(half(part, of: net), v: v!, into: into, plan: plan)
            if part == 0 { losses.0 = loss } else { losses.1 = loss }
        case .combineProducts:
            let out = hv!
            let s1 = UnsafePointer(firstProduct)
            let s2 = UnsafePointer(replica.gradient)
            for j in Halves.share(part, of: n) { out[j] += w1 * s1[j] + w2 * s2[j] }
        }
    }
}
