import Foundation
import LinearAlgebra

/// MNIST-1D (Greydanus & Kobak 2020), generated from its published recipe (shared/MNIST1D.md)
/// with our own generator: the statistics match the published set, the samples do not.
public struct MNIST1D: Codable, Sendable {
    public var trainCount = 4000
    public var testCount = 1000
    public var seed: UInt64 = 42
    public var templateLength = 12
    public var padding = 36...60
    public var scaleCoefficient = 0.4
    public var maxTranslation = 48
    public var correlatedNoiseScale = 0.25
    public var iidNoiseScale = 0.02
    public var shearScale = 0.75
    public var finalLength = 40
    /// Apply one fixed random permutation to the 40 positions (destroys locality: the CNN drops to ≈56%).
    public var shufflePositions = false

    public init() {}

    static let rawTemplates: [[Double]] = [
        [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5],
        [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
        [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5],
        [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
        [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5],
        [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
        [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5],
        [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
    ]

    /// Standardized (population std), shifted to start at 0, divided by 6.
    public static var templates: [[Double]] {
        rawTemplates.map { t in
            let m = t.reduce(0, +) / Double(t.count)
            let s = (t.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(t.count)).squareRoot()
            let z = t.map { ($0 - m) / s }
            return z.map { ($0 - z[0]) / 6 }
        }
    }

    public func generate() -> DataSplit {
        var rng = Generator(seed: seed)
        let total = trainCount + testCount
        let templates = Self.templates
        var xs = [[Double]]()
        var ys = [Int]()
        xs.reserveCapacity(total)
        // Class by class, as the original; any remainder goes to the first classes.
        for c in 0..<10 {
            let perClass = total / 10 + (c < total % 10 ? 1 : 0)
            for _ in 0..<perClass {
                xs.append(sample(templates[c], &rng))
                ys.append(c)
            }
        }
        let order = rng.permutation(total)
        var flat = [Double]()
        flat.reserveCapacity(total * finalLength)
        for i in order { flat += xs[i] }
        let mean = flat.reduce(0, +) / Double(flat.count)
        let std = (flat.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(flat.count)).squareRoot()
        var permutation = Array(0..<finalLength)
        if shufflePositions {
            var p = Generator(seed: seed, stream: 7)
            permutation = p.permutation(finalLength)
        }
        var m = Matrix<Float>(rows: total, cols: finalLength)
        for r in 0..<total {
            for j in 0..<finalLength { m[r, j] = Float((flat[r * finalLength + permutation[j]] - mean) / std) }
        }
        let labels = order.map { ys[$0] }
        let names = (0..<10).map(String.init)
        let all = Dataset(features: m, labels: labels, classNames: names, provenance: "mnist1d(seed=\(seed))")
        var split = DataSplit(
            train: all.subset(Array(0..<trainCount)), test: all.subset(Array(trainCount..<total)), spec: "mnist1d")
        // Shuffled positions have no layout left: no shift means what it meant.
        split.sampleShape = shufflePositions ? nil : [finalLength]
        return split
    }

    /// One sample from its class template: pad, dilate, scale, translate, noise, shear, resample.
    func sample(_ template: [Double], _ rng: inout Generator) -> [Double] {
        let p = padding.lowerBound + rng.int(below: padding.count)
        var x = template.map { $0 + 1e-8 } + [Double](repeating: 0, count: p)
        x = Self.interpolate(x, count: templateLength + padding.upperBound)
        let scale = 1 + scaleCoefficient * (rng.uniform() - 0.5)
        for i in x.indices { x[i] *= scale }
        let k = rng.int(below: maxTranslation)
        if k > 0 { x = Array(x[(x.count - k)...] + x[..<(x.count - k)]) }
        var noise = (0..<x.count).map { _ in correlatedNoiseScale * rng.normal() }
        noise = Self.gaussianFilter(noise, sigma: 2)
        for i in x.indices where x[i] == 0 { x[i] = noise[i] }
        for i in x.indices { x[i] += iidNoiseScale * rng.normal() }
        let c = shearScale * (rng.uniform() - 0.5)
        let n = x.count
        for i in x.indices { x[i] -= c * (-0.5 + Double(i) / Double(n - 1)) }
        return Self.interpolate(x, count: finalLength)
    }

    /// Linear interpolation from equally spaced points on [0, 1] to `count` equally spaced points.
    public static func interpolate(_ x: [Double], count: Int) -> [Double] {
        let n = x.count
        return (0..<count).map { i in
            let t = count == 1 ? 0 : Double(i) / Double(count - 1) * Double(n - 1)
            let j = min(Int(t), n - 2)
            let f = t - Double(j)
            return x[j] * (1 - f) + x[j + 1] * f
        }
    }

    /// scipy.ndimage.gaussian_filter1d: truncated at 4σ, 'reflect' borders (d c b a | a b c d | d c b a).
    public static func gaussianFilter(_ x: [Double], sigma: Double) -> [Double] {
        let radius = Int(4 * sigma + 0.5)
        var w = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let s = w.reduce(0, +)
        w = w.map { $0 / s }
        let n = x.count
        func at(_ i: Int) -> Double {
            var i = i
            while i < 0 || i >= n { i = i < 0 ? -i - 1 : 2 * n - i - 1 }
            return x[i]
        }
        return (0..<n).map { i in (-radius...radius).reduce(0) { $0 + w[$1 + radius] * at(i + $1) } }
    }
}
