import Foundation
import Learners
import LinearAlgebra

/// ε-sharpness of Keskar et al. (2017): the largest rise of the loss in the box
/// |δ_i| ≤ ε·(|θ_i| + 1) around θ, as 100·(max L(θ + δ) − L(θ))/(1 + L(θ)).
public struct EpsilonSharpness: Codable, Sendable {
    public var epsilon: Double
    public var sharpness: Double
    public var loss: Double
    public var maximumLoss: Double
    /// Ascent steps taken, and the loss after each (the largest is the one reported).
    public var iterations: Int
    public var lossPerIteration: [Double]
}

extension Curvature {
    /// The maximization by projected gradient ascent with sign steps (each coordinate moves by
    /// `stepFraction` of its box half-width, then is clipped to the box): Keskar et al. used
    /// L-BFGS-B; any ascent gives a lower bound on the true maximum, so more iterations can only
    /// raise it. θ is restored afterwards.
    public static func epsilonSharpness<T: Scalar>(
        _ f: Objective<T>, epsilon: Double = 1e-3, iterations: Int = 20, stepFraction: Double = 0.25
    ) throws -> EpsilonSharpness {
        guard epsilon > 0, epsilon.isFinite else { throw GenLabError.usage("ε must be > 0, got \(epsilon)") }
        guard iterations >= 1 else {
            throw GenLabError.usage("ε-sharpness needs at least one ascent step, got \(iterations)")
        }
        let net = f.network
        let p = net.parameterCount
        let theta = net.parameterArray
        defer { net.parameterArray = theta }
        let width = theta.map { T(epsilon) * (abs($0) + 1) }
        var delta = [T](repeating: 0, count: p)
        let base = f.loss()
        var best = base
        var history = [Double]()
        for _ in 0..<iterations {
            let (_, g) = f.gradient()
            for j in 0..<p {
                let step = g[j] > 0 ? T(stepFraction) * width[j] : (g[j] < 0 ? -T(stepFraction) * width[j] : 0)
                delta[j] = min(max(delta[j] + step, -width[j]), width[j])
            }
            net.updateParameters { t in for j in 0..<p { t[j] = theta[j] + delta[j] } }
            let l = f.loss()
            history.append(l)
            best = max(best, l)
        }
        return EpsilonSharpness(
            epsilon: epsilon, sharpness: 100 * (best - base) / (1 + base), loss: base, maximumLoss: best,
            iterations: iterations, lossPerIteration: history)
    }
}
