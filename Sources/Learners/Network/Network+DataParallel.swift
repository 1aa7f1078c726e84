import CBLAS
import LinearAlgebra

extension Network {
    /// Whether a training step over `b` samples runs as two half batches, one per core with one
    /// BLAS thread each, instead of one batch whose products OpenBLAS shares between its threads.
    /// For a small network each product is a few MFLOP and OpenBLAS's hand-over between its
    /// threads costs about as much as the work it shares; two halves hand over twice per step,
    /// and the code between the products (the batch gather, bias, ReLU, softmax, im2col) runs
    /// on both cores too. The price is a second gradient, combined in one pass over the
    /// parameters, which stops paying once the parameters outgrow the cache and OpenBLAS's
    /// threads have big products to share (`splitBelowFlopsPerStep`).
    public func splitsBatch(_ b: Int) -> Bool {
        halves(b, automatically: Double(b) * flopsPerSample < Network.splitBelowFlopsPerStep)
    }

    /// Whether an H·v over `b` samples runs as two halves, one per core (`Objective`). Measured
    /// for mlp:256 on 1,000 Fashion-MNIST images (203k parameters), from scratch, alternating
    /// six times: median 9.5 ms halved vs 11.1 ms in one pass, whose OpenBLAS-threaded products
    /// are again fast in some processes and slow in others. Not measured beyond a million
    /// parameters, where the pass that combines the halves grows (as for training at W = 4096).
    public func splitsHessianVectorProduct(_ b: Int) -> Bool {
        halves(b, automatically: parameterCount <= 1_000_000)
    }

    /// Halving needs several BLAS threads and two halves worth a core each; `halving` decides
    /// the rest, `automatic` by the measured rule of the caller.
    private func halves(_ b: Int, automatically: @autoclosure () -> Bool) -> Bool {
        guard BLAS.threads > 1, b >= 2 * Network.minimumHalf else { return false }
        switch halving {
        case .never: return false
        case .always: return true
        case .automatic: return automatically()
        }
    }

    /// Below this many FLOPs per training step the step is halved between the cores. Measured
    /// on the 2-core reference machine, 784→W→10 at batch 128, samples/s halved vs not
    /// (`genlab bench train --halving always|never`, alternating, three runs): W = 64 (26 MFLOP
    /// per step) 434–490k vs 287–412k; W = 128 255–283k vs 168–273k; W = 256 (105 MFLOP)
    /// 142–144k vs 96–141k; W = 512 (209 MFLOP) 58–75k vs 73–77k; W = 1024 28–34k vs 37–40k;
    /// W = 4096 7.5k vs 8.1–9.8k. Halved steps are also steadier: OpenBLAS's own split of a
    /// small product is fast in some processes and a third slower in others.
    static var splitBelowFlopsPerStep: Double { 150e6 }
    /// The smallest half batch worth a core of its own.
    static var minimumHalf: Int { 16 }

    /// Forward and backward FLOPs per sample of the products (2·m·n·k each), no input gradient of layer 0.
    var flopsPerSample: Double {
        var f = 0.0
        for (i, l) in layers.enumerated() {
            switch l.spec {
            case .dense: f += Double(2 * l.weightCount) * (i == 0 ? 2 : 3)
            case .conv1d: f += Double(2 * l.weightCount * l.output.length) * (i == 0 ? 2 : 3)
            default: break
            }
        }
        return f
    }

    /// The network that computes the second half of a halved step or H·v, made on first use:
    /// it shares this network's parameters and has its own gradient, arena and dropout stream.
    func replicaNetwork() -> Network<T> {
        if let r = replica { return r }
        let r = Network(replicaOf: self)
        r.halving = .never
        replica = r
        return r
    }

    /// The halved step, made on first use.
    func halves() -> HalvedStep<T> {
        if let h = halvedStep { return h }
        let h = HalvedStep(primary: self, replica: replicaNetwork())
        halvedStep = h
        return h
    }

    /// Copies samples `indices[range]` of `rows` into this network's batch buffers, from 0 on.
    func gather(_ rows: BatchRows<T>, _ range: Range<Int>) -> (x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?) {
        reserve(batch: range.count)
        let d = inputFeatures, k = outputCount
        let x = batchInput!, labels = batchLabels!, targets = batchTargets!
        for (r, j) in range.enumerated() {
            let i = rows.indices[j]
            // The rows are scattered over the data set: ask for the next one early.
            if j + 1 < range.upperBound { genlab_prefetch(rows.x + rows.indices[j + 1] * d, d * MemoryLayout<T>.stride) }
            (x + r * d).update(from: rows.x + i * d, count: d)
            if let l = rows.labels { labels[r] = l[i] }
            if let t = rows.targets { (targets + r * k).update(from: t + i * k, count: k) }
        }
        return (UnsafePointer(x), rows.labels == nil ? nil : UnsafePointer(labels), rows.targets == nil ? nil : UnsafePointer(targets))
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
    public init(x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, indices: UnsafePointer<Int>) {
        self.x = x; self.labels = labels; self.targets = targets; self.indices = indices
    }
}

/// A batch of `count` samples cut in two: the network takes the first ⌈count/2⌉, its replica
/// the rest. Each half's mean (loss, gradient, H·v) is weighted by its share of the batch, so
/// the two give the batch mean, as one pass does (to rounding).
struct Halves {
    var first = 0, second = 0
    init(_ count: Int) { first = (count + 1) / 2; second = count - first }
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

/// `lossAndGradient` (the gradient overwritten) over two halves of a batch at once (`Halves`),
/// both networks reading the same parameters. With `sgdStep: η` the step θ ← θ − η·∇ is taken
/// in the pass that combines the halves, itself split in two.
final class HalvedStep<T: Scalar>: TwoParts {
    unowned(unsafe) let primary: Network<T>
    let replica: Network<T>

    enum Source { case contiguous(x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?), rows(BatchRows<T>) }
    enum Job { case halves, step(T), combine }
    var job = Job.halves
    var source: Source? = nil
    var halves = Halves(), training = false
    var losses = (0.0, 0.0)

    init(primary: Network<T>, replica: Network<T>) { self.primary = primary; self.replica = replica }

    func callAsFunction(_ source: Source, batch b: Int, training: Bool, sgdStep: T?) -> Double {
        self.source = source; self.training = training
        halves = Halves(b)
        job = .halves
        ForkJoin.run(self, linger: true)
        job = sgdStep.map { .step($0) } ?? .combine
        ForkJoin.run(self, linger: true)
        return halves.mean(losses)
    }

    // Called through the protocol: specialized here, or every T operation below goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        switch job {
        case .halves:
            let net = part == 0 ? primary : replica, range = halves.rows(part)
            let x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?
            switch source! {
            case .rows(let rows):
                (x, labels, targets) = net.gather(rows, range)
            case .contiguous(let xs, let ls, let ts):
                let lo = range.lowerBound
                (x, labels, targets) = (xs + lo * net.inputFeatures, ls.map { $0 + lo }, ts.map { $0 + lo * net.outputCount })
            }
            let loss = net.lossAndGradientInOnePass(x, labels: labels, targets: targets, batch: range.count, training: training,
                                                   accumulate: false, sgdStep: nil)
            if part == 0 { losses.0 = loss } else { losses.1 = loss }
        case .step(let eta):
            let (w1, w2) = halves.weights(T.self), a1 = eta * w1, a2 = eta * w2
            let p = primary.parameters, g1 = UnsafePointer(primary.gradient), g2 = UnsafePointer(replica.gradient)
            for j in Halves.share(part, of: primary.parameterCount) { p[j] -= a1 * g1[j] + a2 * g2[j] }
        case .combine:
            let (w1, w2) = halves.weights(T.self)
            let g1 = primary.gradient, g2 = UnsafePointer(replica.gradient)
            for j in Halves.share(part, of: primary.parameterCount) { g1[j] = w1 * g1[j] + w2 * g2[j] }
        }
    }
}

/// H·v over two halves of a batch at once (`Halves`), one per core, as `HalvedStep` does for
/// the gradient. Each network may keep its half's forward pass for the next product at the
/// same θ.
final class HalvedHessianVectorProduct<T: Scalar>: TwoParts {
    unowned(unsafe) let primary: Network<T>
    let replica: Network<T>
    /// The first half's product (the caller's scratch); the second goes into the replica's
    /// gradient buffer, which H·v alone leaves unused.
    let scratch: UnsafeMutablePointer<T>
    var x: UnsafePointer<T>? = nil, labels: UnsafePointer<Int32>? = nil, targets: UnsafePointer<T>? = nil
    var v: UnsafePointer<T>? = nil, hv: UnsafeMutablePointer<T>? = nil
    var halves = Halves(), combining = false
    var kept: (Double, Double)? = nil
    var losses = (0.0, 0.0)

    init(primary: Network<T>, replica: Network<T>, scratch: UnsafeMutablePointer<T>) {
        self.primary = primary; self.replica = replica; self.scratch = scratch
    }

    /// Adds H·v into `hv` and returns the loss. `reusingForward`: the halves' losses of kept
    /// forward passes (the caller vouches that both arenas hold them at this θ).
    func callAsFunction(_ x: UnsafePointer<T>, labels: UnsafePointer<Int32>?, targets: UnsafePointer<T>?, batch b: Int,
                        v: UnsafePointer<T>, into hv: UnsafeMutablePointer<T>, reusingForward kept: (Double, Double)?) -> Double {
        (self.x, self.labels, self.targets, self.v, self.hv, self.kept) = (x, labels, targets, v, hv, kept)
        halves = Halves(b)
        combining = false
        ForkJoin.run(self, linger: true)
        combining = true
        ForkJoin.run(self, linger: false)
        return halves.mean(losses)
    }

    // Called through the protocol: specialized here, or every T operation below goes through witness tables.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func run(part: Int) {
        let n = primary.parameterCount
        if combining {
            let (w1, w2) = halves.weights(T.self)
            let out = hv!, s1 = UnsafePointer(scratch), s2 = UnsafePointer(replica.gradient)
            for j in Halves.share(part, of: n) { out[j] += w1 * s1[j] + w2 * s2[j] }
            return
        }
        let net = part == 0 ? primary : replica, into = part == 0 ? scratch : replica.gradient
        let rows = halves.rows(part), lo = rows.lowerBound, d = primary.inputFeatures, k = primary.outputCount
        into.update(repeating: 0, count: n)
        let loss = net.hessianVectorProduct(x! + lo * d, labels: labels.map { $0 + lo }, targets: targets.map { $0 + lo * k },
                                            batch: rows.count, v: v!, into: into, computeGradient: false,
                                            reusingForward: kept.map { part == 0 ? $0.0 : $0.1 })
        if part == 0 { losses.0 = loss } else { losses.1 = loss }
    }
}
