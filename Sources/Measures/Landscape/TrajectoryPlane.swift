import LinearAlgebra

/// The plane a training path is drawn in (Li et al. 2018, §7 "Visualizing the Loss Landscape of
/// Neural Nets"): random directions are nearly orthogonal to a path in high dimension, so the
/// path shows up only on the plane of its own top two principal directions.
///
/// With checkpoints θ₀ … θₙ (θₙ the final weights, the plane's origin), the rows xᵢ = θᵢ − θₙ
/// (i < n) are centred and their top two principal directions d₁, d₂ found (PCA, as the paper's
/// code does with scikit-learn). The m × m Gram matrix of the centred rows has the same nonzero
/// eigenvalues λ as their P × P covariance, and dₖ = Σᵢ uₖᵢ·(xᵢ − x̄)/√λₖ, so the cost is m²·P
/// (one BLAS product), never P². Each checkpoint's coordinates are (θᵢ − θₙ)·dₖ: the final
/// weights sit at (0, 0).
public struct TrajectoryPlane: Sendable {
    /// d₁, d₂: orthonormal, in θ's layout.
    public let directions: [[Double]]
    /// λₖ / Σλ: the share of the path's variance along d₁ and d₂.
    public let explainedVariance: [Double]
    /// (α, β) of every checkpoint, the final one included (at the origin).
    public let coordinates: [[Double]]

    /// `path` holds the checkpoints in training order, the final weights last; at least four,
    /// not all on one line.
    public init(path: [[Double]]) throws {
        let centred = try Self.centredRows(path)
        let (m, p) = (centred.rows, centred.cols)
        let (values, vectors) = try symmetricEigen(matmul(centred, centred, transB: true))
        let (l1, l2) = try Self.topTwo(values)
        var directions = [[Double]]()
        for (k, lambda) in [(m - 1, l1), (m - 2, l2)] {
            let u = (0..<m).map { vectors[$0, k] / lambda.squareRoot() }
            directions.append(matvec(centred, transposed: true, u))
        }
        self.directions = directions
        let total = values.reduce(0) { $0 + max($1, 0) }
        explainedVariance = [l1 / total, l2 / total]
        let final = path[path.count - 1]
        let offsets = Matrix<Double>(
            rows: path.count, cols: p, storage: path.flatMap { theta in (0..<p).map { theta[$0] - final[$0] } })
        let d1 = matvec(offsets, directions[0])
        let d2 = matvec(offsets, directions[1])
        coordinates = zip(d1, d2).map { [$0, $1] }
    }

    /// The share of the path's variance in its top two principal directions (λ₁ + λ₂)/Σλ,
    /// without the directions: what a verdict compares with a random walk's.
    public static func topTwoShare(path: [[Double]]) throws -> Double {
        let centred = try centredRows(path)
        let values = try symmetricEigen(matmul(centred, centred, transB: true), vectors: false).values
        let (l1, l2) = try topTwo(values)
        return (l1 + l2) / values.reduce(0) { $0 + max($1, 0) }
    }

    /// The rows θᵢ − θₙ (i < n), centred: an m × P matrix, m = n.
    static func centredRows(_ path: [[Double]]) throws -> Matrix<Double> {
        // Centring takes one dimension: m = n rows span at most m − 1 directions.
        guard path.count >= 4 else {
            throw GenLabError.run(
                "a trajectory needs at least 4 checkpoints (two directions need three checkpoints besides the origin: "
                    + "their centred differences span at most two), got \(path.count)"
            )
        }
        let final = path[path.count - 1]
        let p = final.count
        let m = path.count - 1
        precondition(path.allSatisfy { $0.count == p }, "checkpoints of different sizes")
        var rows = Matrix<Double>(rows: m, cols: p)
        var mean = [Double](repeating: 0, count: p)
        for i in 0..<m {
            for j in 0..<p {
                let x = path[i][j] - final[j]
                rows[i, j] = x
                mean[j] += x / Double(m)
            }
        }
        for i in 0..<m { for j in 0..<p { rows[i, j] -= mean[j] } }
        return rows
    }

    /// The two largest eigenvalues (LAPACK's are ascending); a second one at rounding level means a straight path.
    static func topTwo(_ values: [Double]) throws -> (Double, Double) {
        let m = values.count
        let total = values.reduce(0) { $0 + max($1, 0) }
        let l1 = values[m - 1]
        let l2 = m >= 2 ? values[m - 2] : 0
        guard total > 0, l2 > 1e-12 * l1 else {
            throw GenLabError.run(
                "the checkpoints lie on a line (second principal variance \(l2) of \(total)): no plane to draw the "
                    + "path in; keep more checkpoints or train longer"
            )
        }
        return (l1, l2)
    }
}
