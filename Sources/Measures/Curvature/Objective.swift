import Learners
import LinearAlgebra

/// A training objective on a fixed sample: the mean loss over all samples, its gradient and its
/// Hessian-vector products, in evaluation mode. Chunks of `chunk` rows are weighted by their
/// share of the samples. A class, so that its scratch is allocated once.
public final class Objective<T: Scalar>: @unchecked Sendable {
    public let network: Network<T>
    public let x: Matrix<T>
    public let labels: [Int32]
    public let targets: [T]?
    public let chunk: Int
    /// Names this sample's rows, so that the network may keep a forward pass for the next H·v at
    /// the same θ (Lanczos and power iteration call H·v many times at one θ: that saves one of
    /// its three large GEMMs). The sample never changes; a new source forgets the kept pass.
    private var source = BatchIdentity.newSource()
    /// A chunk's gradient or H·v before it is weighted into the total.
    private let part: UnsafeMutablePointer<T>

    public init(network: Network<T>, x: Matrix<T>, labels: [Int], targets: [T]? = nil, chunk: Int = 1000) {
        precondition(
            x.cols == network.inputFeatures, "\(x.cols) features for a network with \(network.inputFeatures) inputs")
        self.network = network
        self.x = x
        self.labels = labels.map { Int32($0) }
        self.targets = targets
        self.chunk = max(1, chunk)
        part = .allocate(capacity: max(1, network.parameterCount))
        network.reserve(batch: min(self.chunk, max(1, x.rows)))
    }
    deinit { part.deallocate() }

    /// Makes the next H·v recompute its forward pass (benchmarks time both).
    public func forgetForward() { source = BatchIdentity.newSource() }

    public var sampleCount: Int { x.rows }

    func forEachChunk(_ body: (Int, Batch<T>) -> Void) {
        network.forEachChunk(x, labels: labels, targets: targets, chunk: chunk, identity: source, body)
    }

    /// (loss, ∇L) over all samples.
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
        forEachChunk { _, batch in
            let share = Double(batch.count) / Double(sampleCount)
            loss += network.lossAndGradient(batch, training: false) * share
            T.axpy(p, T(share), network.gradient, out)
        }
        return loss
    }

    /// H·v over all samples (and the loss).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func hessianVectorProduct(_ v: [T]) -> (loss: Double, hv: [T]) {
        precondition(
            v.count == network.parameterCount,
            "direction has \(v.count) entries for \(network.parameterCount) parameters")
        var total = [T](repeating: 0, count: network.parameterCount)
        let loss = v.withUnsafeBufferPointer { vp in
            total.withUnsafeMutableBufferPointer { hessianVectorProduct(vp.baseAddress!, into: $0.baseAddress!) }
        }
        return (loss, total)
    }

    /// H·v over all samples into `out` (allocation-free); returns the loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func hessianVectorProduct(_ v: UnsafePointer<T>, into out: UnsafeMutablePointer<T>) -> Double {
        let p = network.parameterCount
        out.update(repeating: 0, count: p)
        var loss = 0.0
        forEachChunk { _, batch in
            if batch.count == sampleCount {
                loss = network.hessianVectorProduct(batch, v: v, into: out)
                return
            }
            part.update(repeating: 0, count: p)
            let share = Double(batch.count) / Double(sampleCount)
            loss += network.hessianVectorProduct(batch, v: v, into: part) * share
            T.axpy(p, T(share), part, out)
        }
        return loss
    }

    /// The loss alone.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func loss() -> Double {
        var loss = 0.0
        forEachChunk { _, batch in loss += network.evaluate(batch) * Double(batch.count) / Double(sampleCount) }
        return loss
    }
}
