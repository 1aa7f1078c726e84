import Foundation

extension TrainExperiment: SummarizedExperiment {
    /// The network and its steps, the final losses, λ_max where measured, and the files written.
    public func summary(of r: ExperimentResult, folder dir: String) -> [String] {
        var lines = [
            String(
                format: "%@ on %@: %d parameters, %d steps in %.1f s (%@)", model, data, r.count("parameters"),
                r.count("steps"), r.metrics["train_seconds"]?.number ?? 0, r.metrics["stopped_because"]?.string ?? "")
        ]
        let train = String(format: "train loss %.4f, train error %.4f", r.number("train_loss"), r.number("train_error"))
        if r.number("test_error").isNaN {
            if r.metrics["train_error"]?.number != nil { lines.append(train + "; no test set") }
        } else if r.metrics["train_error"]?.number != nil {
            lines.append(
                train
                    + String(
                        format: "; test loss %.4f, test accuracy %.4f", r.number("test_loss"),
                        1 - r.number("test_error")))
        }
        if let l = r.metrics["lambda_max"]?.number {
            lines.append(
                String(
                    format:
                        "λ_max of the training loss at the trained weights: "
                        + "%.5g (Lanczos, %d H·v products, %@, %d samples)",
                    l, r.count("lambda_max_iterations"), r.flag("lambda_max_converged") ? "converged" : "NOT converged",
                    r.count("curvature_samples")))
        }
        lines.append(
            (weightsFormat ?? .npy) == .npy
                ? "weights: \(dir)/weights.npy (\(r.count("parameters")) float32 values)"
                : "weights: \(dir)/weights.safetensors (a PyTorch state dict, float32; metadata genlab_sequential "
                    + "holds the nn.Sequential)"
        )
        if let c = r.metrics["checkpoints"]?.number {
            lines.append("checkpoints: \(Int(c)) in \(dir)/checkpoints (safetensors)")
        }
        return lines
    }

    /// Removes the checkpoints an earlier run left in `dir`: a trajectory is the folder's files,
    /// and none may be left from an earlier, longer run.
    public func clearCheckpoints(in dir: String) {
        guard checkpointEvery != nil else { return }
        let folder = dir + "/checkpoints"
        for f in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where f.hasPrefix("epoch-") && f.hasSuffix(".safetensors") {
            unlink(folder + "/" + f)
        }
    }
}
