import Datasets
import Learners
import LinearAlgebra
import Measures

/// The curvature of a trained network at its minimum, as the sharp/flat experiments compare it:
/// λ_max of the Hessian of the training loss (Lanczos) and its trace (exact for a ReLU MLP: the
/// Gauss–Newton diagonal; Hutch++ otherwise), over a seeded sample of the training set.
struct MinimumCurvature {
    var lambdaMax: Double
    var lanczosConverged: Bool
    var trace: Double
    /// The objective on the sample (for further measures at the same point, e.g. ε-sharpness).
    var objective: Objective<Float>

    init(_ net: Network<Float>, train: Dataset, samples: Int, seed: UInt64) throws {
        let sample = train.curvatureSample(samples, seed: seed)
        let f = Objective(network: net, x: sample.features, labels: sample.labels)
        let e = try Curvature.extremeEigenvalues(
            HessianOperator(f), k: 1, smallest: false, tolerance: 1e-4, maxIterations: 300, seed: seed)
        lambdaMax = e.top[0]
        lanczosConverged = e.converged
        trace =
            (try? Curvature.gaussNewtonDiagonal(f))?.reduce(0, +)
            ?? Curvature.hutchPlusPlus(HessianOperator(f), relativeTolerance: 0.02, seed: seed).estimate
        objective = f
    }
}
