import Datasets
import Foundation
import Learners
import LinearAlgebra

/// One generalization measure of the zoo: its name (a column of the networks table), its family
/// and its formula in words. Every measure is oriented as Jiang et al. orient theirs: larger
/// should mean a larger generalization gap, so a good measure has a large positive τ.
public struct GeneralizationMeasure: Sendable, Equatable {
    public var name: String
    public var family: String
    public var formula: String
}

/// The measures of Jiang et al. (2020, "Fantastic generalization measures and where to find
/// them") that apply to a ReLU MLP, computed for one trained network. W_i are the weight
/// matrices (biases left out where the paper leaves them out), W_i⁰ their initial values, θ all
/// parameters, n the training samples, γ the 10th percentile of the training output margins,
/// σ′ PAC-Bayes flatness (`PACBayesFlatness`). Products and sums are not logged: Kendall's τ
/// depends on the order only. The measures that are generalization bounds (VC, margin-normalized,
/// spectral, PAC-Bayes) carry their 1/n, as the bounds do; the plain complexities (norms,
/// flatness, sharpness) do not. The zoo varies the training-set size, and a bound without its n
/// would rank a network trained on more data as more complex.
public enum MeasureCatalog {
    public static let all: [GeneralizationMeasure] = [
        .init(name: "params", family: "size", formula: "the parameter count W"),
        .init(
            name: "vc-bound", family: "size",
            formula: "√(W·L·ln W / n), the VC dimension of a ReLU network of L layers "
                + "(Bartlett et al. 2019) over n"),
        .init(name: "frobenius-product", family: "norm", formula: "Π ‖W_i‖_F²"),
        .init(name: "frobenius-sum", family: "norm", formula: "Σ ‖W_i‖_F²"),
        .init(name: "parameter-norm", family: "norm", formula: "‖θ‖² (weights and biases)"),
        .init(name: "distance-from-init", family: "norm", formula: "Σ ‖W_i − W_i⁰‖_F² (Nagarajan & Kolter)"),
        .init(name: "spectral-product", family: "norm", formula: "Π ‖W_i‖₂²"),
        .init(name: "spectral-sum", family: "norm", formula: "Σ ‖W_i‖₂²"),
        .init(
            name: "spectral-complexity", family: "norm",
            formula: "Π ‖W_i‖₂ · (Σ (‖(W_i − W_i⁰)ᵀ‖_{2,1} / "
                + "‖W_i‖₂)^{2/3})^{3/2} (Bartlett et al. 2017)"),
        .init(
            name: "path-norm", family: "norm",
            formula: "the ℓ₂ path norm squared, Σ over paths of Π w² (Neyshabur et al. 2015)"),
        .init(name: "inverse-margin", family: "margin", formula: "1/(γ² n)"),
        .init(name: "frobenius-over-margin", family: "margin", formula: "Π ‖W_i‖_F² / (γ² n)"),
        .init(name: "spectral-over-margin", family: "margin", formula: "Π ‖W_i‖₂² / (γ² n)"),
        .init(name: "path-norm-over-margin", family: "margin", formula: "path norm² / (γ² n)"),
        .init(
            name: "spectral-bound", family: "margin",
            formula: "spectral complexity · ‖X‖_F / (γ·n), Bartlett "
                + "et al.'s margin bound without its logarithms"),
        .init(
            name: "pac-bayes-flatness", family: "flatness",
            formula: "1/σ′², σ′ the largest noise scale raising the training error by at most 0.1"),
        .init(
            name: "pac-bayes-bound", family: "flatness",
            formula: "(‖θ − θ⁰‖²/(4σ′²) + ln(n/σ′) + 10)/n (Jiang et "
                + "al.'s PAC-Bayes bound from the initialization)"),
        .init(
            name: "magnitude-aware-flatness", family: "flatness",
            formula: "1/σ′², the noise on each weight scaled by its magnitude (σ′²θ_i² + ε²)"),
        .init(
            name: "lambda-max", family: "sharpness",
            formula: "the Hessian's largest eigenvalue of the training loss (Lanczos)"),
        .init(
            name: "hessian-trace", family: "sharpness",
            formula: "the Hessian's trace of the training loss (exact diagonal)"),
        .init(name: "epsilon-sharpness", family: "sharpness", formula: "Keskar et al.'s ε-sharpness at ε = 1e-3"),
        .init(name: "steps-to-target", family: "optimization", formula: "SGD steps to training cross-entropy 0.01"),
        .init(
            name: "gradient-noise", family: "optimization",
            formula: "E‖g_B − g‖² at the end of training, B the network's batch size"),
    ]

    public static func measure(named name: String) -> GeneralizationMeasure? { all.first { $0.name == name } }

    /// How hard the sampled measures work.
    public struct Settings: Codable, Sendable, Equatable {
        /// PAC-Bayes flatness: perturbations per noise scale.
        public var flatnessDraws: Int
        /// PAC-Bayes flatness: bisection steps of the noise scale.
        public var flatnessSteps: Int
        /// Minibatch draws of the gradient-noise estimate.
        public var noiseDraws: Int
        /// Lanczos iterations at most for λ_max.
        public var lanczosIterations: Int
        /// Seed of the perturbations and minibatch draws.
        public var seed: UInt64

        public init(
            flatnessDraws: Int = 5, flatnessSteps: Int = 12, noiseDraws: Int = 20, lanczosIterations: Int = 100,
            seed: UInt64 = 0
        ) {
            self.flatnessDraws = flatnessDraws
            self.flatnessSteps = flatnessSteps
            self.noiseDraws = noiseDraws
            self.lanczosIterations = lanczosIterations
            self.seed = seed
        }
    }

    /// Every measure of `all` for a trained ReLU MLP: `initial` its parameters before training,
    /// `train` its training set, `curvature` the samples the Hessian measures average over,
    /// `steps` and `batch` its training run. A value that cannot be computed is NaN.
    public static func measure(
        _ net: Network<Float>, initial: [Float], train: Dataset, curvature: Dataset, steps: Int, batch: Int,
        settings: Settings = Settings()
    ) throws -> [String: Double] {
        guard let layers = NormMeasures.layers(of: net, theta: net.parameterArray),
            let start = NormMeasures.layers(of: net, theta: initial)
        else {
            throw GenLabError.usage("the measures of the zoo need a network of dense layers (an MLP)")
        }
        let n = Double(train.count)
        let w = Double(net.parameterCount)
        let depth = Double(layers.count)
        var m = [String: Double]()
        m["params"] = w
        m["vc-bound"] = (w * depth * log(w) / n).squareRoot()
        let frob = layers.map { pow(NormMeasures.frobenius($0.weights), 2) }
        let spec = layers.map { pow(NormMeasures.spectral($0.weights), 2) }
        m["frobenius-product"] = frob.reduce(1, *)
        m["frobenius-sum"] = frob.reduce(0, +)
        m["parameter-norm"] = net.parameterArray.reduce(0.0) { $0 + Double($1) * Double($1) }
        m["distance-from-init"] = pow(NormMeasures.distanceFromInitialization(layers, start), 2)
        m["spectral-product"] = spec.reduce(1, *)
        m["spectral-sum"] = spec.reduce(0, +)
        let complexity = NormMeasures.spectralComplexity(layers, reference: start)
        m["spectral-complexity"] = complexity
        let path = pow(NormMeasures.pathNorm(layers), 2)
        m["path-norm"] = path
        // Margins: γ the 10th percentile of the training margins (NaN when not positive: the
        // margin-normalized measures are undefined for a network that misclassifies so much).
        let gamma = MarginMeasures.marginQuantile(MarginMeasures.outputMargins(net, train), 0.1)
        let g2 = gamma > 0 ? gamma * gamma : .nan
        let inputNorm = train.features.storage.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        m["inverse-margin"] = 1 / (g2 * n)
        m["frobenius-over-margin"] = frob.reduce(1, *) / (g2 * n)
        m["spectral-over-margin"] = spec.reduce(1, *) / (g2 * n)
        m["path-norm-over-margin"] = path / (g2 * n)
        m["spectral-bound"] = gamma > 0 ? complexity * inputNorm / (gamma * n) : .nan
        // Flatness, by bisection on the expected rise of the training error.
        let flat = PACBayesFlatness(draws: settings.flatnessDraws, steps: settings.flatnessSteps, seed: settings.seed)
        let sigma = flat.sigma(net, data: train, magnitudeAware: false)
        let sigmaMagnitude = flat.sigma(net, data: train, magnitudeAware: true)
        let moved = zip(net.parameterArray, initial).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) }
        m["pac-bayes-flatness"] = 1 / (sigma * sigma)
        m["pac-bayes-bound"] = (moved / (4 * sigma * sigma) + log(n / sigma) + 10) / n
        m["magnitude-aware-flatness"] = 1 / (sigmaMagnitude * sigmaMagnitude)
        // Curvature of the training loss.
        let f = Objective(network: net, x: curvature.features, labels: curvature.labels)
        let top = try Curvature.extremeEigenvalues(
            HessianOperator(f), k: 1, smallest: false, tolerance: 1e-4, maxIterations: settings.lanczosIterations,
            seed: settings.seed)
        m["lambda-max"] = top.top[0]
        m["hessian-trace"] = try Curvature.gaussNewtonDiagonal(f).reduce(0, +)
        m["epsilon-sharpness"] = try Curvature.epsilonSharpness(f, epsilon: 1e-3, iterations: 20).sharpness
        // The optimization.
        m["steps-to-target"] = Double(steps)
        m["gradient-noise"] = MarginMeasures.gradientNoise(
            net, train, batch: batch, draws: settings.noiseDraws, seed: settings.seed)
        precondition(Set(m.keys) == Set(all.map(\.name)), "the catalog and the computed measures differ")
        return m
    }
}
