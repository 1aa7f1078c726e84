import Foundation
import LinearAlgebra
import Measures

/// The shape of the returns (the talk: each gain takes exponentially more parameters): does each
/// doubling of the parameters buy less test accuracy than the one before, and how many times the
/// parameters does one more point of accuracy take?
extension ModelSize {
    /// The least shrinkage of the gain per doubling that counts, fixed before any run: 0.1 point
    /// of test accuracy per doubling, per doubling.
    static let leastShrinkage = 0.001

    static let returnsClaim =
        "Each doubling of the parameters buys less test accuracy than the one before (diminishing returns: one more "
        + "point takes ever more parameters)."

    /// The verdict on the saturated widths' runs (every seed), and the pooled quadratic fit of
    /// accuracy in log₂ parameters the figure draws (nil with fewer than three widths).
    func returnsVerdict(_ runs: [Outcome]) -> (verdict: Verdict, fit: QuadraticFit?) {
        let x = runs.map { log2(Double($0.parameters)) }
        let y = runs.map(\.testAccuracy)
        guard Set(x).count >= 3, let fit = try? QuadraticFit(x: x, y: y) else {
            return (
                Verdict(
                    .finding, claim: Self.returnsClaim, supported: nil,
                    evidence:
                        "Fewer than three widths reached the target loss on every seed: the change of the gain per "
                        + "doubling needs three.",
                    values: ["widths": Double(Set(x).count)]), nil
            )
        }
        let rule = VerdictRules.diminishingReturns(
            x: x, y: y, clusters: runs.map(\.seed), leastEffect: Self.leastShrinkage)
        let (lo, hi) = (x.min()!, x.max()!)
        // Parameters per point of accuracy: 2^(0.01 / gain per doubling), where the fit's slope is positive.
        func perPoint(_ slope: Double) -> Double { slope > 0 ? pow(2, 0.01 / slope) : .infinity }
        let (first, last) = (fit.slope(at: lo), fit.slope(at: hi))
        let evidence = String(
            format:
                "Quadratic fit of test accuracy in log₂ parameters over %d runs: a doubling buys %+.2f points at the "
                + "smallest saturated size and %+.2f at the largest; one more point takes ×%@ the parameters "
                + "there and ×%@ here. Per seed: %@.",
            runs.count, 100 * first, 100 * last, Self.factor(perPoint(first)), Self.factor(perPoint(last)), rule.reason)
        var values = rule.values
        values["gain_first"] = first
        values["gain_last"] = last
        values["parameters_per_point_first"] = perPoint(first)
        values["parameters_per_point_last"] = perPoint(last)
        return (
            Verdict(.finding, claim: Self.returnsClaim, supported: rule.supported, evidence: evidence, values: values),
            fit
        )
    }

    static func factor(_ f: Double) -> String {
        f.isFinite ? (f < 1000 ? String(format: "%.3g", f) : String(format: "%.2e", f)) : "∞ (no gain)"
    }
}
