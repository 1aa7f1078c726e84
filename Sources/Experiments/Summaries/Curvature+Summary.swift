import Foundation

extension SharpnessMeasurement: SummarizedExperiment {
    /// The loss at the weights, the extreme eigenvalues, the trace and ε-sharpness.
    public func summary(of r: ExperimentResult, folder _: String) -> [String] {
        [
            String(
                format: "%@ on %@ at %@: %d parameters, loss %.4f over %d samples", model, data,
                weights ?? "weights trained in the run",
                r.count("parameters"), r.number("loss"), r.count("samples")),
            String(
                format: "λ_max %.5g, λ_min %@ (Lanczos, %d steps, %@)", r.number("lambda_max"),
                smallest ? String(format: "%.5g", r.number("lambda_min")) : "not asked", r.count("eigen_iterations"),
                r.flag("eigen_converged") ? "converged" : "NOT converged"),
            String(
                format: "trace %.5g ± %.2g (Hutch++, %d products%@)", r.number("trace"),
                r.number("trace_standard_error"),
                r.count("trace_products"), r.flag("trace_converged") ? "" : ", NOT converged"),
            r.metrics["trace_exact"]?.number.map {
                String(format: "trace %.6g exactly (the Gauss–Newton diagonal of a ReLU MLP)", $0)
            }
                ?? "trace: no exact value (not a ReLU MLP)",
            String(
                format: "ε-sharpness %.4g at ε = %g (%d ascent steps)", r.number("epsilon_sharpness"), epsilon,
                r.count("epsilon_sharpness_iterations")),
        ]
    }
}

extension LandscapeMeasurement: SummarizedExperiment {
    /// The loss at the origin, the grid's points and range; the barrier of an interpolation, the
    /// explained variance of a trajectory.
    public func summary(of r: ExperimentResult, folder _: String) -> [String] {
        var lines = [
            String(
                format: "%@ on %@ at %@: %d parameters, loss %.4f (error %.4f) at θ₀ over %d samples", model, data,
                weights ?? "weights trained in the run", r.count("parameters"), r.number("loss_at_origin"),
                r.number("error_at_origin"), r.count("samples")),
            String(
                format: "%d points (%d computed, %d resumed) in %.2f s, %.3f ms per point%@; loss in [%.4g, %.4g]",
                r.count("points"),
                r.count("points_computed"), r.count("points_resumed"), r.number("grid_seconds"),
                r.number("ms_per_point"),
                r.flag("first_layer_shortcut") ? " (first layer formed once)" : "", r.number("loss_min"),
                r.number("loss_max")),
        ]
        if mode == .interpolation {
            lines.append(String(format: "loss barrier between θ₀ and θ₁: %.4g", r.number("barrier")))
        }
        if mode == .trajectory {
            lines[0] = String(
                format:
                    "%@ on %@, trajectory of %d checkpoints %@: %d parameters, "
                    + "loss %.4f (error %.4f) at the last over %d samples",
                model, data, r.count("checkpoints"), checkpoints.map { "in " + $0 } ?? "kept in the run",
                r.count("parameters"), r.number("loss_at_origin"), r.number("error_at_origin"), r.count("samples"))
            lines.append(
                String(
                    format: "the two principal directions explain %.2f%% of the path's variance (%.2f%% + %.2f%%)",
                    100 * r.number("explained_variance"), 100 * r.number("explained_variance_1"),
                    100 * r.number("explained_variance_2")))
        }
        return lines
    }
}
