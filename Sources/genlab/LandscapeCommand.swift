import ArgumentParser
import Experiments
import Foundation
import Learners
import LinearAlgebra

struct LandscapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landscape",
        abstract: "Training loss and accuracy around a network's weights: a 2-D plane or 1-D line along filter-normalized random directions (Li et al.), or the segment between two solutions.",
        discussion: """
        Points run on all cores and each finished point is checkpointed under --out/points: a killed \
        run resumes where it stopped, and a run with anything changed (weights, data, directions, grid) \
        computes afresh. The first layer's product is formed once for the whole grid.
        """)
    @Option(help: "Dataset spec.") var data = "fashion-mnist"
    @Option(help: "Model spec (as for train).") var model = "mlp:256"
    @Option(help: "Weights θ₀ (.npy from genlab train with the same model and data, or a PyTorch state dict in .safetensors). Without: train first.") var weights: String?
    @OptionGroup var names: WeightNamesOption
    @Option(help: "plane (2-D, α·d₁ + β·d₂), line (1-D, α·d₁), interpolation (θ₀ + t·(θ₁ − θ₀), needs --to) or trajectory (the plane of a training path's top two principal directions, needs --checkpoints).") var mode = "plane"
    @Option(help: "For --mode trajectory: the folder of checkpoints (.safetensors) that genlab train --checkpoints every=K wrote (OUT/checkpoints), or every=K to train in the run keeping θ every K epochs (default every=1).") var checkpoints: String?
    @Option(help: "Weights θ₁ for --mode interpolation.") var to: String?
    @Option(help: "Points per axis (≥ 2).") var steps = 51
    @Option(help: "Range of the coefficients, LO,HI (default -1,1; interpolation -0.5,1.5).") var range: String?
    @Option(help: "Training samples the loss is averaged over (a seeded random subset; 0: all).") var samples = 1000
    @Flag(name: .customLong("first-samples"), help: "Take the first --samples training samples in file order instead of a random subset.") var firstSamples = false
    @Option(help: "Epochs of training when no --weights are given.") var epochs = 10
    @Option(help: "Learning rate of that training (SGD, momentum 0.9).") var lr = 0.05
    @Option(help: "Batch size of that training.") var batch = 128
    @Option(help: "Cores the points run on (default: all).") var workers: Int?
    @Flag(name: .customLong("no-shortcut"), help: "Run every layer at every point (the reference path) instead of forming the first layer's output once.") var noShortcut = false
    @Option(help: "Seed (training, the sample and the directions).") var seed: UInt64 = 0
    @OptionGroup var output: OutputOptions
    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.apply()
        guard samples >= 0 else { throw ValidationError("--samples must be ≥ 0 (0: all), got \(samples)") }
        guard let m = LandscapeMeasurement.Mode(rawValue: mode) else {
            throw ValidationError("--mode must be one of \(LandscapeMeasurement.Mode.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(mode)\"")
        }
        var span: [Double]? = nil
        if let r = range {
            let parts = r.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1] else { throw ValidationError("--range must be LO,HI (two numbers), got \"\(r)\"") }
            span = [lo, hi]
        }
        let training = TrainingConfig(epochs: epochs, batchSize: batch, optimizer: OptimizerConfig(learningRate: lr), seed: seed)
        var exp = LandscapeMeasurement(data: data, model: model, weights: weights, to: to, training: training, mode: m, steps: steps, range: span,
                                       samples: samples == 0 ? nil : samples, seed: seed)
        exp.firstSamples = firstSamples
        exp.firstLayerShortcut = !noShortcut
        exp.workers = workers
        exp.weightNames = names.names
        if let c = checkpoints, c.hasPrefix("every=") {
            guard let k = Int(c.dropFirst(6)), k >= 1 else { throw ValidationError("--checkpoints every=K needs an integer K ≥ 1, got \"\(c)\"") }
            exp.checkpointEvery = k
        } else {
            exp.checkpoints = checkpoints
        }
        let dir = output.out ?? "results/landscape"
        let r = try exp.execute(global.context(label: "landscape", checkpoint: dir + "/points"))
        func n(_ k: String) -> Double { r.metrics[k]?.number ?? .nan }
        var lines = [
            String(format: "%@ on %@ at %@: %d parameters, loss %.4f (error %.4f) at θ₀ over %d samples", model, data, weights ?? "weights trained in the run",
                   Int(n("parameters")), n("loss_at_origin"), n("error_at_origin"), Int(n("samples"))),
            String(format: "%d points (%d computed, %d resumed) in %.2f s, %.3f ms per point%@; loss in [%.4g, %.4g]", Int(n("points")), Int(n("points_computed")),
                   Int(n("points_resumed")), n("grid_seconds"), n("ms_per_point"), r.metrics["first_layer_shortcut"] == .bool(true) ? " (first layer formed once)" : "",
                   n("loss_min"), n("loss_max")),
        ]
        if m == .interpolation { lines.append(String(format: "loss barrier between θ₀ and θ₁: %.4g", n("barrier"))) }
        if m == .trajectory {
            lines[0] = String(format: "%@ on %@, trajectory of %d checkpoints %@: %d parameters, loss %.4f (error %.4f) at the last over %d samples", model, data,
                              Int(n("checkpoints")), exp.checkpoints.map { "in " + $0 } ?? "kept in the run", Int(n("parameters")), n("loss_at_origin"),
                              n("error_at_origin"), Int(n("samples")))
            lines.append(String(format: "the two principal directions explain %.2f%% of the path's variance (%.2f%% + %.2f%%)", 100 * n("explained_variance"),
                                100 * n("explained_variance_1"), 100 * n("explained_variance_2")))
        }
        try finish(r, output: output, extraLines: lines)
    }
}
