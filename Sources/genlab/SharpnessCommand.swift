import ArgumentParser
import Experiments
import Foundation
import Learners
import LinearAlgebra

struct SharpnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharpness",
        abstract: "Curvature of a network's training loss at its weights: top-k and smallest Hessian eigenvalues (Lanczos), the trace (Hutch++), the spectral density (SLQ), per layer, and ε-sharpness.")
    @Option(help: "Dataset spec.") var data = "fashion-mnist"
    @Option(help: "Model spec (as for train).") var model = "mlp:256"
    @Option(help: "Weights to measure at (.npy from genlab train with the same model and data, or a PyTorch state dict in .safetensors). Without: train first.") var weights: String?
    @OptionGroup var names: WeightNamesOption
    @Option(help: "Epochs of training when no --weights are given.") var epochs = 10
    @Option(help: "Learning rate of that training (SGD, momentum 0.9).") var lr = 0.05
    @Option(help: "Batch size of that training.") var batch = 128
    @Option(help: "Training samples the loss is averaged over (a seeded random subset; 0: all).") var samples = 1000
    @Flag(name: .customLong("first-samples"), help: "Take the first --samples training samples in file order instead of a random subset (as the peer tools' benchmarks do).") var firstSamples = false
    @Option(name: .customLong("top-k"), help: "How many of the largest eigenvalues.") var topK = 5
    @Option(help: "Residual bound of each eigenvalue, relative to the largest |eigenvalue|.") var tolerance = 1e-4
    @Option(name: .customLong("max-iterations"), help: "Lanczos steps at most.") var maxIterations = 300
    @Option(name: .customLong("trace-tolerance"), help: "Stop Hutch++ at this standard error relative to the trace.") var traceTolerance = 0.02
    @Option(name: .customLong("density-probes"), help: "SLQ probes.") var densityProbes = 5
    @Option(name: .customLong("density-steps"), help: "Lanczos steps per SLQ probe.") var densitySteps = 80
    @Option(help: "ε of Keskar's ε-sharpness (box |δᵢ| ≤ ε(|θᵢ| + 1)).") var epsilon = 1e-3
    @Option(name: .customLong("sharpness-iterations"), help: "Ascent steps of ε-sharpness.") var sharpnessIterations = 20
    @Flag(name: .customLong("density-reorthogonalization"), help: "Keep each SLQ probe's Lanczos basis orthogonal (as PyHessian does; the quadrature does not need it, and it costs O(steps²·P)).") var densityReorthogonalization = false
    @Flag(name: .customLong("no-per-layer"), help: "Skip the per-layer table.") var noPerLayer = false
    @Flag(name: .customLong("no-smallest"), help: "Skip the smallest eigenvalue (Lanczos then stops when the top k converge).") var noSmallest = false
    @Option(help: "Seed (training, the sample and the probes).") var seed: UInt64 = 0
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        guard samples >= 0 else { throw ValidationError("--samples must be ≥ 0 (0: all), got \(samples)") }
        let training = TrainingConfig(epochs: epochs, batchSize: batch, optimizer: OptimizerConfig(learningRate: lr), seed: seed)
        var exp = SharpnessMeasurement(data: data, model: model, weights: weights, training: training, samples: samples == 0 ? nil : samples,
                                       topK: topK, tolerance: tolerance, maxIterations: maxIterations, traceTolerance: traceTolerance,
                                       densityProbes: densityProbes, densitySteps: densitySteps, epsilon: epsilon,
                                       sharpnessIterations: sharpnessIterations, perLayer: !noPerLayer)
        exp.firstSamples = firstSamples
        exp.smallest = !noSmallest
        exp.densityReorthogonalization = densityReorthogonalization
        exp.weightNames = names.names
        let r = try exp.execute(global.context(label: "sharpness"))
        let m = r.metrics
        func n(_ k: String) -> Double { m[k]?.number ?? .nan }
        let lines = [
            String(format: "%@ on %@ at %@: %d parameters, loss %.4f over %d samples", model, data, weights ?? "weights trained in the run",
                   Int(n("parameters")), n("loss"), Int(n("samples"))),
            String(format: "λ_max %.5g, λ_min %@ (Lanczos, %d steps, %@)", n("lambda_max"), noSmallest ? "not asked" : String(format: "%.5g", n("lambda_min")), Int(n("eigen_iterations")),
                   m["eigen_converged"] == .bool(true) ? "converged" : "NOT converged"),
            String(format: "trace %.5g ± %.2g (Hutch++, %d products%@)", n("trace"), n("trace_standard_error"), Int(n("trace_products")),
                   m["trace_converged"] == .bool(true) ? "" : ", NOT converged"),
            m["trace_exact"]?.number.map { String(format: "trace %.6g exactly (the Gauss–Newton diagonal of a ReLU MLP)", $0) } ?? "trace: no exact value (not a ReLU MLP)",
            String(format: "ε-sharpness %.4g at ε = %g (%d ascent steps)", n("epsilon_sharpness"), epsilon, Int(n("epsilon_sharpness_iterations"))),
        ]
        try finish(r, output: output, extraLines: lines)
    }
}
