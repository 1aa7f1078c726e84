import Datasets
import Foundation

extension MistakeBoundExperiment: SummarizedExperiment {
    /// R, γ and the bound against the mistakes made (or the mistakes per pass without a margin),
    /// and where the final weights are.
    public func summary(of r: ExperimentResult, folder dir: String) -> [String] {
        let first =
            r.metrics["mistake_bound"]?.number.map { bound in
                String(
                    format: "R = %.4g, γ = %.4g, R²/γ² = %.1f; mistakes %d in %d passes (%@)", r.number("radius"),
                    r.number("margin"),
                    bound, r.count("mistakes"), r.count("epochs"), r.flag("converged") ? "converged" : "not converged")
            } ?? "mistakes per pass: "
            + (r.tables.first?.column("mistakes").map { String(Int($0)) }.joined(separator: " ") ?? "")
        return [first, "final weights w_T: \(dir)/weights.npy, float64\(bias ? ", bias last" : "")"]
    }
}

extension PerceptronFit: SummarizedExperiment {
    /// Each model's accuracies and time, and the weights' file and shape.
    public func summary(of r: ExperimentResult, folder dir: String) -> [String] {
        let shape = r.artifacts["weights.npy"].flatMap { try? NPYArray.parse($0, source: "weights") }?.shape ?? []
        var lines = ["model                  train acc  test acc  fit s"]
        for row in r.tables[0].rows {
            let name = (row[0].string ?? "").padding(toLength: 22, withPad: " ", startingAt: 0)
            lines.append(
                name
                    + String(
                        format: " %.4f     %.4f    %.3f", row[1].number ?? .nan, row[2].number ?? .nan,
                        row[3].number ?? .nan))
        }
        lines.append(
            "weights: \(dir)/weights.npy, shape \(shape)" + (bias ? " (bias last)" : " (no bias)")
                + (isPlainAlgorithm && shape.first == 1
                    ? "; Algorithm 1 exactly: no bias, given order, one update per mistake" : ""))
        return lines
    }
}
