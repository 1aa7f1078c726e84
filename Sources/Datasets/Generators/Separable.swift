import LinearAlgebra

/// Linearly separable data with a planted margin: a unit w* and points with yᵢ⟨w*, xᵢ⟩ ≥ γ, ‖xᵢ‖ ≤
/// R.
/// A fraction of the points lie exactly on the margin (yᵢ⟨w*, xᵢ⟩ = γ) with random directions
/// orthogonal to w*, so that no other unit vector separates with a larger margin: the
/// max-margin γ of the sample equals the planted γ (checked by the SVM tests).
public struct Separable: Codable, Sendable {
    /// Dimension d of the inputs.
    public var dimension = 20
    /// Training samples n.
    public var trainCount = 1000
    /// Test samples.
    public var testCount = 1000
    /// The planted margin γ: every point has |⟨w*, x⟩| ≥ γ.
    public var margin = 0.1
    /// The radius R: every point has ‖x‖ ≤ R.
    public var radius = 1.0
    /// Fraction of training points placed exactly on the margin.
    public var onMarginFraction = 0.1
    /// Seed of the direction w* and of the points.
    public var seed: UInt64 = 0

    public init(
        dimension: Int = 20, trainCount: Int = 1000, testCount: Int = 1000, margin: Double = 0.1,
        radius: Double = 1, seed: UInt64 = 0
    ) {
        self.dimension = dimension
        self.trainCount = trainCount
        self.testCount = testCount
        self.margin = margin
        self.radius = radius
        self.seed = seed
    }

    public func validate() throws {
        guard dimension >= 2 else { throw GenLabError.usage("separable: d must be ≥ 2, got \(dimension)") }
        guard margin > 0 else { throw GenLabError.usage("separable: margin must be > 0, got \(margin)") }
        guard radius > margin else {
            throw GenLabError.usage("separable: radius (\(radius)) must exceed the margin (\(margin))")
        }
        guard trainCount >= 1, testCount >= 0 else { throw GenLabError.usage("separable: n must be ≥ 1") }
    }

    /// The planted direction w* (unit norm), a function of the seed alone.
    public func plantedDirection() -> [Double] {
        var rng = Generator(seed: seed, stream: 1)
        return rng.unitVector(dimension)
    }

    /// `n` fresh points from the distribution; `stream` picks an independent draw.
    /// Points on the margin are placed only when `onMargin` (the training sample), so that the
    /// distribution of fresh test points has no atom on the margin.
    public func draw(_ n: Int, stream: UInt64, onMargin: Bool) -> Dataset {
        let w = plantedDirection()
        var rng = Generator(seed: seed, stream: 100 + stream)
        let d = dimension
        var x = Matrix<Float>(rows: n, cols: d)
        var labels = [Int](repeating: 0, count: n)
        let marginCount = onMargin ? Int((onMarginFraction * Double(n)).rounded()) : 0
        // Which points sit on the margin: a random subset, so that a pass in the given order
        // does not meet them all first.
        var onMarginPoint = [Bool](repeating: false, count: n)
        for i in rng.sample(marginCount, from: n) { onMarginPoint[i] = true }
        for i in 0..<n {
            let y: Double = rng.rademacher()
            // Along w*: exactly γ for margin points, else uniform in [γ, R).
            let t = onMarginPoint[i] ? margin : rng.uniform(margin, radius)
            // Orthogonal part: a random direction ⊥ w*, length s with the point inside the ball of radius R.
            var u = rng.unitVector(d)
            let c = dot(u, w)
            for j in 0..<d { u[j] -= c * w[j] }
            let un = norm(u)
            let maxS = (radius * radius - t * t).squareRoot()
            let s = maxS * rng.uniform()
            for j in 0..<d { x[i, j] = Float(y * t * w[j] + s * u[j] / un) }
            labels[i] = y > 0 ? 1 : 0
        }
        return Dataset(
            features: x, labels: labels, classNames: ["-1", "+1"],
            provenance: "separable(d=\(d),margin=\(margin),seed=\(seed))")
    }

    public func generate() -> DataSplit {
        let train = draw(trainCount, stream: 0, onMargin: true)
        let test = draw(testCount, stream: 1, onMargin: false)
        // The realized values, computed in Float-rounded coordinates as the learners see them.
        let w = plantedDirection()
        let ys = train.labels.map { $0 == 1 ? 1.0 : -1.0 }
        var realizedMargin = Double.infinity
        for i in 0..<train.count {
            var s = 0.0
            for j in 0..<dimension { s += Double(train.features[i, j]) * w[j] }
            realizedMargin = min(realizedMargin, ys[i] * s)
        }
        var split = DataSplit(
            train: train, test: test, spec: "separable",
            facts: [
                "margin": margin, "radius": radius, "realizedMargin": realizedMargin, "realizedRadius": train.radius(),
            ])
        split.planted["direction"] = w
        return split
    }
}
