import LinearAlgebra

/// The plane a training path is drawn in (Li et al. 2018, §7 "Visualizing the Loss Landscape of
/// Neural Nets"): random directions are nearly orthogonal to a path in high dimension, so the
/// path shows up only on the plane of its own top two principal directions.
///
/// With checkpoints θ₀ … θₙ (θₙ the final weights, the plane's origin), the rows xᵢ = θᵢ − θₙ
/// (i < n) are centred and their top two principal directions d₁, d₂ found (PCA, as the paper's
/// code does with scikit-learn). The m × m Gram matrix of the centred rows has the same nonzero
/// eigenvalues λ as their P × P covariance, and dₖ = Σᵢ uₖᵢ·(xᵢ − x̄)/√λₖ, so the cost is m²·P,
/// never P². Each checkpoint's coordinates are (θᵢ − θₙ)·dₖ: the final weights sit at (0, 0).
public struct TrajectoryPlane: Sendable {
    /// d₁, d₂: orthonormal, in θ's layout.
    public let directions: [[Double]]
    /// λₖ / Σλ: the share of the path's variance along d₁ and d₂.
    public let explainedVariance: [Double]
    /// (α, β) of every checkpoint, the final one included (at the origin).
    public let coordinates: [[Double]]

    /// `path` holds the checkpoints in training order, the final weights last; at least three,
    /// not all on one line.
    public init(path: [[Double]]) throws {
        guard path.count >= 3 else {
            throw GenLabError.run("a trajectory needs at least 3 checkpoints (two directions need two independent differences), got \(path.count)")
        }
        let final = path[path.count - 1], p = final.count
        precondition(path.allSatisfy { $0.count == p }, "checkpoints of different sizes")
        let m = path.count - 1
        var mean = [Double](repeating: 0, count: p)
        let rows = path.dropLast().map { theta in (0..<p).map { theta[$0] - final[$0] } }
        for r in rows { for j in 0..<p { mean[j] += r[j] / Double(m) } }
        let centred = rows.map { r in (0..<p).map { r[$0] - mean[$0] } }
        var gram = Matrix<Double>(rows: m, cols: m, storage: [Double](repeating: 0, count: m * m))
        for a in 0..<m {
            for b in a..<m {
                var s = 0.0
                for j in 0..<p { s += centred[a][j] * centred[b][j] }
                gram[a, b] = s; gram[b, a] = s
            }
        }
        let (values, vectors) = try symmetricEigen(gram)
        let total = values.reduce(0) { $0 + max($1, 0) }
        // Ascending: the top two are last. A second eigenvalue at rounding level means a straight path.
        let l1 = values[m - 1], l2 = m >= 2 ? values[m - 2] : 0
        guard total > 0, l2 > 1e-12 * l1 else {
            throw GenLabError.run("the checkpoints lie on a line (second principal variance \(l2) of \(total)): no plane to draw the path in; keep more checkpoints or train longer")
        }
        var directions = [[Double]]()
        for (k, lambda) in [(m - 1, l1), (m - 2, l2)] {
            var d = [Double](repeating: 0, count: p)
            for i in 0..<m { let u = vectors[i, k] / lambda.squareRoot(); for j in 0..<p { d[j] += u * centred[i][j] } }
            directions.append(d)
        }
        self.directions = directions
        explainedVariance = [l1 / total, l2 / total]
        coordinates = path.map { theta in directions.map { d in (0..<p).reduce(0.0) { $0 + (theta[$1] - final[$1]) * d[$1] } } }
    }
}
