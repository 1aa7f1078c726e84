import Datasets
import Foundation
import Learners
import LinearAlgebra

/// Output margins and gradient noise of a trained classifier (Jiang et al. 2020: the margin
/// γ is the 10th percentile of the output margins, the divisor of the margin-normalized norms;
/// gradient noise is how far a minibatch gradient strays from the full one at the end of training).
public enum MarginMeasures {
    /// Per sample, f_y(x) − max_{j≠y} f_j(x): positive where the sample is classified correctly.
    public static func outputMargins<T: Scalar>(_ network: Network<T>, _ data: Dataset) -> [Double] {
        precondition(!data.isRegression && data.classCount >= 2, "margins need class labels")
        let k = data.classCount
        let d = data.featureCount
        let x: [T] = T.self == Float.self ? data.features.storage as! [T] : data.features.storage.map { T($0) }
        var out = [Double]()
        out.reserveCapacity(data.count)
        let chunk = 1000
        x.withUnsafeBufferPointer { xs in
            for lo in stride(from: 0, to: data.count, by: chunk) {
                let b = min(chunk, data.count - lo)
                let z = network.forward(xs.baseAddress! + lo * d, batch: b, training: false)
                for i in 0..<b {
                    let y = data.labels[lo + i]
                    var other = -Double.infinity
                    for j in 0..<k where j != y { other = max(other, Double(z[i * k + j])) }
                    out.append(Double(z[i * k + y]) - other)
                }
            }
        }
        return out
    }

    /// The q-quantile of the margins (the ⌈q·n⌉-th smallest): Jiang et al.'s γ at q = 0.1.
    public static func marginQuantile(_ margins: [Double], _ q: Double = 0.1) -> Double {
        Stats.orderQuantile(margins, q)
    }

    /// Gradient noise at θ: E‖g_B − g‖² for minibatches of B samples drawn uniformly with
    /// replacement, estimated over `draws` minibatches (g the full-data gradient of the mean
    /// loss). With replacement, its exact value is (1/B)·mean_i ‖g_i − g‖² (tested so).
    public static func gradientNoise<T: Scalar>(
        _ network: Network<T>, _ data: Dataset, batch b: Int, draws: Int, seed: UInt64
    ) -> Double {
        let x: [T] = T.self == Float.self ? data.features.storage as! [T] : data.features.storage.map { T($0) }
        let labels = data.labels.map { Int32($0) }
        func gradient(_ rows: [Int]) -> [Double] {
            x.withUnsafeBufferPointer { xs in
                labels.withUnsafeBufferPointer { ls in
                    rows.withUnsafeBufferPointer { idx in
                        _ = network.lossAndGradient(
                            rows: BatchRows(
                                x: xs.baseAddress!, labels: ls.baseAddress!, targets: nil, indices: idx.baseAddress!),
                            count: rows.count, training: false)
                    }
                }
            }
            return network.gradientArray.map { Double($0) }
        }
        let full = gradient(Array(0..<data.count))
        var g = Generator(seed: seed, stream: 29)
        var total = 0.0
        for _ in 0..<draws {
            let gb = gradient((0..<b).map { _ in g.int(below: data.count) })
            total += zip(gb, full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return total / Double(draws)
    }
}
