import Datasets
import Foundation
import Learners
import LinearAlgebra
import Measures

/// The implicit bias of gradient descent in its crispest form: on under-determined least squares
/// (p > n features, many interpolating solutions), gradient descent started at 0 never leaves the
/// row space of X, so among all interpolating solutions it converges to the one of minimum norm,
/// X⁺y; started at θ₀ it converges to the interpolating solution nearest θ₀,
/// θ₀ + X⁺(y − Xθ₀). SGD (one sample per step) stays in the same affine space and converges to the
/// same point. Nothing in the loss asks for a small norm: the algorithm picks it.
public struct LeastSquaresImplicitBias: Codable, Sendable {
    /// Samples n (x ~ N(0, I_p), y = ⟨x, β⟩ + σε; with a data set, a seeded subset of its rows).
    public var samples: Int
    /// Features p of the planted data (p > n; with a data set, its own).
    public var features: Int
    /// Label noise σ of the planted data.
    public var noise: Double
    /// Full-batch gradient-descent steps (and SGD epochs over the n samples).
    public var steps: Int
    /// Seed of the data, the start θ₀ and SGD's order.
    public var seed: UInt64
    /// A data set's features instead of Gaussian ones (nil: planted): `samples` of its training
    /// rows (a seeded subset), needing more features than rows; y its targets, or ±1 for class 0
    /// against the rest.
    public var data: String? = nil

    public init(samples: Int = 50, features: Int = 200, noise: Double = 0.5, steps: Int = 2_000, seed: UInt64 = 0) {
        self.samples = samples
        self.features = features
        self.noise = noise
        self.steps = steps
        self.seed = seed
    }

    public func validate() throws {
        guard samples >= 2, data != nil || features > samples else {
            throw GenLabError.usage(
                "implicit bias of least squares needs more features than "
                    + "samples (p > n ≥ 2), got n = \(samples), p = \(features)"
            )
        }
        guard steps >= 10 else { throw GenLabError.usage("the step count must be ≥ 10, got \(steps)") }
        guard noise >= 0 else { throw GenLabError.usage("the noise σ must be ≥ 0, got \(noise)") }
    }

    /// With a data spec the planted settings (features, noise) do not apply: result.json records
    /// only the settings the run used.
    enum CodingKeys: String, CodingKey { case samples, features, noise, steps, seed, data }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let planted = LeastSquaresImplicitBias()
        self.init(
            samples: try c.decode(Int.self, forKey: .samples),
            features: try c.decodeIfPresent(Int.self, forKey: .features) ?? planted.features,
            noise: try c.decodeIfPresent(Double.self, forKey: .noise) ?? planted.noise,
            steps: try c.decode(Int.self, forKey: .steps),
            seed: try c.decode(UInt64.self, forKey: .seed))
        data = try c.decodeIfPresent(String.self, forKey: .data)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples, forKey: .samples)
        if data == nil {
            try c.encode(features, forKey: .features)
            try c.encode(noise, forKey: .noise)
        }
        try c.encode(steps, forKey: .steps)
        try c.encode(seed, forKey: .seed)
        try c.encodeIfPresent(data, forKey: .data)
    }

    /// Relative distance ‖θ − θ*‖/‖θ*‖ reached by each method, 1e-6 being "converged" (Double rounding
    /// of a condition-number-sized problem stays far below it; a method that drifts in the null space does not).
    static let tolerance = 1e-6

    /// (X, y) and where they came from: planted, or a data set's rows.
    func problem(_ context: RunContext) throws -> (x: Matrix<Double>, y: [Double], source: String) {
        var g = Generator(seed: seed, stream: 41)
        guard let spec = data else {
            let x = Matrix<Double>(rows: samples, cols: features, storage: g.normalVector(samples * features))
            let beta = g.unitVector(features)
            return (
                x, matvec(x, beta).map { $0 + noise * g.normal() },
                String(format: "planted Gaussian features, noise σ = %g", noise)
            )
        }
        let split = try context.load(spec, requireTest: false, for: name)
        let train = split.train.count > samples ? try split.train.stratifiedSubsample(samples, seed: seed) : split.train
        guard train.featureCount > train.count else {
            throw GenLabError.usage(
                "implicit bias of least squares needs more features than samples: \(spec) has \(train.featureCount) "
                    + "features for \(train.count) samples (lower the samples)"
            )
        }
        let y = train.isRegression ? train.targets : train.labels.map { $0 == 0 ? 1.0 : -1.0 }
        return (
            train.features.converted(), y,
            spec + (train.isRegression ? "" : " (y = ±1: class 0 against the rest)")
        )
    }

    /// Steps gradient descent needs to shrink its distance 10⁸-fold on the row space, κ·ln(10⁸)
    /// with κ = λ_max/λ_min⁺ of XXᵀ; and the epochs Kaczmarz needs by its expected rate,
    /// ln(10¹⁶)·tr(XXᵀ)/(n·λ_min⁺)/2 (squared distances).
    static func budget(gramEigenvalues e: [Double], n: Int) -> (gd: Double, sgd: Double) {
        let top = e.last!
        let positive = e.filter { $0 > 1e-12 * top }
        let low = positive.min() ?? top
        return (top / low * log(1e8), log(1e16) * e.reduce(0, +) / (Double(n) * low) / 2)
    }

    /// One recorded step of one method: its relative distance to the solution predicted for it, and ‖θ‖.
    public struct Record: Codable, Sendable {
        var step: Int
        var method: String
        var relativeDistance: Double
        var norm: Double
    }

    /// The three methods' last iterates, the start θ₀ and the two predicted solutions (float64,
    /// one entry per feature), written as .npy files.
    public struct Solutions: Codable, Sendable {
        var gdFromZero: [Double], gdFromStart: [Double], sgdFromZero: [Double]
        var start: [Double], minimumNorm: [Double], nearestInterpolant: [Double]

        /// Each solution with the name of its file (without .npy), in the order the note lists them.
        var files: [(String, [Double])] {
            [
                ("gd_from_zero", gdFromZero), ("gd_from_start", gdFromStart), ("sgd_from_zero", sgdFromZero),
                ("start", start), ("minimum_norm", minimumNorm), ("nearest_interpolant", nearestInterpolant),
            ]
        }
    }

    /// Where the data came from and their size, the eigenvalues of XXᵀ (the methods' conditioning),
    /// every method's recorded steps in the order they ran, and the solutions.
    public struct Outcomes: Codable, Sendable {
        var source: String
        var samples: Int
        var features: Int
        var gramEigenvalues: [Double]
        var trajectory: [Record]
        var solutions: Solutions
    }

    /// The two predicted solutions, then gradient descent from 0 and from θ₀ and SGD from 0.
    public func measure(_ context: RunContext) throws -> Measured<Outcomes> {
        let (x, y, source) = try problem(context)
        var g = Generator(seed: seed, stream: 42)
        let n = x.rows
        let p = x.cols
        let theta0: [Double] = g.normalVector(p)
        // The two targets: the minimum-norm solution, and the interpolating solution nearest θ₀.
        let minNorm = try MinimumNorm.solve(x, Matrix(rows: n, cols: 1, storage: y)).storage
        let residual0 = zip(y, matvec(x, theta0)).map { $0 - $1 }
        let nearest = zip(theta0, try MinimumNorm.solve(x, Matrix(rows: n, cols: 1, storage: residual0)).storage).map {
            $0 + $1
        }
        let gramEigenvalues = try symmetricEigen(matmul(x, x, transB: true), vectors: false).values
        // Step 1/L with L = λ_max(XᵀX/n), the gradient's Lipschitz constant (from the n×n Gram matrix).
        let lipschitz = gramEigenvalues.last! / Double(n)
        let zero = [Double](repeating: 0, count: p)
        let gdZero = gradientDescent(x, y, from: zero, target: minNorm, lipschitz: lipschitz, label: "GD from 0")
        let gdStart = gradientDescent(x, y, from: theta0, target: nearest, lipschitz: lipschitz, label: "GD from θ₀")
        let sgdZero = kaczmarz(x, y, target: minNorm)
        let solutions = Solutions(
            gdFromZero: gdZero.theta, gdFromStart: gdStart.theta, sgdFromZero: sgdZero.theta,
            start: theta0, minimumNorm: minNorm, nearestInterpolant: nearest)
        return Measured(
            Outcomes(
                source: source, samples: n, features: p, gramEigenvalues: gramEigenvalues,
                trajectory: gdZero.records + gdStart.records + sgdZero.records, solutions: solutions))
    }

    /// Full-batch gradient descent with step 1/L from `start`, recording its relative distance to `target`.
    func gradientDescent(
        _ x: Matrix<Double>, _ y: [Double], from start: [Double], target: [Double], lipschitz: Double,
        label: String
    ) -> (theta: [Double], records: [Record]) {
        let n = x.rows
        let p = x.cols
        let recordAt = Self.recordSteps(steps)
        let tn = norm(target)
        var theta = start
        var records = [Record]()
        for t in 1...steps {
            let r = zip(matvec(x, theta), y).map { $0 - $1 }
            let grad = matvec(x, transposed: true, r)
            for j in 0..<p { theta[j] -= grad[j] / (Double(n) * lipschitz) }
            if records.count < recordAt.count && recordAt[records.count] == t {
                let distance = norm(zip(theta, target).map { $0 - $1 }) / tn
                records.append(Record(step: t, method: label, relativeDistance: distance, norm: norm(theta)))
            }
        }
        return (theta, records)
    }

    /// SGD from 0, one sample per step with step 1/‖xᵢ‖² (Kaczmarz: each step projects onto one
    /// sample's constraint), the samples reshuffled every epoch; records its distance to `target`.
    func kaczmarz(_ x: Matrix<Double>, _ y: [Double], target: [Double]) -> (theta: [Double], records: [Record]) {
        let n = x.rows
        let p = x.cols
        let recordAt = Self.recordSteps(steps)
        let tn = norm(target)
        var theta = [Double](repeating: 0, count: p)
        var order = Array(0..<n)
        var records = [Record]()
        var rng = Generator(seed: seed, stream: 43)
        let rows = (0..<n).map { x.row($0) }
        for t in 1...steps {
            rng.shuffle(&order)
            for i in order {
                let row = rows[i]
                let r = zip(row, theta).reduce(0) { $0 + $1.0 * $1.1 } - y[i]
                let s = r / row.reduce(0) { $0 + $1 * $1 }
                for j in 0..<p { theta[j] -= s * row[j] }
            }
            if records.count < recordAt.count && recordAt[records.count] == t {
                let distance = norm(zip(theta, target).map { $0 - $1 }) / tn
                records.append(
                    Record(step: t, method: "SGD (Kaczmarz) from 0", relativeDistance: distance, norm: norm(theta)))
            }
        }
        return (theta, records)
    }

    /// The three convergence verdicts against the tolerance, the trajectories, and the solutions
    /// as .npy files, from the outcomes alone.
    public func analyze(_ measured: Measured<Outcomes>) -> ExperimentResult {
        let o = measured.outcomes
        var table = Table(name: "distance", columns: ["step", "method", "relative_distance", "norm"])
        for r in o.trajectory {
            table.append([JSONValue(r.step), JSONValue(r.method), JSONValue(r.relativeDistance), JSONValue(r.norm)])
        }
        let final = { (method: String) in o.trajectory.last { $0.method == method }!.relativeDistance }
        let distances = (
            fromZero: final("GD from 0"), stochastic: final("SGD (Kaczmarz) from 0"),
            fromStart: final("GD from θ₀")
        )
        let figure = FigureSpec(
            file: "distance.svg", title: "Distance to the predicted solution against steps", table: "distance",
            x: "step",
            xLabel: "gradient steps (SGD: epochs)", yLabel: "relative distance", xLog: true, yLog: true,
            series: ["GD from 0", "GD from θ₀", "SGD (Kaczmarz) from 0"].map {
                .init(y: "relative_distance", label: $0, filterColumn: "method", filterValue: $0)
            })
        var result = ExperimentResult(
            experiment: name, configuration: [:], seed: seed,
            metrics: [
                "samples": JSONValue(o.samples), "features": JSONValue(o.features),
                "gd_relative_distance": JSONValue(distances.fromZero),
                "sgd_relative_distance": JSONValue(distances.stochastic),
                "gd_from_start_relative_distance": JSONValue(distances.fromStart),
                "min_norm": JSONValue(norm(o.solutions.minimumNorm)),
            ],
            verdicts: verdicts(o, distances), command: "", figures: [figure], tables: [table], notes: measured.notes)
        // The solutions, for checking from outside (float64, one entry per feature).
        let files = o.solutions.files
        for (file, theta) in files { result.artifacts[file + ".npy"] = NPYArray.encode(theta, shape: [theta.count]) }
        result.notes.append(
            "Files: " + files.map { $0.0 + ".npy" }.joined(separator: ", ")
                + " (the three methods' last iterates, θ₀, X⁺y and θ₀ + X⁺(y − Xθ₀)), float64, one "
                + "entry per feature.")
        return result
    }

    /// Each method's last distance against the tolerance; a budget shorter than its rate needs on
    /// this conditioning cannot refute the claim.
    func verdicts(_ o: Outcomes, _ d: (fromZero: Double, stochastic: Double, fromStart: Double)) -> [Verdict] {
        let needed = Self.budget(gramEigenvalues: o.gramEigenvalues, n: o.samples)
        // How far the run from θ₀ ends from the minimum-norm solution: the start is not forgotten.
        let minNorm = o.solutions.minimumNorm
        let startGap = norm(zip(o.solutions.nearestInterpolant, minNorm).map { $0 - $1 }) / norm(minNorm)
        // A budget shorter than the method's convergence rate allows cannot refute the claim: inconclusive then.
        func rule(_ d: Double, _ what: String, budget: Double) -> RuleOutcome {
            VerdictRules.holds(
                d, atMost: Self.tolerance, what: what, budgetShort: Double(steps) < budget,
                why: String(
                    format: ", but %d steps are fewer than the %.0f its rate needs on this conditioning", steps, budget)
            )
        }
        let rules = [
            rule(d.fromZero, "the relative distance to X⁺y", budget: needed.gd),
            rule(d.stochastic, "the relative distance to X⁺y", budget: needed.sgd),
            rule(d.fromStart, "the relative distance to θ₀ + X⁺(y − Xθ₀)", budget: needed.gd),
        ]
        return [
            Verdict(
                .theorem,
                claim:
                    "Gradient descent from zero on under-determined least squares converges to the minimum-norm "
                    + "interpolating solution X⁺y.",
                supported: rules[0].supported,
                evidence: String(
                    format: "%@, n = %d, p = %d: after %d steps of "
                        + "size 1/L, ‖θ − X⁺y‖/‖X⁺y‖ = %.2e (%@).",
                    o.source, o.samples, o.features, steps, d.fromZero, rules[0].reason),
                values: rules[0].values),
            Verdict(
                .theorem, claim: "SGD from zero converges to the same minimum-norm solution.",
                supported: rules[1].supported,
                evidence: String(
                    format: "After %d epochs of one-sample steps, ‖θ − X⁺y‖/‖X⁺y‖ = %.2e (%@).", steps,
                    d.stochastic,
                    rules[1].reason),
                values: rules[1].values),
            Verdict(
                .theorem,
                claim:
                    "From a start θ₀ ≠ 0, gradient descent converges to the interpolating solution nearest θ₀, "
                    + "not to X⁺y: the bias is the start plus the row space.",
                supported: rules[2].supported,
                evidence: String(
                    format:
                        "‖θ − (θ₀ + X⁺(y − Xθ₀))‖/‖·‖ = %.2e (%@), while that solution lies %.2f "
                        + "(relative) from X⁺y.",
                    d.fromStart, rules[2].reason, startGap),
                values: rules[2].values.merging(["start_gap": startGap]) { a, _ in a }),
        ]
    }

    /// About 10 log-spaced record steps per decade, up to `steps`.
    static func recordSteps(_ steps: Int) -> [Int] {
        Array(Set((0...Int(log10(Double(steps)) * 10)).map { Int(pow(10, Double($0) / 10).rounded()) } + [steps]))
            .filter { $0 <= steps }.sorted()
    }
}

extension LeastSquaresImplicitBias: SingleUnitMeasurement {
    public var name: String { "implicit-bias-least-squares" }
}
