import Learners
import LinearAlgebra

/// The perceptron's theory (Novikoff 1962; the online-to-batch and leave-one-out bounds).
public enum PerceptronBounds {
    /// At most R²/γ² mistakes when ‖xᵢ‖ ≤ R and some unit w* has yᵢ⟨w*, xᵢ⟩ ≥ γ.
    public static func mistakeBound(radius: Double, margin: Double) -> Double { radius * radius / (margin * margin) }

    /// E[risk(w′)] ≤ R²/(γ²n) for w′ uniform over the iterates w₀…w_{n−1} of one pass over n samples.
    public static func randomIterateRiskBound(radius: Double, margin: Double, n: Int) -> Double {
        mistakeBound(radius: radius, margin: margin) / Double(n)
    }

    /// E[risk(w_final)] ≤ R²/(γ²(n+1)) after running to zero training mistakes (leave-one-out argument).
    public static func finalWeightsRiskBound(radius: Double, margin: Double, n: Int) -> Double {
        mistakeBound(radius: radius, margin: margin) / Double(n + 1)
    }

    /// Both sides of the proof's two inequalities after mistake T.
    public struct ProofStep: Codable, Sendable, Equatable {
        public var mistake: Int
        /// ⟨w_T, w*⟩ and its lower bound Tγ
        public var alignment: Double
        public var alignmentLowerBound: Double
        /// ‖w_T‖² and its upper bound T·R²
        public var normSquared: Double
        public var normSquaredUpperBound: Double
        public var holds: Bool {
            alignment >= alignmentLowerBound * (1 - 1e-12) - 1e-12
                && normSquared <= normSquaredUpperBound * (1 + 1e-12) + 1e-12
        }
    }

    /// Replays the mistakes in Double: ⟨w_T, w*⟩ = Σ yᵢ⟨xᵢ, w*⟩ over mistakes, and
    /// ‖w_T‖² = ‖w_{T−1}‖² + 2yᵢ⟨w_{T−1}, xᵢ⟩ + ‖xᵢ‖² with the recorded activation
    /// yᵢ⟨w_{T−1}, xᵢ⟩ ≤ 0.
    /// `x` must be the matrix the perceptron saw (with the bias column when it had one).
    public static func proofTrace(
        x: Matrix<Double>, y: [Double], mistakes: [Perceptron.Mistake], direction w: [Double],
        margin: Double, radius: Double
    ) -> [ProofStep] {
        precondition(w.count == x.cols, "w* has \(w.count) entries for \(x.cols) features")
        var alignment = 0.0
        var normSq = 0.0
        var steps = [ProofStep]()
        steps.reserveCapacity(mistakes.count)
        let projections = matvec(x, w)
        let sq = x.rowNorms().map { $0 * $0 }
        for (t, m) in mistakes.enumerated() {
            alignment += y[m.sample] * projections[m.sample]
            normSq += 2 * m.activation + sq[m.sample]
            let T = Double(t + 1)
            steps.append(
                ProofStep(
                    mistake: t + 1, alignment: alignment, alignmentLowerBound: T * margin,
                    normSquared: normSq, normSquaredUpperBound: T * radius * radius))
        }
        return steps
    }

    /// Exact risk of w′ drawn uniformly from the iterates w₀…w_{n−1} of one pass: Σₖ (cₖ/n)·risk(wₖ),
    /// each risk estimated on the test sample (ties ⟨w, x⟩ = 0 count as errors).
    public static func randomIterateRisk(_ fitted: FittedPerceptron<Double>, testX: Matrix<Double>, testY: [Double])
        -> Double
    {
        precondition(!fitted.iterates.isEmpty, "needs recordIterates: true")
        let total = Double(fitted.iterateSteps.reduce(0, +))
        let used = fitted.iterateSteps.indices.filter { fitted.iterateSteps[$0] > 0 }
        let w = Matrix(rows: used.count, cols: testX.cols, storage: used.flatMap { fitted.iterates[$0] })
        let scores = matmul(testX, w, transB: true)  // [m, K]
        var risk = 0.0
        for (col, k) in used.enumerated() {
            var errors = 0
            for i in 0..<testX.rows where testY[i] * scores[i, col] <= 0 { errors += 1 }
            risk += Double(fitted.iterateSteps[k]) / total * Double(errors) / Double(testX.rows)
        }
        return risk
    }
}
