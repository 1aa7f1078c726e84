import Foundation
import LinearAlgebra

/// The spectral density of a symmetric operator by stochastic Lanczos quadrature (Ghorbani,
/// Krishnan & Xiao 2019; Lin, Saad & Yang 2016): for each random unit probe, `steps` Lanczos
/// steps give the Gauss quadrature of its spectral measure — nodes the Ritz values θ_j, weights
/// the squared first components s_1,j² of T's eigenvectors (they sum to 1). The density is the
/// average over probes of Σ_j s_1,j²·N(t; θ_j, σ²).
public struct SpectralDensity: Codable, Sendable {
    /// Per probe: the nodes and their weights.
    public var nodes: [[Double]]
    public var weights: [[Double]]
    /// Gaussian broadening σ.
    public var sigma: Double
    /// The density on `grid` (it integrates to 1 up to the grid's ends).
    public var grid: [Double]
    public var density: [Double]
    public var steps: Int
    public var products: Int
    /// Whether each probe's Lanczos basis was kept orthogonal.
    public var reorthogonalized: Bool = false

    /// The broadened density of any weighted point set on a grid (also an explicit spectrum's, with weights 1/n).
    public static func broadened(nodes: [Double], weights: [Double], sigma: Double, grid: [Double]) -> [Double] {
        let c = 1 / (sigma * (2 * Double.pi).squareRoot())
        return grid.map { t in zip(nodes, weights).reduce(0) { $0 + $1.1 * c * exp(-0.5 * pow((t - $1.0) / sigma, 2)) }
        }
    }

    /// ∫|ρ − other| dt on the common grid (trapezoids): 0 for equal densities, at most 2.
    public func l1Distance(to other: [Double]) -> Double {
        precondition(other.count == density.count, "densities on different grids")
        var s = 0.0
        for i in 1..<grid.count {
            s += 0.5 * (abs(density[i] - other[i]) + abs(density[i - 1] - other[i - 1])) * (grid[i] - grid[i - 1])
        }
        return s
    }
}

extension Curvature {
    /// SLQ with `probes` probes of `steps` Lanczos steps each. σ: the broadening, by default 1% of
    /// the spectral width; the grid spans the nodes ± 5σ. Without reorthogonalization (the
    /// default) each step costs one product and O(P); quadrature does not need an orthogonal
    /// basis (`LanczosProcess`), and the oracle tests hold both variants to the explicit spectrum.
    /// PyHessian reorthogonalizes fully, which here costs more than its products.
    public static func spectralDensity(
        _ op: SymmetricOperator, probes: Int = 5, steps: Int = 80, sigma: Double? = nil, gridPoints: Int = 1000,
        seed: UInt64 = 0, reorthogonalize: Bool = false
    ) throws -> SpectralDensity {
        guard probes >= 1 else { throw GenLabError.usage("SLQ needs at least one probe, got \(probes)") }
        guard steps >= 1 else { throw GenLabError.usage("SLQ needs at least one Lanczos step, got \(steps)") }
        guard gridPoints >= 2 else {
            throw GenLabError.usage("a density grid needs at least 2 points, got \(gridPoints)")
        }
        if let s = sigma, !(s > 0) { throw GenLabError.usage("the broadening σ must be > 0, got \(s)") }
        var g = Generator(seed: seed, stream: 45)
        let before = op.products
        var nodes = [[Double]]()
        var weights = [[Double]]()
        for _ in 0..<probes {
            var lanczos = LanczosProcess(op, start: g.normalVector(op.dimension), reorthogonalize: reorthogonalize)
            while lanczos.steps < min(steps, op.dimension) && !lanczos.exhausted { lanczos.step() }
            let r = try lanczos.ritz()
            nodes.append(r.values)
            weights.append(r.firstComponents.map { $0 * $0 })
        }
        let all = nodes.flatMap { $0 }
        let lo = all.min()!
        let hi = all.max()!
        let s = sigma ?? max(0.01 * (hi - lo), 1e-12 * max(1, abs(hi)))
        let grid = (0..<gridPoints).map { lo - 5 * s + (hi - lo + 10 * s) * Double($0) / Double(gridPoints - 1) }
        var density = [Double](repeating: 0, count: gridPoints)
        for (n, w) in zip(nodes, weights) {
            let d = SpectralDensity.broadened(nodes: n, weights: w, sigma: s, grid: grid)
            for i in 0..<gridPoints { density[i] += d[i] / Double(probes) }
        }
        return SpectralDensity(
            nodes: nodes, weights: weights, sigma: s, grid: grid, density: density,
            steps: nodes.map(\.count).max() ?? 0,
            products: op.products - before, reorthogonalized: reorthogonalize)
    }
}
