import LinearAlgebra

/// The perceptron fed by an adversary that picks the next sample from the whole training set
/// after every update. Novikoff's bound R²/γ² holds for any order, these included; they are
/// greedy attempts to come close to it. Each returns the mistakes (at most `limit`: on data
/// that are not separable an adversary never runs out) and whether the data ended separated.
extension Perceptron {
    /// Next: the sample with the smallest margin yᵢ⟨w, xᵢ⟩ under the current weights (the first
    /// on ties): the most violated point.
    public static func worstMarginMistakes(_ x: Matrix<Double>, _ y: [Double], limit: Int) -> (
        mistakes: Int, converged: Bool
    ) {
        adversary(x, y, limit: limit) { margins in
            let worst = margins.indices.min { margins[$0] < margins[$1] }!
            return margins[worst] <= 0 ? worst : nil
        }
    }

    /// Next: among the misclassified samples, the one closest to the separator w* (smallest
    /// yᵢ⟨w*, xᵢ⟩): each update then gains the least alignment with w*, the quantity the proof
    /// counts, so the run lasts longest by that measure.
    public static func slowestProgressMistakes(_ x: Matrix<Double>, _ y: [Double], separator: [Double], limit: Int) -> (
        mistakes: Int, converged: Bool
    ) {
        let progress = matvec(x, separator).enumerated().map { y[$0.offset] * $0.element }
        return adversary(x, y, limit: limit) { margins in
            margins.indices.filter { margins[$0] <= 0 }.min { progress[$0] < progress[$1] }
        }
    }

    /// The update loop: `next` sees every margin yᵢ⟨w, xᵢ⟩ (one BLAS product) and names a
    /// misclassified sample, or nil when it has none.
    static func adversary(_ x: Matrix<Double>, _ y: [Double], limit: Int, next: ([Double]) -> Int?) -> (
        mistakes: Int, converged: Bool
    ) {
        var w = [Double](repeating: 0, count: x.cols)
        for t in 0..<limit {
            let scores = matvec(x, w)
            guard let i = next(scores.indices.map { y[$0] * scores[$0] }) else { return (t, true) }
            for j in 0..<x.cols { w[j] += y[i] * x[i, j] }
        }
        return (limit, false)
    }
}
