import Datasets
import Learners
import LinearAlgebra
import Measures

/// The Hessian-vector product and top eigenvalue as ../shared/bench/peers measure them:
/// mlp:256 (784→256→10, ReLU, cross-entropy), the first 1,000 training samples, float32.
public struct HVPBenchResult: Codable, Sendable {
    /// H·v at a fixed θ, as Lanczos and power iteration call it: the forward pass is kept.
    public var hvpMilliseconds: Double
    public var hvpMillisecondsMin: Double
    /// H·v from scratch, forward pass included (what one jit(jvp(grad)) call does).
    public var hvpFromScratchMilliseconds: Double
    public var hvpFromScratchMillisecondsMin: Double
    /// Top eigenvalue by Lanczos to `tolerance` relative: value, H·v products used, seconds.
    public var lambdaMax: Double
    public var lanczosIterations: Int
    public var lanczosSeconds: Double
    public var lanczosConverged: Bool
    /// The same by 20 power iterations (what the peers time).
    public var powerLambda: Double
    public var powerSeconds: Double
    public var tolerance: Double
    /// With `rounds` > 1: the from-scratch median (ms) of each further round of 20 calls in this
    /// same process, to tell a slow process from a slow minute of the machine.
    public var fromScratchRounds: [Double]
}

/// Times Hessian-vector products, λ_max, the trace and the density (the benchmark against PyHessian).
public enum HVPBench {
    static func run(data: DataSplit, weights: String?, tolerance: Double = 1e-3, rounds: Int = 1) throws
        -> HVPBenchResult
    {
        let sample = data.train.subset(Array(0..<1000))
        let net: Network<Float> = try ModelSpec(parsing: "mlp:256").network(
            for: sample, initialization: .uniform, seed: 0)
        if let w = weights { try net.load(weights: w) }
        let f = Objective(network: net, x: sample.features, labels: sample.labels, chunk: 1000)
        var g = Generator(seed: 123)
        let v: [Float] = g.normalVector(net.parameterCount)
        // From scratch, 20 in a row as the peers time theirs (after one call that sizes the arena);
        // then 20 at the same θ, where each call reuses the forward pass the one before left.
        func fromScratch(_ count: Int) -> [Double] {
            (0..<count).map { _ in
                f.forgetForward()
                let t0 = Timing.now()
                _ = f.hessianVectorProduct(v)
                return Timing.now() - t0
            }
        }
        var times = [Double]()
        let scratch = Array(fromScratch(21).dropFirst())
        for _ in 0..<20 {
            let t0 = Timing.now()
            _ = f.hessianVectorProduct(v)
            times.append(Timing.now() - t0)
        }
        // Each eigenvalue run starts cold: its first H·v pays for the forward pass.
        f.forgetForward()
        let t0 = Timing.now()
        let lanczos = Curvature.lanczosTopEigenvalue(f, tolerance: tolerance)
        f.forgetForward()
        let t1 = Timing.now()
        let power = Curvature.topEigenvalue(f, tolerance: 0, maxIterations: 20)
        let t2 = Timing.now()
        var medians = [Double]()
        for _ in 1..<max(1, rounds) { medians.append(Stats.median(fromScratch(20)) * 1e3) }
        return HVPBenchResult(
            hvpMilliseconds: Stats.median(times) * 1e3, hvpMillisecondsMin: times.min()! * 1e3,
            hvpFromScratchMilliseconds: Stats.median(scratch) * 1e3,
            hvpFromScratchMillisecondsMin: scratch.min()! * 1e3,
            lambdaMax: lanczos.value, lanczosIterations: lanczos.iterations, lanczosSeconds: t1 - t0,
            lanczosConverged: lanczos.converged, powerLambda: power.value, powerSeconds: t2 - t1, tolerance: tolerance,
            fromScratchRounds: medians)
    }
}
