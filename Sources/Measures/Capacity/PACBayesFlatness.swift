import Datasets
import Foundation
import Learners
import LinearAlgebra

/// PAC-Bayes flatness (Jiang et al. 2020, §A.5 "sharpness-based and PAC-Bayes measures"): the
/// largest noise scale σ′ such that adding Gaussian noise to the weights raises the expected
/// training error by at most `target` (their 0.1):
///   E_u[err(θ + u)] − err(θ) ≤ target,  u ~ N(0, σ′²I)                      (plain), or
///   u_i ~ N(0, σ′²θ_i² + ε²)                                                 (magnitude-aware).
/// σ′ is found by bisection on log σ, each σ judged by the mean over `draws` perturbations; the
/// measures built on it are 1/σ′² (flat minima score low).
public struct PACBayesFlatness: Sendable {
    public var target: Double
    public var draws: Int
    public var steps: Int
    /// ε of the magnitude-aware noise (Jiang et al.: 1e-3).
    public var floor: Double
    public var seed: UInt64

    public init(target: Double = 0.1, draws: Int = 10, steps: Int = 20, floor: Double = 1e-3, seed: UInt64 = 0) {
        self.target = target
        self.draws = draws
        self.steps = steps
        self.floor = floor
        self.seed = seed
    }

    /// The mean training error over `draws` perturbations of θ at noise scale σ (the network's
    /// parameters are restored afterwards). The draws of a call depend on the seed and σ's index
    /// `stream` only, so a bisection compares every σ on its own fixed draws.
    public func perturbedError<T: Scalar>(
        _ network: Network<T>, theta: [T], data: Dataset, sigma: Double, magnitudeAware: Bool, stream: UInt64
    ) -> Double {
        var g = Generator(seed: seed, stream: 1000 + stream)
        var total = 0.0
        for _ in 0..<draws {
            network.parameterArray = theta.map { w in
                let s = magnitudeAware ? (sigma * sigma * Double(w) * Double(w) + floor * floor).squareRoot() : sigma
                return T(Double(w) + s * g.normal())
            }
            total += network.evaluate(data).error
        }
        network.parameterArray = theta
        return total / Double(draws)
    }

    /// σ′: the largest σ in [lower, upper] whose perturbed error stays within `target` of the
    /// unperturbed one, by bisection on log σ. `upper` when even it stays within; `lower` when
    /// even it does not.
    public func sigma<T: Scalar>(
        _ network: Network<T>, data: Dataset, magnitudeAware: Bool, lower: Double = 1e-6, upper: Double = 10
    ) -> Double {
        let theta = network.parameterArray
        let base = network.evaluate(data).error
        func within(_ s: Double, _ k: Int) -> Bool {
            perturbedError(
                network, theta: theta, data: data, sigma: s, magnitudeAware: magnitudeAware, stream: UInt64(k)) - base
                <= target
        }
        if within(upper, 0) { return upper }
        if !within(lower, 1) { return lower }
        var lo = log(lower)
        var hi = log(upper)
        for k in 0..<steps {
            let mid = (lo + hi) / 2
            if within(exp(mid), k + 2) { lo = mid } else { hi = mid }
        }
        return exp(lo)
    }
}
