import Datasets
import Foundation
import LinearAlgebra
import Measures

/// Least squares y = ⟨x, β⟩ + σε with x ~ N(0, Σ), Σ = diag(1 … 1, s² … s²): `fastFeatures`
/// features of scale 1 and `slowFeatures` of scale s, with ‖β_fast‖² = `fastSignal` and
/// ‖β_slow‖² = `slowSignal`. Gradient descent from w = 0 on (1/2n)‖Xw − y‖² with step η,
/// followed in closed form (see `EpochWise`).
public struct TwoScaleRegression: Codable, Sendable {
    /// Training samples n.
    public var samples = 500
    /// Features at scale 1 (learned fast by gradient descent).
    public var fastFeatures = 100
    /// Features at scale `slowScale` (learned slowly).
    public var slowFeatures = 10
    /// Standard deviation of the slow features.
    public var slowScale = 0.1
    /// ‖β‖ on the fast features.
    public var fastSignal = 0.2
    /// ‖β‖ on the slow features.
    public var slowSignal = 30.0
    /// Noise standard deviation σ of y = ⟨x, β⟩ + σε.
    public var noise = 1.0
    /// Gradient-descent step size.
    public var learningRate = 0.05
    /// Independent training sets averaged over.
    public var trials = 20
    /// Test samples per training set.
    public var testCount = 5000
    /// The last gradient step recorded (about ten record points per decade from step 1).
    public var maxStep = 100_000
    /// Seed of β, the samples and the noise.
    public var seed: UInt64 = 0
    public init() {}

    var features: Int { fastFeatures + slowFeatures }

    public func validate() throws {
        guard samples >= 2, fastFeatures >= 1, slowFeatures >= 1 else {
            throw GenLabError.usage("two-scale regression needs n ≥ 2 and both feature groups ≥ 1")
        }
        guard slowScale > 0, fastSignal >= 0, slowSignal >= 0, noise >= 0, learningRate > 0, trials >= 2,
            testCount >= 1, maxStep >= 10
        else {
            throw GenLabError.usage(
                "two-scale regression: scales and the step must be "
                    + "> 0, signals and noise ≥ 0, trials ≥ 2, steps ≥ 10")
        }
    }

    var configuration: JSONValue {
        .object([
            "n": JSONValue(samples), "fast_features": JSONValue(fastFeatures), "slow_features": JSONValue(slowFeatures),
            "slow_scale": JSONValue(slowScale),
            "fast_signal": JSONValue(fastSignal), "slow_signal": JSONValue(slowSignal), "noise": JSONValue(noise),
            "step_size": JSONValue(learningRate),
            "trials": JSONValue(trials), "max_step": JSONValue(maxStep),
        ])
    }

    /// The standard deviation of each feature.
    var scales: [Double] { (0..<features).map { $0 < fastFeatures ? 1 : slowScale } }

    /// β: a random direction in each group, scaled to its signal.
    public func beta() -> [Double] {
        var g = Generator(seed: seed, stream: 1)
        let fast: [Double] = g.normalVector(fastFeatures)
        let slow: [Double] = g.normalVector(slowFeatures)
        let nf = fast.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let ns = slow.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return fast.map { $0 * fastSignal.squareRoot() / nf } + slow.map { $0 * slowSignal.squareRoot() / ns }
    }

    /// n samples (X, y) from stream `stream`.
    public func draw(_ n: Int, stream: UInt64) -> (x: Matrix<Double>, y: [Double]) {
        var g = Generator(seed: seed, stream: 100 + stream)
        let s = scales
        let b = beta()
        let p = features
        var x = Matrix<Double>(rows: n, cols: p, storage: g.normalVector(n * p))
        for i in 0..<n { for j in 0..<p { x[i, j] *= s[j] } }
        let y = matvec(x, b).map { $0 + noise * g.normal() }
        return (x, y)
    }

    /// Gradient descent on (1/2n)‖Xw − y‖² from w = 0, in closed form: with XᵀX/n = VΛVᵀ,
    /// w_t = V·diag((1 − (1 − ηλ)^t)/λ)·Vᵀ Xᵀy/n (ηt for λ = 0).
    public struct Path {
        let v: Matrix<Double>, lambda: [Double], projected: [Double], eta: Double
        public init(x: Matrix<Double>, y: [Double], learningRate: Double) throws {
            let n = Double(x.rows)
            var s = matmul(x, transA: true, x)
            for i in s.storage.indices { s.storage[i] /= n }
            let (values, vectors) = try symmetricEigen(s)
            v = vectors
            lambda = values
            eta = learningRate
            let c = matvec(x, transposed: true, y).map { $0 / n }
            projected = matvec(vectors, transposed: true, c)
            guard let top = values.max(), learningRate * top < 2 else {
                throw GenLabError.usage(
                    "gradient descent with step \(learningRate) diverges: the largest curvature is "
                        + "\(values.max() ?? .nan), so the step must be below \(2 / (values.max() ?? 1))"
                )
            }
        }
        public func weights(at t: Int) -> [Double] {
            let g = lambda.indices.map { i -> Double in
                let l = lambda[i]
                return l > 1e-12
                    ? (1 - Foundation.pow(1 - eta * l, Double(t))) / l * projected[i] : eta * Double(t) * projected[i]
            }
            return matvec(v, g)
        }
    }

    /// Plain gradient descent, the reference the closed form is tested against.
    public static func gradientDescent(x: Matrix<Double>, y: [Double], learningRate: Double, steps: Int) -> [Double] {
        var w = [Double](repeating: 0, count: x.cols)
        let n = Double(x.rows)
        for _ in 0..<steps {
            let r = zip(matvec(x, w), y).map { $0 - $1 }
            let grad = matvec(x, transposed: true, r)
            for j in w.indices { w[j] -= learningRate * grad[j] / n }
        }
        return w
    }

    struct Outcome {
        var steps: [Int]
        var risk: [Double]
        var table: Table
        var shape: DescentShape
        var worstMeasuredGap: Double
    }

    /// Log-spaced record points from 1 to maxStep, about 12 per decade.
    var recordSteps: [Int] {
        let decades = log10(Double(maxStep))
        return Array(
            Set((0...Int(decades * 12)).map { Int(Foundation.pow(10, Double($0) / 12).rounded()) } + [maxStep])
        ).filter { $0 <= maxStep }.sorted()
    }

    func run() -> Outcome {
        let steps = recordSteps
        let b = beta()
        let s2 = scales.map { $0 * $0 }
        let test = draw(testCount, stream: 999_999)
        struct Trial: Sendable {
            var risk: [Double]
            var fast: [Double]
            var slow: [Double]
            var measured: [Double]
        }
        let cfg = self
        let trials: [Trial] = parallelMap(trials) { t in
            let d = cfg.draw(cfg.samples, stream: UInt64(t))
            let path = try! Path(x: d.x, y: d.y, learningRate: cfg.learningRate)
            var out = Trial(risk: [], fast: [], slow: [], measured: [])
            for step in steps {
                let w = path.weights(at: step)
                var fast = 0.0
                var slow = 0.0
                for j in w.indices {
                    let e = s2[j] * (w[j] - b[j]) * (w[j] - b[j])
                    if j < cfg.fastFeatures { fast += e } else { slow += e }
                }
                let pred = matvec(test.x, w)
                let mse = zip(pred, test.y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(cfg.testCount)
                // Excess risk (w − β)ᵀΣ(w − β): the test MSE less the noise σ², which it estimates.
                out.risk.append(fast + slow)
                out.fast.append(fast)
                out.slow.append(slow)
                out.measured.append(mse - cfg.noise * cfg.noise)
            }
            return out
        }
        var table = Table(
            name: "linear",
            columns: [
                "step", "excess_risk", "excess_risk_lower", "excess_risk_upper", "measured_excess", "fast_part",
                "slow_part",
            ])
        var mean = [Double]()
        var gap = 0.0
        for j in steps.indices {
            let ci = Stats.tInterval(trials.map { $0.risk[j] })
            let measured = Stats.mean(trials.map { $0.measured[j] })
            table.append([
                JSONValue(steps[j]), JSONValue(ci.estimate), JSONValue(ci.lower), JSONValue(ci.upper),
                JSONValue(measured),
                JSONValue(Stats.mean(trials.map { $0.fast[j] })), JSONValue(Stats.mean(trials.map { $0.slow[j] })),
            ])
            mean.append(ci.estimate)
            gap = max(gap, abs(measured - ci.estimate))
        }
        return Outcome(
            steps: steps, risk: mean, table: table, shape: DescentShape.find(trials.map(\.risk))!, worstMeasuredGap: gap
        )
    }
}
