import Foundation
import LinearAlgebra

/// k Gaussian blobs in ℝᵈ with unit-variance noise, centres at distance `separation` from the origin.
public struct GaussianMixture: Codable, Sendable {
    public var dimension = 2, classes = 2, trainCount = 1000, testCount = 1000
    public var separation = 2.0, std = 1.0
    public var seed: UInt64 = 0
    public init() {}

    public func generate() -> DataSplit {
        var crng = Generator(seed: seed, stream: 1)
        let centres = (0..<classes).map { _ in crng.unitVector(dimension).map { $0 * separation } }
        func draw(_ n: Int, _ stream: UInt64) -> Dataset {
            var rng = Generator(seed: seed, stream: 100 + stream)
            var x = Matrix<Float>(rows: n, cols: dimension)
            var y = [Int]()
            for i in 0..<n {
                let c = rng.int(below: classes)
                for j in 0..<dimension { x[i, j] = Float(centres[c][j] + std * rng.normal()) }
                y.append(c)
            }
            return Dataset(
                features: x, labels: y, classNames: (0..<classes).map(String.init),
                provenance: "gaussian-mixture(seed=\(seed))")
        }
        return DataSplit(
            train: draw(trainCount, 0), test: draw(testCount, 1), spec: "gaussian-mixture",
            facts: ["separation": separation, "std": std])
    }
}

/// y = f(x) + ε, x uniform on [−1, 1]ᵈ, ε ~ N(0, σ²), with f known exactly (for bias–variance).
public struct Regression: Codable, Sendable {
    /// The regression function f: a line, a polynomial or a sine.
    public enum Function: String, Codable, Sendable, CaseIterable { case linear, poly, sin }
    /// The regression function f: linear, poly or sin (of the coordinates' mean).
    public var function = Function.sin
    /// Input dimension d.
    public var dimension = 1
    /// Training samples n per training set.
    public var trainCount = 100
    /// Test samples.
    public var testCount = 1000
    /// Noise standard deviation σ of y = f(x) + ε.
    public var noise = 0.1
    /// Seed of the inputs and the noise.
    public var seed: UInt64 = 0
    public init() {}

    /// The true regression function f.
    public func f(_ x: [Double]) -> Double {
        switch function {
        case .linear: return x.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element } / Double(x.count)
        case .poly:
            let t = x.reduce(0, +) / Double(x.count)
            return 1 - 2 * t + 3 * t * t * t - t * t
        case .sin:
            let t = x.reduce(0, +) / Double(x.count)
            return Foundation.sin(2 * Double.pi * t)
        }
    }

    public func draw(_ n: Int, stream: UInt64) -> Dataset {
        var rng = Generator(seed: seed, stream: 100 + stream)
        var x = Matrix<Float>(rows: n, cols: dimension)
        var y = [Double]()
        for i in 0..<n {
            let xi = (0..<dimension).map { _ in rng.uniform(-1, 1) }
            for j in 0..<dimension { x[i, j] = Float(xi[j]) }
            y.append(f(xi.map { Double(Float($0)) }) + noise * rng.normal())
        }
        return Dataset(features: x, targets: y, provenance: "regression(f=\(function.rawValue),seed=\(seed))")
    }

    public func generate() -> DataSplit {
        DataSplit(
            train: draw(trainCount, stream: 0), test: draw(testCount, stream: 1), spec: "regression",
            facts: ["noise": noise])
    }
}

/// Inputs N(0, I); labels from a random one-hidden-layer ReLU teacher, y = argmax W₂·relu(W₁x).
public struct Teacher: Codable, Sendable {
    /// Input dimension d (x ~ N(0, I_d)).
    public var dimension = 20
    /// Hidden width of the random ReLU teacher.
    public var width = 32
    /// Classes (the teacher's outputs).
    public var classes = 2
    /// Training samples per training set.
    public var trainCount = 1000
    /// Test samples.
    public var testCount = 1000
    /// Seed of the teacher's weights and of the inputs.
    public var seed: UInt64 = 0
    public init() {}

    public func generate() -> DataSplit {
        var wrng = Generator(seed: seed, stream: 1)
        let w1 = Matrix<Double>(
            rows: width, cols: dimension,
            storage: wrng.normalVector(width * dimension, std: 1 / Double(dimension).squareRoot()))
        let w2 = Matrix<Double>(
            rows: classes, cols: width, storage: wrng.normalVector(classes * width, std: 1 / Double(width).squareRoot())
        )
        func draw(_ n: Int, _ stream: UInt64) -> Dataset {
            var rng = Generator(seed: seed, stream: 100 + stream)
            let xd = Matrix<Double>(rows: n, cols: dimension, storage: rng.normalVector(n * dimension))
            var h = matmul(xd, w1, transB: true)
            for i in h.storage.indices { h.storage[i] = max(0, h.storage[i]) }
            let logits = matmul(h, w2, transB: true)
            let y = (0..<n).map { i in (0..<classes).max { logits[i, $0] < logits[i, $1] }! }
            return Dataset(
                features: xd.converted(), labels: y, classNames: (0..<classes).map(String.init),
                provenance: "teacher(seed=\(seed))")
        }
        var split = DataSplit(train: draw(trainCount, 0), test: draw(testCount, 1), spec: "teacher")
        split.planted = ["teacher_w1": w1.storage, "teacher_w2": w2.storage]
        split.plantedShapes = ["teacher_w1": [width, dimension], "teacher_w2": [classes, width]]
        return split
    }
}

/// Isotropic Gaussian features x ~ N(0, I_p), y = ⟨x, β⟩ + σε with ‖β‖ = r (Hastie et al. 2019).
public struct Isotropic: Codable, Sendable {
    public var features = 100, trainCount = 200, testCount = 1000
    public var noise = 0.5, signal = 1.0
    public var seed: UInt64 = 0
    public init() {}

    public func beta() -> [Double] {
        var rng = Generator(seed: seed, stream: 1)
        return rng.unitVector(features).map { $0 * signal }
    }

    public func draw(_ n: Int, stream: UInt64) -> Dataset {
        let b = beta()
        var rng = Generator(seed: seed, stream: 100 + stream)
        let xd = Matrix<Double>(rows: n, cols: features, storage: rng.normalVector(n * features))
        let y = matvec(xd, b).map { $0 + noise * rng.normal() }
        return Dataset(features: xd.converted(), targets: y, provenance: "isotropic(p=\(features),seed=\(seed))")
    }

    public func generate() -> DataSplit {
        var split = DataSplit(
            train: draw(trainCount, stream: 0), test: draw(testCount, stream: 1), spec: "isotropic",
            facts: ["noise": noise, "signal": signal])
        split.planted["beta"] = beta()
        return split
    }
}
