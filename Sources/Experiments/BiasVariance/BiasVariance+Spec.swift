import Datasets
import LinearAlgebra

extension BiasVarianceExperiment {
    /// This experiment on another axis or regression (a `regression:…` data spec): its capacity
    /// grid follows the axis and the regression's sample size, so it is rebuilt for them.
    public func rebuilt(axis newAxis: Axis?, data: String?) throws -> BiasVarianceExperiment {
        guard newAxis != nil || data != nil else { return self }
        return BiasVarianceExperiment(
            axis: newAxis ?? axis, regression: try data.map(Self.regression) ?? regression, trials: trials,
            testPoints: testPoints, seed: seed)
    }

    /// The regression a data spec describes: `regression:f=sin|poly|linear,n=N,noise=SIGMA,d=D`,
    /// from the default regression (bias and variance need the true f, so no other data set).
    public static func regression(_ data: String) throws -> Regression {
        let spec = try DatasetSpec(parsing: data)
        guard spec.name == "regression" else {
            throw GenLabError.parameter(
                name: "data",
                problem: "must be a regression:… spec (bias and variance need the true f), got \"\(data)\"")
        }
        var reg = defaultRegression
        for (k, v) in spec.options {
            switch k {
            case "f":
                guard let f = Regression.Function(rawValue: v) else {
                    throw GenLabError.parameter(name: "data", problem: "f must be sin, poly or linear, got \"\(v)\"")
                }
                reg.function = f
            case "n":
                guard let n = Int(v), n >= 2 else {
                    throw GenLabError.parameter(name: "data", problem: "n must be ≥ 2, got \"\(v)\"")
                }
                reg.trainCount = n
            case "noise":
                guard let s = Double(v), s >= 0 else {
                    throw GenLabError.parameter(name: "data", problem: "noise must be ≥ 0, got \"\(v)\"")
                }
                reg.noise = s
            case "d":
                guard let d = Int(v), d >= 1 else {
                    throw GenLabError.parameter(name: "data", problem: "d must be ≥ 1, got \"\(v)\"")
                }
                reg.dimension = d
            default:
                throw GenLabError.parameter(name: "data", problem: "option \(k) does not apply (use f, n, noise, d)")
            }
        }
        return reg
    }
}
