import Foundation
import LinearAlgebra

/// A trace estimate with its uncertainty and how it stopped.
public struct TraceEstimate: Codable, Sendable {
    public var method: String
    public var estimate: Double
    /// The standard error of the estimate (0 for an exact part); nil where none is defined.
    public var standardError: Double
    /// Random probes of the stochastic part, and products of the operator in all.
    public var probes: Int
    public var products: Int
    /// The standard error fell to `relativeTolerance`·|estimate| within the probe limit.
    public var converged: Bool
    public var relativeTolerance: Double
}

extension Curvature {
    /// Hutchinson's estimator: tr(A) = E[zᵀAz] for Rademacher z, averaged over probes until the
    /// standard error of the mean is at most `relativeTolerance`·|mean| (after `minProbes`: the
    /// standard error of fewer is itself too uncertain for a stopping rule), or
    /// `maxProbes` is reached (then `converged` is false).
    public static func hutchinson(
        _ op: SymmetricOperator, relativeTolerance: Double = 0.01, minProbes: Int = 30, maxProbes: Int = 1000,
        seed: UInt64 = 0
    ) -> TraceEstimate {
        var g = Generator(seed: seed, stream: 43)
        var samples = [Double]()
        let before = op.products
        var converged = false
        while samples.count < maxProbes {
            let z = rademacher(op.dimension, &g)
            samples.append(dot(z, op(z)))
            if samples.count >= max(2, minProbes),
                standardError(samples) <= relativeTolerance * abs(Stats.mean(samples))
            {
                converged = true
                break
            }
        }
        return TraceEstimate(
            method: "Hutchinson", estimate: Stats.mean(samples), standardError: standardError(samples),
            probes: samples.count,
            products: op.products - before, converged: converged, relativeTolerance: relativeTolerance)
    }

    /// Hutch++ (Meyer, Musco, Musco & Woodruff 2021): the trace of A on the span Q of A·S for
    /// `sketch` Gaussian vectors S is exact (tr QᵀAQ), and Hutchinson runs on the rest,
    /// (I − QQᵀ)A(I − QQᵀ), whose variance the sketch has removed the top of. Probes of the rest
    /// continue until its standard error is at most `relativeTolerance`·|estimate|.
    public static func hutchPlusPlus(
        _ op: SymmetricOperator, sketch: Int = 10, relativeTolerance: Double = 0.01, minProbes: Int = 30,
        maxProbes: Int = 1000, seed: UInt64 = 0
    ) -> TraceEstimate {
        let n = op.dimension
        let k = min(sketch, n)
        var g = Generator(seed: seed, stream: 44)
        let before = op.products
        let q = orthonormalize((0..<k).map { _ in op(g.normalVector(n)) })  // Gaussian S: full rank almost surely
        var exact = 0.0
        for v in q { exact += dot(v, op(v)) }
        var samples = [Double]()
        var converged = false
        if q.count < n {
            while samples.count < maxProbes {
                var z = rademacher(n, &g)
                for v in q { axpy(-dot(v, z), v, &z) }
                samples.append(dot(z, op(z)))
                let estimate = exact + Stats.mean(samples)
                if samples.count >= max(2, minProbes), standardError(samples) <= relativeTolerance * abs(estimate) {
                    converged = true
                    break
                }
            }
        } else {
            converged = true  // Q spans everything: the trace is exact
        }
        let se = Stats.standardError(samples)  // 0 with no residual probes: Q spans everything
        return TraceEstimate(
            method: "Hutch++", estimate: exact + (samples.isEmpty ? 0 : Stats.mean(samples)), standardError: se,
            probes: samples.count, products: op.products - before, converged: converged,
            relativeTolerance: relativeTolerance)
    }

    /// n independent ±1 signs, 64 from each draw of the generator.
    static func rademacher(_ n: Int, _ g: inout Generator) -> [Double] {
        var z = [Double](repeating: 1, count: n)
        var bits: UInt64 = 0
        for i in 0..<n {
            if i % 64 == 0 { bits = g.next() }
            if bits & 1 == 0 { z[i] = -1 }
            bits >>= 1
        }
        return z
    }

    /// Stats.standardError, except that one value has no standard error at all (not 0).
    static func standardError(_ x: [Double]) -> Double {
        x.count < 2 ? .infinity : Stats.standardError(x)
    }

    /// An orthonormal basis of the span of `vectors` (modified Gram–Schmidt, twice; dependent vectors dropped).
    static func orthonormalize(_ vectors: [[Double]]) -> [[Double]] {
        var q = [[Double]]()
        for var v in vectors {
            let n0 = norm(v)
            for _ in 0..<2 { for b in q { axpy(-dot(b, v), b, &v) } }
            let n = norm(v)
            if n > 1e-10 * max(n0, 1e-300) { q.append(v.map { $0 / n }) }
        }
        return q
    }
}
