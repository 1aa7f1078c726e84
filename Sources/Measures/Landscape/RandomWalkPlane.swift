import Foundation
import LinearAlgebra

/// The null a training path's planarity is read against (Antognini & Sohl-Dickstein, NeurIPS
/// 2018, "PCA of high dimensional random walks with comparison to neural network training"): the
/// PCA of an isotropic Gaussian random walk in high dimension also puts most of its variance in
/// its first directions, the k-th a share → 6/(π²k²) as the walk grows, so the top two hold
/// 7.5/π² ≈ 0.76 of it. "The path is nearly two-dimensional" says something about training
/// only beyond that.
public enum RandomWalkPlane {
    /// The long-walk, high-dimension limit of the top-two share: 6/π²·(1 + 1/4).
    public static let asymptoticShare = 7.5 / (Double.pi * Double.pi)

    /// A walk of `checkpoints` points in `dimension` dimensions from 0, each step N(0, I).
    public static func walk(checkpoints n: Int, dimension p: Int, rng: inout Generator) -> [[Double]] {
        var path = [[Double](repeating: 0, count: p)]
        for _ in 1..<n {
            let last = path[path.count - 1]
            path.append((0..<p).map { last[$0] + rng.normal() })
        }
        return path
    }

    /// The top-two share of `replicates` walks, each read as `TrajectoryPlane` reads a training
    /// path (the last point the origin): its mean and the mean's standard error.
    public static func topTwoShare(checkpoints n: Int, dimension p: Int, replicates: Int, seed: UInt64) throws -> (
        mean: Double, standardError: Double, shares: [Double]
    ) {
        precondition(replicates >= 2, "a Monte Carlo mean needs at least 2 walks")
        var rng = Generator(seed: seed)
        var shares = [Double]()
        for _ in 0..<replicates {
            shares.append(try TrajectoryPlane.topTwoShare(path: walk(checkpoints: n, dimension: p, rng: &rng)))
        }
        return (Stats.mean(shares), Stats.standardError(shares), shares)
    }

    /// The infinite-dimension limit for `n` checkpoints, exact: the steps' Gram matrix tends to
    /// P·I, so the rows θᵢ − θₙ have the Gram matrix Gᵢⱼ = n − 1 − max(i, j) (the steps they
    /// share), centred as `TrajectoryPlane` centres them; its top two eigenvalues over its trace.
    public static func limitShare(checkpoints n: Int) throws -> Double {
        let m = n - 1
        precondition(m >= 3, "a walk needs at least 4 checkpoints for two directions")
        var g = Matrix<Double>(rows: m, cols: m)
        for i in 0..<m { for j in 0..<m { g[i, j] = Double(m - max(i, j)) } }
        // Centre: C·G·C with C = I − 11ᵀ/m.
        let rowMean = (0..<m).map { i in (0..<m).reduce(0.0) { $0 + g[i, $1] } / Double(m) }
        let total = rowMean.reduce(0, +) / Double(m)
        for i in 0..<m { for j in 0..<m { g[i, j] += total - rowMean[i] - rowMean[j] } }
        let values = try symmetricEigen(g, vectors: false).values
        let (l1, l2) = try TrajectoryPlane.topTwo(values)
        return (l1 + l2) / values.reduce(0) { $0 + max($1, 0) }
    }
}
